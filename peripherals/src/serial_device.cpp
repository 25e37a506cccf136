// SerialDevice: a port that is reopened when its device returns.
#include "cashbridge/peripherals/serial_device.hpp"

#include <array>

namespace cashbridge::peripherals {
namespace {
constexpr auto retry_every = std::chrono::seconds(1);
}

SerialDevice::SerialDevice(std::string path, SerialSettings settings)
    : path_(std::move(path)), settings_(settings) {}

bool SerialDevice::tick(Clock::time_point now) {
    if (port_ || (next_try_ && now < *next_try_)) return false;
    next_try_ = now + retry_every;
    try {
        port_.emplace(SerialPort::open(path_, settings_));
        error_.clear();
        return true;
    } catch (const SerialError& e) {
        error_ = e.what();  // missing or refusing: tried again next second
        return false;
    }
}

std::string SerialDevice::read_available() {
    std::string out;
    if (!port_) return out;
    std::array<char, 512> buf{};
    try {
        for (;;) {
            const auto n = port_->read(buf);
            if (n == 0) break;
            out.append(buf.data(), n);
        }
    } catch (const SerialError& e) {
        error_ = e.what();
        port_.reset();
    }
    return out;
}

}  // namespace cashbridge::peripherals
