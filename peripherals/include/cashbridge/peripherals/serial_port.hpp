/// @file serial_port.hpp
/// A move-only serial port over libserialport: opened by path with settings from config,
/// a pollable fd, non-blocking read and write, and detection of a port that vanished.
#pragma once

#include <cashbridge/hal/unique_fd.hpp>
#include <cstddef>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>

struct sp_port;

namespace cashbridge::peripherals {

enum class Parity { none, odd, even };
enum class FlowControl { none, xon_xoff, rts_cts };

/// The line settings of a serial port, as config names them.
struct SerialSettings {
    int baud = 9600;
    int data_bits = 8;  ///< 5..8
    Parity parity = Parity::none;
    int stop_bits = 1;  ///< 1 or 2
    FlowControl flow_control = FlowControl::none;
};

/// Any failure on a port; what() always names the port's path.
class SerialError : public std::runtime_error {
  public:
    SerialError(const std::string& path, const std::string& what)
        : std::runtime_error("serial port " + path + ": " + what), path_(path) {}
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

/// The device went away (USB unplugged, the other end of a pty closed). The owner drops the
/// port and tries SerialPort::open() again until the device is back.
class PortVanished : public SerialError {
  public:
    using SerialError::SerialError;
};

class SerialPort {
  public:
    /// Opens and configures the port. Throws PortVanished when the path does not exist
    /// (yet), SerialError for anything else (permission, unsupported setting).
    static SerialPort open(const std::string& path, const SerialSettings& settings);

    SerialPort(SerialPort&&) noexcept;
    SerialPort& operator=(SerialPort&&) noexcept;
    ~SerialPort();

    const std::string& path() const { return path_; }
    /// For poll()/epoll: readable when bytes wait, POLLHUP/POLLERR once the device is gone.
    int fd() const { return fd_; }
    /// True when libserialport drives the port; false for pseudo-terminals, which
    /// libserialport 0.1.1 refuses (it needs a /sys/class/tty entry), so termios is used.
    bool via_libserialport() const { return port_ != nullptr; }

    /// Reads what is waiting, never blocks; 0 when nothing is. Throws PortVanished when the
    /// device is gone, SerialError on other failures.
    std::size_t read(std::span<char> buffer);
    /// Writes what the driver accepts now, never blocks; returns how many bytes went.
    std::size_t write(std::span<const char> bytes);

  private:
    struct PortDeleter {
        void operator()(sp_port* port) const;
    };
    SerialPort(std::string path, std::unique_ptr<sp_port, PortDeleter> port, hal::UniqueFd tty);
    void check_present() const;

    std::string path_;
    std::unique_ptr<sp_port, PortDeleter> port_;  // libserialport's handle, or empty
    hal::UniqueFd tty_;                           // the termios fallback's fd, or empty
    int fd_ = -1;
};

}  // namespace cashbridge::peripherals
