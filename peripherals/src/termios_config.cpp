// The termios backend (pseudo-terminals) and the settings checks both backends share.
#include "termios_config.hpp"

#include <fcntl.h>
#include <termios.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

namespace cashbridge::peripherals {
namespace {

constexpr std::array<std::pair<int, speed_t>, 12> kBauds{{{1200, B1200},
                                                          {2400, B2400},
                                                          {4800, B4800},
                                                          {9600, B9600},
                                                          {19200, B19200},
                                                          {38400, B38400},
                                                          {57600, B57600},
                                                          {115200, B115200},
                                                          {230400, B230400},
                                                          {460800, B460800},
                                                          {921600, B921600},
                                                          {300, B300}}};

speed_t speed_of(int baud) {
    for (const auto& [value, speed] : kBauds) {
        if (value == baud) return speed;
    }
    return B0;
}

tcflag_t size_flag(int bits) {
    switch (bits) {
        case 5:
            return CS5;
        case 6:
            return CS6;
        case 7:
            return CS7;
        default:
            return CS8;
    }
}

}  // namespace

void validate(const std::string& path, const SerialSettings& s) {
    if (speed_of(s.baud) == B0) {
        throw SerialError(path, "unsupported baud rate " + std::to_string(s.baud));
    }
    if (s.data_bits < 5 || s.data_bits > 8) {
        throw SerialError(path, "data bits must be 5..8, not " + std::to_string(s.data_bits));
    }
    if (s.stop_bits != 1 && s.stop_bits != 2) {
        throw SerialError(path, "stop bits must be 1 or 2, not " + std::to_string(s.stop_bits));
    }
}

hal::UniqueFd open_termios(const std::string& path, const SerialSettings& s) {
    hal::UniqueFd fd(::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
    if (!fd) {
        if (errno == ENOENT || errno == ENXIO || errno == ENODEV) {
            throw PortVanished(path, std::string("open: ") + std::strerror(errno));
        }
        throw SerialError(path, std::string("open: ") + std::strerror(errno));
    }
    termios t{};
    if (::tcgetattr(fd.get(), &t) != 0) {
        throw SerialError(path, std::string("not a terminal: ") + std::strerror(errno));
    }
    ::cfmakeraw(&t);
    ::cfsetispeed(&t, speed_of(s.baud));
    ::cfsetospeed(&t, speed_of(s.baud));
    t.c_cflag &= ~(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
    t.c_cflag |= size_flag(s.data_bits) | CLOCAL | CREAD;
    if (s.parity != Parity::none) t.c_cflag |= PARENB;
    if (s.parity == Parity::odd) t.c_cflag |= PARODD;
    if (s.stop_bits == 2) t.c_cflag |= CSTOPB;
    t.c_iflag &= ~(IXON | IXOFF | IXANY);
    if (s.flow_control == FlowControl::xon_xoff) t.c_iflag |= IXON | IXOFF;
    if (s.flow_control == FlowControl::rts_cts) t.c_cflag |= CRTSCTS;
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    if (::tcsetattr(fd.get(), TCSANOW, &t) != 0) {
        throw SerialError(path, std::string("apply settings: ") + std::strerror(errno));
    }
    return fd;
}

}  // namespace cashbridge::peripherals
