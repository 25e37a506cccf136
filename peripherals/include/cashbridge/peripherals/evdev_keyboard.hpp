/// @file evdev_keyboard.hpp
/// A keyboard input device (/dev/input/event*) opened through libevdev and grabbed, so its
/// keystrokes reach only us and never a console or a login prompt.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cashbridge/hal/unique_fd.hpp"

struct libevdev;

namespace cashbridge::peripherals {

/// Opening or reading the device failed; the message names the device.
class EvdevError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// The device went away (USB unplugged: ENODEV). The owner drops it and reopens later.
class EvdevVanished : public EvdevError {
  public:
    using EvdevError::EvdevError;
};

struct KeyEvent {
    unsigned code;  ///< KEY_* of <linux/input-event-codes.h>
    int value;      ///< 1 press, 0 release, 2 autorepeat
};

class EvdevKeyboard {
  public:
    /// Opens `path` non-blocking and grabs it (EVIOCGRAB). Throws EvdevError naming the path
    /// when it cannot be opened, is no input device, has no Enter key, or another process
    /// holds the grab.
    static EvdevKeyboard open(const std::string& path);

    EvdevKeyboard(EvdevKeyboard&&) noexcept;
    EvdevKeyboard& operator=(EvdevKeyboard&&) noexcept;
    ~EvdevKeyboard();

    int fd() const { return fd_.get(); }
    /// The device's own name ("Honeywell ... Keyboard"), for the log.
    std::string name() const;

    /// Reads every event waiting (never blocks). Key events go to `keys`; returns true when
    /// the kernel dropped events since the last read (its buffer overflowed). Throws
    /// EvdevVanished when the device is gone, EvdevError on other read errors.
    bool read_keys(std::vector<KeyEvent>& keys);

  private:
    struct Free {
        void operator()(libevdev* dev) const;
    };
    EvdevKeyboard(std::string path, hal::UniqueFd fd, std::unique_ptr<libevdev, Free> dev);

    std::string path_;
    hal::UniqueFd fd_;                     // declared first: closed after the handle is freed
    std::unique_ptr<libevdev, Free> dev_;  // the grab ends when the fd closes
};

}  // namespace cashbridge::peripherals
