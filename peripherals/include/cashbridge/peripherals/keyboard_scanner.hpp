/// @file keyboard_scanner.hpp
/// A keyboard-wedge (USB HID) code scanner that may come and go: owns the grabbed
/// EvdevKeyboard while it is there and retries opening it once a second while it is not,
/// as SerialDevice does for serial ports. Its keystrokes come out as typed lines.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cashbridge/peripherals/evdev_keyboard.hpp"
#include "cashbridge/peripherals/key_decoder.hpp"

namespace cashbridge::peripherals {

class KeyboardScanner {
  public:
    using Clock = std::chrono::steady_clock;

    /// `max_length`: longer lines are cut and reported overlong (TypedLine::overlong).
    KeyboardScanner(std::string path, std::size_t max_length);

    const std::string& path() const { return path_; }
    bool present() const { return keyboard_.has_value(); }
    /// For the log, as SerialDevice::backend().
    const char* backend() const { return "libevdev"; }
    /// The device's fd to poll, or -1 while it is missing.
    int fd() const { return keyboard_ ? keyboard_->fd() : -1; }
    /// The last error (what made it go missing, or why opening fails); empty if none.
    const std::string& error() const { return error_; }
    /// The device's name once opened ("" before).
    const std::string& name() const { return name_; }

    /// Opens and grabs the device when it is missing and the retry time has come. Returns
    /// true when present() changed.
    bool tick(Clock::time_point now);
    /// Reads the keystrokes waiting and returns the lines they completed. When the device
    /// turns out to be gone it is dropped (present() becomes false) with its partial line.
    std::vector<TypedLine> read_available();

  private:
    std::string path_;
    KeyDecoder decoder_;
    std::optional<EvdevKeyboard> keyboard_;
    std::string error_;
    std::string name_;
    std::optional<Clock::time_point> next_try_;
};

}  // namespace cashbridge::peripherals
