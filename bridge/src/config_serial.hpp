// Reads the config sections of the serial devices (price_feed, scanner).
#pragma once

#include "cashbridge/bridge/config.hpp"
#include "json_fields.hpp"

namespace cashbridge::bridge {

/// Reads `price_feed` and `scanner` from the top-level object; problems name field paths.
/// Call after `payment` was read: the price mode decides whether price_feed is required.
void read_serial_devices(FieldReader& top, Config& c);

}  // namespace cashbridge::bridge
