/// @file receipt_port.hpp
/// The byte channel to an ESC/POS printer: a serial port or a printer device file. Used only
/// from the receipt printer's own thread, so its calls may block up to their timeouts.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

#include "cashbridge/bridge/pos_receipt_config.hpp"

namespace cashbridge::peripherals {

class ReceiptPort {
  public:
    virtual ~ReceiptPort() = default;
    /// Writes all of `bytes` within `timeout`. Throws std::runtime_error (with the device
    /// named) on an error or when the printer does not take the bytes in time.
    virtual void write(std::string_view bytes, std::chrono::milliseconds timeout) = 0;
    /// One byte from the printer, or nullopt if none came within `timeout`.
    virtual std::optional<std::uint8_t> read_byte(std::chrono::milliseconds timeout) = 0;
    /// Drops unread input (late answers to an earlier query).
    virtual void discard_input() = 0;
};

/// A printer device file (/dev/usb/lp0, or any character device or pty): plain read/write,
/// non-blocking with poll() timeouts. Throws std::system_error if it cannot be opened.
std::unique_ptr<ReceiptPort> open_file_port(const std::filesystem::path& device);

/// Opens the port the config names. Throws like the backends' openers.
std::unique_ptr<ReceiptPort> open_receipt_port(const bridge::ReceiptConfig& config);

}  // namespace cashbridge::peripherals
