// PosSender over real UDP on the loopback: every target gets the datagram, and failures
// are counted rather than thrown.
#include "cashbridge/peripherals/pos_sender.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

namespace cashbridge::peripherals {
namespace {

/// A UDP socket bound to 127.0.0.1 on a free port.
struct Receiver {
    hal::UniqueFd fd{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
    std::uint16_t port = 0;
    Receiver() {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
        socklen_t len = sizeof a;
        ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
    }
    std::string receive() {
        pollfd p{fd.get(), POLLIN, 0};
        if (::poll(&p, 1, 2000) != 1) return "(nothing)";
        char buf[2048];
        const auto n = ::recv(fd.get(), buf, sizeof buf, 0);
        return n < 0 ? "(error)" : std::string(buf, static_cast<std::size_t>(n));
    }
};

TEST(PosSender, EveryTargetGetsTheDatagram) {
    Receiver a, b;
    bridge::PosConfig c;
    c.targets = {{"127.0.0.1", a.port}, {"127.0.0.1", b.port}};
    PosSender sender(c);
    EXPECT_EQ(sender.send(R"({"v":1})"), 0);
    EXPECT_EQ(a.receive(), R"({"v":1})");
    EXPECT_EQ(b.receive(), R"({"v":1})");
    EXPECT_EQ(sender.sent(), 2);
    EXPECT_EQ(sender.failed(), 0);
}

TEST(PosSender, AFailedTargetIsCountedAndTheOthersStillGetIt) {
    Receiver a;
    bridge::PosConfig c;
    // Port 0 cannot be sent to: the kernel refuses it at once, like an unreachable network.
    c.targets = {{"127.0.0.1", 0}, {"127.0.0.1", a.port}};
    PosSender sender(c);
    EXPECT_EQ(sender.send("x"), 1);
    EXPECT_EQ(a.receive(), "x");
    EXPECT_EQ(sender.failed(), 1);
    EXPECT_EQ(sender.sent(), 1);
    EXPECT_NE(sender.last_error().find("127.0.0.1:0"), std::string::npos) << sender.last_error();
}

TEST(PosSender, UnknownInterfaceIsAConfigError) {
    bridge::PosConfig c;
    c.multicast_interface = "nosuchif0";
    try {
        PosSender sender(c);
        FAIL() << "accepted an unknown interface";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("pos.multicast_interface"), std::string::npos);
    }
}

}  // namespace
}  // namespace cashbridge::peripherals
