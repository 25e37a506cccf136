/// @file terminal_display_test.cpp
/// The terminal backend: its half blocks reproduce the QR module for module, with the quiet
/// zone, in explicit colours, and a full pipe does not cut the output short.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <thread>

#include "cashbridge/display/qr_code.hpp"
#include "test_support.hpp"

namespace cashbridge::display {
namespace {

struct Pipe {
    Pipe() {
        if (::pipe2(fds.data(), O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    }
    ~Pipe() {
        for (int fd : fds)
            if (fd >= 0) ::close(fd);
    }
    void close_write() { ::close(std::exchange(fds[1], -1)); }
    std::string read_all() {
        std::string out;
        std::array<char, 1024> buf{};
        for (ssize_t n; (n = ::read(fds[0], buf.data(), buf.size())) > 0;)
            out.append(buf.data(), static_cast<std::size_t>(n));
        return out;
    }
    std::array<int, 2> fds{-1, -1};
};

std::string show_and_capture(const Screen& screen) {
    Pipe p;
    std::string out;
    std::thread reader([&] { out = p.read_all(); });
    make_terminal_display(p.fds[1])->show(screen);
    p.close_write();
    reader.join();
    return out;
}

// Turns the half-block rows back into module rows (quiet zone included).
std::vector<std::vector<bool>> decode_blocks(const std::string& out) {
    const std::string start = "\x1b[30;107m", end = "\x1b[0m";
    std::vector<std::vector<bool>> rows;
    for (std::size_t pos = 0; (pos = out.find(start, pos)) != std::string::npos;) {
        const std::size_t stop = out.find(end, pos);
        const std::string line = out.substr(pos + start.size(), stop - pos - start.size());
        std::vector<bool> top, bottom;
        for (std::size_t i = 0; i < line.size();) {
            if (line[i] == ' ') {
                top.push_back(false), bottom.push_back(false), ++i;
                continue;
            }
            const std::string ch = line.substr(i, 3);
            top.push_back(ch == "█" || ch == "▀");
            bottom.push_back(ch == "█" || ch == "▄");
            i += 3;
        }
        rows.push_back(top);
        rows.push_back(bottom);
        pos = stop;
    }
    return rows;
}

TEST(TerminalDisplay, HalfBlocksReproduceTheQrWithQuietZone) {
    const auto out = show_and_capture(test::ready_screen());
    EXPECT_EQ(out.rfind("\x1b[H\x1b[2J", 0), 0u) << "must clear before redrawing";
    const auto qr = encode_qr(test::payment_url);
    const int n = qr.size() + 2 * qr_quiet_zone;
    const auto rows = decode_blocks(out);
    ASSERT_EQ(rows.size(), static_cast<std::size_t>(n + 1));  // odd height: last half light
    for (int y = 0; y < n; ++y) {
        ASSERT_EQ(rows[y].size(), static_cast<std::size_t>(n));
        for (int x = 0; x < n; ++x)
            ASSERT_EQ(rows[y][x], qr.dark(x - qr_quiet_zone, y - qr_quiet_zone)) << x << "," << y;
    }
    for (bool m : rows[n]) EXPECT_FALSE(m);
    EXPECT_NE(out.find("Pay 2.00 EUR"), std::string::npos);
    EXPECT_NE(out.find("Scan with your phone camera to pay"), std::string::npos);
    EXPECT_NE(out.find("Vending 42 – Hall B"), std::string::npos);
}

TEST(TerminalDisplay, StateScreensHaveTextButNoQr) {
    const auto out =
        show_and_capture(test::state_screen(ScreenState::unavailable, "Payment network offline"));
    EXPECT_TRUE(decode_blocks(out).empty());
    EXPECT_NE(out.find("Payment network offline"), std::string::npos);
    EXPECT_NE(out.find("Please pay with coins"), std::string::npos);
}

TEST(TerminalDisplay, FullNonBlockingPipeGetsEverything) {
    Pipe p;
    ASSERT_EQ(::fcntl(p.fds[1], F_SETFL, O_NONBLOCK), 0);
    ::fcntl(p.fds[1], F_SETPIPE_SZ, 4096);  // smaller than the output: forces EAGAIN
    auto screen = test::ready_screen();
    screen.qr_content = std::string(test::payment_url) + "&pad=" + std::string(600, 'x');
    std::string out;
    std::thread reader([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        out = p.read_all();
    });
    make_terminal_display(p.fds[1])->show(screen);
    p.close_write();
    reader.join();
    EXPECT_GT(out.size(), 8192u);
    EXPECT_EQ(decode_blocks(out).size() % 2, 0u);
    EXPECT_NE(out.find("Vending 42"), std::string::npos);
}

TEST(TerminalDisplay, WriteErrorNamesTheFd) {
    Pipe p;
    const int fd = p.fds[1];
    auto d = make_terminal_display(fd);
    ::close(std::exchange(p.fds[0], -1));  // no reader: EPIPE (SIGPIPE ignored below)
    signal(SIGPIPE, SIG_IGN);
    try {
        d->show(test::ready_screen());
        FAIL() << "expected std::system_error";
    } catch (const std::system_error& e) {
        EXPECT_NE(std::string(e.what()).find("fd " + std::to_string(fd)), std::string::npos);
    }
}

}  // namespace
}  // namespace cashbridge::display
