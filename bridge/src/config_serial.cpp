// Config of the serial devices: port, line settings, and each device's own fields.
#include "config_serial.hpp"

#include <stdexcept>

#include "cashbridge/bridge/price_feed.hpp"

namespace cashbridge::bridge {
namespace {

peripherals::SerialSettings read_settings(FieldReader& r) {
    using namespace peripherals;
    SerialSettings s;
    s.baud = static_cast<int>(r.integer("baud", 9600, 300, 921600));
    s.data_bits = static_cast<int>(r.integer("data_bits", 8, 5, 8));
    const auto parity = r.choice("parity", "none", {"none", "odd", "even"});
    s.parity = parity == "odd" ? Parity::odd : parity == "even" ? Parity::even : Parity::none;
    s.stop_bits = static_cast<int>(r.integer("stop_bits", 1, 1, 2));
    const auto flow = r.choice("flow_control", "none", {"none", "xon_xoff", "rts_cts"});
    s.flow_control = flow == "xon_xoff"  ? FlowControl::xon_xoff
                     : flow == "rts_cts" ? FlowControl::rts_cts
                                         : FlowControl::none;
    return s;
}

void check_regex(FieldReader& r, const char* name, const std::string& pattern, bool amount) {
    try {
        Pattern(pattern, amount);
    } catch (const std::exception& e) {
        r.problem(name, e.what());
    }
}

void read_price_feed(FieldReader f, Config& c) {
    PriceFeedConfig p;
    p.port = f.text("port", "", true);
    p.serial = read_settings(f);
    p.pattern = f.text("pattern", "", true);
    if (!p.pattern.empty()) check_regex(f, "pattern", p.pattern, true);
    p.cancel_pattern = f.text("cancel_pattern", "");
    if (!p.cancel_pattern.empty()) check_regex(f, "cancel_pattern", p.cancel_pattern, false);
    const auto d = f.choice("decimals", "minor", {"minor", "point", "comma"});
    p.decimals = d == "point"   ? DecimalConvention::point
                 : d == "comma" ? DecimalConvention::comma
                                : DecimalConvention::minor;
    p.frame_length = static_cast<int>(f.integer("frame_length", 0, 0, 256));
    p.max_amount = f.integer("max_amount", 0, 0, 100'000'000);
    if (c.payment.max_amount > 0 && p.max_amount > c.payment.max_amount)
        f.problem("max_amount", "above payment.max_amount");
    p.stale_after = std::chrono::milliseconds(f.integer("stale_after_ms", 0, 0, 86'400'000));
    p.frame_timeout = std::chrono::milliseconds(f.integer("frame_timeout_ms", 1000, 10, 60'000));
    c.price_feed = std::move(p);
}

void read_scanner(FieldReader s, Config& c) {
    ScannerConfig sc;
    const auto input = s.choice("input", "serial", {"serial", "evdev"});
    sc.input = input == "evdev" ? ScannerInput::evdev : ScannerInput::serial;
    if (sc.input == ScannerInput::serial) {
        sc.port = s.text("port", "", true);
        sc.serial = read_settings(s);
        if (s.has("device"))
            s.problem("device",
                      "only with scanner.input \"evdev\"; a serial scanner is "
                      "named by scanner.port");
        s.text("device", "");
    } else {
        sc.device = s.text("device", "", true);
        // The serial fields mean nothing to a keyboard; say so rather than ignore them.
        for (const char* f : {"port", "baud", "data_bits", "parity", "stop_bits", "flow_control"})
            if (s.has(f))
                s.problem(f,
                          "only with scanner.input \"serial\"; a keyboard-wedge scanner is "
                          "named by scanner.device");
        s.text("port", "");
        read_settings(s);
    }
    c.scanner = std::move(sc);
}

}  // namespace

void read_serial_devices(FieldReader& top, Config& c) {
    if (top.has("price_feed")) read_price_feed(top.object("price_feed"), c);
    if (c.payment.price_mode == PriceMode::external && !c.price_feed)
        top.problem("price_feed", "required when payment.price.mode is \"external\"");
    if (c.price_feed && c.payment.price_mode != PriceMode::external)
        top.problem("price_feed", "only used with payment.price.mode \"external\"");
    if (top.has("scanner")) read_scanner(top.object("scanner"), c);
}

}  // namespace cashbridge::bridge
