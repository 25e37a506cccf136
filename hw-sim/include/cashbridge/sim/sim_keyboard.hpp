/// @file sim_keyboard.hpp
/// A keyboard-wedge (USB HID) scanner played through uinput: a virtual keyboard the kernel
/// lists as a real input device, with a stable symlink to its event node (what udev's
/// /dev/input/by-id links give on a real system). unplug() destroys the device, plug()
/// creates a new one, possibly under another event number, and moves the link.
#pragma once

#include <memory>
#include <string>

struct libevdev;
struct libevdev_uinput;

namespace cashbridge::sim {

class SimKeyboard {
  public:
    /// Creates the device (needs /dev/uinput: the uinput module and write access) and
    /// points `link` at its event node. Throws std::system_error / std::runtime_error.
    explicit SimKeyboard(std::string link);
    ~SimKeyboard();
    SimKeyboard(const SimKeyboard&) = delete;
    SimKeyboard& operator=(const SimKeyboard&) = delete;

    const std::string& link() const { return link_; }
    bool plugged() const { return static_cast<bool>(uinput_); }
    /// The event node behind the link ("/dev/input/event3"), empty while unplugged.
    std::string devnode() const;
    /// Types `text` and Enter as a US-layout scanner does (Shift around capitals; digits on
    /// the keypad when `keypad`). Throws std::invalid_argument for a character it has no key
    /// for, std::runtime_error when unplugged.
    void type(const std::string& text, bool keypad);

    void unplug();
    void plug();

  private:
    struct FreeDevice {
        void operator()(libevdev* d) const;
    };
    struct Destroy {
        void operator()(libevdev_uinput* u) const;
    };
    void key(unsigned code, int value);

    std::string link_;
    std::unique_ptr<libevdev, FreeDevice> prototype_;  // the capabilities each plug() gets
    std::unique_ptr<libevdev_uinput, Destroy> uinput_;
};

}  // namespace cashbridge::sim
