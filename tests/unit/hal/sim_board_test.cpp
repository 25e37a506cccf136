// The simulator backend's side of docs/sim-lines.md, against a scripted peer on a real
// Unix socket (the simulator itself is exercised by the integration tests).
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <filesystem>
#include <thread>

#include "cashbridge/hal/boards.hpp"
#include "cashbridge/hal/unique_fd.hpp"

namespace cashbridge::hal {
namespace {

/// A listening socket in a fresh temporary directory.
struct Listener {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("cb-hal-" + std::to_string(::getpid()) + "-" +
                                 std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::path path = dir / "lines.sock";
    UniqueFd fd{::socket(AF_UNIX, SOCK_STREAM, 0)};
    Listener() {
        std::filesystem::create_directories(dir);
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        std::strcpy(a.sun_path, path.c_str());
        if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) throw_errno("bind");
        ::listen(fd.get(), 4);
    }
    ~Listener() { std::filesystem::remove_all(dir); }
};

std::string read_line(int fd) {
    std::string s;
    char c;
    while (::read(fd, &c, 1) == 1 && c != '\n') s += c;
    return s;
}

void send_text(int fd, const std::string& s) {
    ASSERT_EQ(::write(fd, s.data(), s.size()), (ssize_t)s.size());
}

TEST(SimBoard, OutputClaimsThenSendsTimestampedLevels) {
    Listener l;
    std::string claim, set;
    std::thread peer([&] {
        UniqueFd c(::accept(l.fd.get(), nullptr, nullptr));
        claim = read_line(c.get());
        send_text(c.get(), "OK 1 0\n");
        set = read_line(c.get());
    });
    auto board = make_sim_board(l.path);
    auto coin = board->claim_output(LineSpec::named("coin"), Level::high);
    const auto t = coin->set(Level::low);
    peer.join();
    EXPECT_EQ(claim, "CLAIM coin out 1");
    const auto ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
    EXPECT_EQ(set, "SET 0 " + std::to_string(ns));
}

TEST(SimBoard, RefusedClaimThrowsWithTheSimulatorsReason) {
    Listener l;
    std::thread peer([&] {
        UniqueFd c(::accept(l.fd.get(), nullptr, nullptr));
        read_line(c.get());
        send_text(c.get(), "ERR unknown line coin_7\n");
    });
    auto board = make_sim_board(l.path);
    try {
        board->claim_output(LineSpec::named("coin_7"), Level::high);
        ADD_FAILURE() << "claim should have thrown";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("unknown line coin_7"), std::string::npos) << e.what();
    }
    peer.join();
}

TEST(SimBoard, InputReportsInitialLevelAndEdges) {
    Listener l;
    UniqueFd peer_fd;
    std::thread peer([&] {
        peer_fd = UniqueFd(::accept(l.fd.get(), nullptr, nullptr));
        read_line(peer_fd.get());
        send_text(peer_fd.get(), "OK 1 100\n");
    });
    auto board = make_sim_board(l.path);
    auto inhibit = board->claim_input(LineSpec::named("inhibit"));
    peer.join();
    EXPECT_EQ(inhibit->level(), Level::high);
    EXPECT_FALSE(inhibit->read_edge());
    send_text(peer_fd.get(), "EDGE 0 12345\n");
    pollfd p{inhibit->fd(), POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 1000), 1);
    auto e = inhibit->read_edge();
    ASSERT_TRUE(e);
    EXPECT_EQ(e->level, Level::low);
    EXPECT_EQ(e->at.time_since_epoch(), std::chrono::nanoseconds(12345));
    EXPECT_EQ(inhibit->level(), Level::low);
    peer_fd.reset();  // the simulator went away
    ASSERT_EQ(::poll(&p, 1, 1000), 1);
    EXPECT_THROW(inhibit->read_edge(), std::system_error);
}

TEST(SimBoard, NoSimulatorIsAnErrorNamingTheSocket) {
    auto board = make_sim_board("/nonexistent/lines.sock");
    try {
        board->claim_output(LineSpec::named("coin"), Level::high);
        ADD_FAILURE();
    } catch (const std::system_error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/lines.sock"), std::string::npos);
    }
}

}  // namespace
}  // namespace cashbridge::hal
