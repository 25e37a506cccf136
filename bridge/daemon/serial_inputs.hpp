// The daemon's device inputs: the price feed and the code scanner (a serial port, or a
// keyboard-wedge scanner through evdev), as pollable devices that hand what they read to
// the bridge and report themselves missing while unplugged.
#pragma once

#include <poll.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cashbridge/bridge/bridge.hpp"
#include "cashbridge/bridge/price_feed.hpp"
#include "cashbridge/peripherals/keyboard_scanner.hpp"
#include "cashbridge/peripherals/serial_device.hpp"

namespace cashbridge::bridge {

class SerialInputs {
  public:
    SerialInputs(const Config& config, Logger& log);

    /// Appends the fds of the devices that are present; remembers where they went.
    void add_fds(std::vector<pollfd>& fds);
    /// Reads the devices whose fds polled ready, and runs the timers (reopening, stale
    /// prices, partial frames).
    void handle(const std::vector<pollfd>& fds, Bridge& bridge, Now now);

  private:
    struct Input {
        std::string name;  // "price_feed", "scanner": also the state gauge's prefix
        peripherals::SerialDevice device;
        std::size_t slot = 0;  // index in the poll set, 0 = not polled this round
    };
    struct Keyboard {
        peripherals::KeyboardScanner device;
        std::size_t slot = 0;
    };
    void read(Input& in, Bridge& bridge, Now now);
    void scanner_bytes(const std::string& bytes, Bridge& bridge, Now now);
    void read_keyboard(Bridge& bridge, Now now);
    template <class Device>
    void track_presence(const std::string& name, Device& device, bool was, Bridge& bridge, Now now);

    Logger& log_;
    std::optional<Input> price_;
    std::optional<PriceFeedParser> parser_;
    std::optional<Input> scanner_;
    std::string scan_line_;
    std::size_t scan_overlong_ = 0;
    std::optional<Keyboard> keyboard_;               // the scanner when scanner.input is "evdev"
    std::map<std::string, std::string> last_error_;  // by device name: the reason logged last
};

}  // namespace cashbridge::bridge
