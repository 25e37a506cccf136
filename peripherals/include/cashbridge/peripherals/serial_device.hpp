/// @file serial_device.hpp
/// A serial device that may come and go: owns a SerialPort while the device is there and
/// retries opening it once a second while it is not (USB unplugged and plugged back).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "cashbridge/peripherals/serial_port.hpp"

namespace cashbridge::peripherals {

class SerialDevice {
  public:
    using Clock = std::chrono::steady_clock;

    SerialDevice(std::string path, SerialSettings settings);

    const std::string& path() const { return path_; }
    bool present() const { return port_.has_value(); }
    /// Which backend drives the open port, for the log: "libserialport" or "termios".
    const char* backend() const {
        return port_ && port_->via_libserialport() ? "libserialport" : "termios";
    }
    /// The port's fd to poll, or -1 while the device is missing.
    int fd() const { return port_ ? port_->fd() : -1; }
    /// The last error (what made it go missing, or why opening fails); empty if none.
    const std::string& error() const { return error_; }

    /// Opens the port when it is missing and the retry time has come. Returns true when
    /// present() changed.
    bool tick(Clock::time_point now);
    /// Reads everything waiting. When the device turns out to be gone the port is
    /// dropped (present() becomes false) and what was read before is still returned.
    std::string read_available();

  private:
    std::string path_;
    SerialSettings settings_;
    std::optional<SerialPort> port_;
    std::string error_;
    std::optional<Clock::time_point> next_try_;
};

}  // namespace cashbridge::peripherals
