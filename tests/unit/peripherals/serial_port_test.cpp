// SerialPort over a real pseudo-terminal: settings applied, bytes both ways, a vanished device.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cashbridge/peripherals/serial_device.hpp>
#include <cashbridge/peripherals/serial_port.hpp>
#include <optional>
#include <string>

using namespace cashbridge::peripherals;
using cashbridge::hal::UniqueFd;

namespace {

struct Pty {
    UniqueFd master;
    UniqueFd slave;  // kept open so the tty stays configured between our opens
    std::string path;
    Pty() {
        int m = -1;
        int s = -1;
        std::array<char, 128> name{};
        if (::openpty(&m, &s, name.data(), nullptr, nullptr) != 0)
            throw std::runtime_error("openpty");
        master.reset(m);
        slave.reset(s);
        path = name.data();
    }
};

std::string read_all(SerialPort& port) {
    std::string got;
    std::array<char, 64> buf{};
    for (int i = 0; i < 50 && got.size() < 5; ++i) {
        pollfd p{port.fd(), POLLIN, 0};
        ::poll(&p, 1, 20);
        got.append(buf.data(), port.read(buf));
    }
    return got;
}

}  // namespace

TEST(SerialPort, AppliesSettingsFromConfigOnAPseudoTerminal) {
    Pty pty;
    SerialPort port =
        SerialPort::open(pty.path, SerialSettings{19200, 7, Parity::even, 2, FlowControl::rts_cts});
    EXPECT_FALSE(port.via_libserialport());  // libserialport 0.1.1 does not list ptys
    termios t{};
    ASSERT_EQ(::tcgetattr(pty.slave.get(), &t), 0);
    EXPECT_EQ(::cfgetispeed(&t), B19200);
    // The kernel's pty driver forces CS8 and no parity whatever is asked, so data bits and
    // parity can only be checked on real hardware.
    EXPECT_NE(t.c_cflag & CSTOPB, 0u);
    EXPECT_NE(t.c_cflag & CRTSCTS, 0u);
}

TEST(SerialPort, ReadsAndWritesWithoutBlocking) {
    Pty pty;
    SerialPort port = SerialPort::open(pty.path, SerialSettings{});
    std::array<char, 8> buf{};
    EXPECT_EQ(port.read(buf), 0u) << "nothing waiting must not block";
    ASSERT_EQ(::write(pty.master.get(), "250\r\n", 5), 5);
    EXPECT_EQ(read_all(port), "250\r\n");
    const std::string out = "OK\n";
    EXPECT_EQ(port.write(out), out.size());
    std::array<char, 8> echo{};
    pollfd p{pty.master.get(), POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 1000), 1);
    EXPECT_EQ(::read(pty.master.get(), echo.data(), echo.size()), 3);
}

TEST(SerialPort, ReportsAVanishedDeviceSoTheOwnerCanReopen) {
    Pty pty;
    const std::string path = pty.path;
    SerialPort port = SerialPort::open(path, SerialSettings{});
    pty.slave.reset();
    pty.master.reset();  // the other end goes away, as an unplugged USB adapter does
    std::array<char, 8> buf{};
    try {
        port.read(buf);
        FAIL() << "expected PortVanished";
    } catch (const PortVanished& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
    EXPECT_THROW(SerialPort::open(path, SerialSettings{}), PortVanished);
}

TEST(SerialPort, AMissingPathIsVanishedAndNamesThePort) {
    try {
        SerialPort::open("/dev/cashbridge-no-such-port", SerialSettings{});
        FAIL() << "expected PortVanished";
    } catch (const PortVanished& e) {
        EXPECT_NE(std::string(e.what()).find("/dev/cashbridge-no-such-port"), std::string::npos);
    }
}

TEST(SerialPort, RejectsImpossibleSettingsNamingThem) {
    Pty pty;
    try {
        SerialPort::open(pty.path, SerialSettings{12345, 8, Parity::none, 1, FlowControl::none});
        FAIL() << "expected SerialError";
    } catch (const SerialError& e) {
        EXPECT_NE(std::string(e.what()).find("baud rate 12345"), std::string::npos) << e.what();
    }
    EXPECT_THROW(
        SerialPort::open(pty.path, SerialSettings{9600, 9, Parity::none, 1, FlowControl::none}),
        SerialError);
}

TEST(SerialPort, NotATerminalIsAClearError) {
    EXPECT_THROW(SerialPort::open("/dev/null", SerialSettings{}), SerialError);
}

TEST(SerialPort, MovesOwnership) {
    Pty pty;
    SerialPort a = SerialPort::open(pty.path, SerialSettings{});
    const int fd = a.fd();
    SerialPort b = std::move(a);
    EXPECT_EQ(b.fd(), fd);
}

TEST(SerialDevice, GoesMissingAndComesBackWhenTheDeviceReturns) {
    using namespace std::chrono;
    std::optional<Pty> pty{std::in_place};
    const std::string path = pty->path;
    SerialDevice dev(path, SerialSettings{});
    auto t = SerialDevice::Clock::now();
    ASSERT_TRUE(dev.tick(t));
    ASSERT_TRUE(dev.present());
    ASSERT_EQ(::write(pty->master.get(), "6212", 4), 4);
    pollfd p{dev.fd(), POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 1000), 1);
    EXPECT_EQ(dev.read_available(), "6212");
    pty.reset();  // unplugged
    EXPECT_EQ(dev.read_available(), "");
    EXPECT_FALSE(dev.present());
    EXPECT_NE(dev.error().find(path), std::string::npos) << dev.error();
    EXPECT_FALSE(dev.tick(t + seconds(1)));  // still gone
    // A new pty gets the lowest free number, very likely the same path; when it does not,
    // point a device at the new one, which is what reopening by path means.
    pty.emplace();
    SerialDevice again(pty->path, SerialSettings{});
    SerialDevice& d = pty->path == path ? dev : again;
    EXPECT_TRUE(d.tick(t + seconds(3)));
    EXPECT_TRUE(d.present());
}
