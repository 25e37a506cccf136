// The daemon's serial inputs: the price feed and the code scanner, as pollable devices that
// hand what they read to the bridge and report themselves missing while unplugged.
#pragma once

#include <poll.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cashbridge/bridge/bridge.hpp"
#include "cashbridge/bridge/price_feed.hpp"
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
    void read(Input& in, Bridge& bridge, Now now);
    void scanner_bytes(const std::string& bytes, Bridge& bridge, Now now);

    Logger& log_;
    std::optional<Input> price_;
    std::optional<PriceFeedParser> parser_;
    std::optional<Input> scanner_;
    std::string scan_line_;
};

}  // namespace cashbridge::bridge
