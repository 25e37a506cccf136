/// @file serial_devices_config.hpp
/// Config of the devices beside the machine: the price feed and the code scanner.
/// docs/config.md documents every field.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "cashbridge/peripherals/serial_port.hpp"

namespace cashbridge::bridge {

/// How the amount's digits carry the decimal point.
enum class DecimalConvention {
    minor,  ///< an integer count of minor units: "250" is 2.50 EUR
    point,  ///< "2.50", "2.5" or "2"
    comma,  ///< "2,50"
};

/// `price_feed`: the machine sends the amount due on a serial port.
struct PriceFeedConfig {
    std::string port;
    peripherals::SerialSettings serial;
    /// ECMAScript regex searched in each frame; `(?<amount>...)` marks the amount.
    std::string pattern;
    std::string cancel_pattern;  ///< empty: none; a match closes the session
    DecimalConvention decimals = DecimalConvention::minor;
    /// 0: frames are lines ending in CR and/or LF; N: every N bytes are one frame.
    int frame_length = 0;
    std::int64_t max_amount = 0;  ///< 0: payment.max_amount
    /// 0: an amount stays until changed; otherwise it is dropped when not repeated this long.
    std::chrono::milliseconds stale_after{0};
    /// A partial frame with no byte for this long is discarded as malformed.
    std::chrono::milliseconds frame_timeout{1000};
};

/// How the scanner is attached.
enum class ScannerInput {
    serial,  ///< a serial or USB-serial (CDC/VCP) port: `port` and the line settings
    evdev,   ///< a keyboard-wedge (USB HID) scanner: the input event node `device`
};

/// `scanner`: a barcode scanner that sends each code as a line.
struct ScannerConfig {
    ScannerInput input = ScannerInput::serial;
    std::string port;  ///< serial only
    peripherals::SerialSettings serial;
    std::string device;  ///< evdev only: /dev/input/by-id/...-event-kbd
};

}  // namespace cashbridge::bridge
