// SerialInputs: device input to bridge events, and devices reopened when they return.
#include "serial_inputs.hpp"

namespace cashbridge::bridge {
namespace {

constexpr std::size_t max_code = 128;  // payment codes are 16-24 digits; more is noise

std::string overlong_text(std::size_t extra) {
    return "a scanned line longer than " + std::to_string(max_code) + " characters (" +
           std::to_string(max_code + extra) + "): not a payment code";
}

// Why a typed line is no code; the text itself is never in it (it may be a valid code).
std::string unreadable_reason(const peripherals::TypedLine& line) {
    if (line.lost) return "the kernel dropped keystrokes while the code was typed";
    if (line.overlong) return overlong_text(line.overlong);
    return std::to_string(line.unknown) + " key(s) with no character on a US layout (first: key " +
           std::to_string(line.first_unknown) + "); set the scanner to a US keyboard layout";
}

}  // namespace

SerialInputs::SerialInputs(const Config& config, Logger& log) : log_(log) {
    if (config.price_feed) {
        price_.emplace(Input{"price_feed", {config.price_feed->port, config.price_feed->serial}});
        parser_.emplace(*config.price_feed, config.payment.currency_exponent,
                        config.payment.max_amount, config.acceptor.unit());
    }
    if (config.scanner && config.scanner->input == ScannerInput::evdev)
        keyboard_.emplace(Keyboard{{config.scanner->device, max_code}});
    else if (config.scanner)
        scanner_.emplace(Input{"scanner", {config.scanner->port, config.scanner->serial}});
}

void SerialInputs::add_fds(std::vector<pollfd>& fds) {
    const auto add = [&fds](int fd, std::size_t& slot) {
        slot = 0;
        if (fd < 0) return;
        slot = fds.size();
        fds.push_back({fd, POLLIN, 0});
    };
    for (auto* in : {price_ ? &*price_ : nullptr, scanner_ ? &*scanner_ : nullptr})
        if (in) add(in->device.fd(), in->slot);
    if (keyboard_) add(keyboard_->device.fd(), keyboard_->slot);
}

template <class Device>
void SerialInputs::track_presence(const std::string& name, Device& device, bool was, Bridge& bridge,
                                  Now now) {
    // Why it is gone or cannot be opened (unplugged, no keyboard, grabbed by another
    // program), once per new reason rather than every second.
    auto& logged = last_error_[name];
    const auto log_reason = [&] {
        if (!device.present() && device.error() != logged && !device.error().empty())
            log_.warn("devices", device.error());
        logged = device.present() ? std::string() : device.error();
    };
    // The loss first, so that a device back at once still counts as lost once.
    if (was && !device.present()) {
        log_reason();
        bridge.on_device(name, false, now);
    }
    if (device.tick(now.mono)) {
        // The backend is named so an installer (and the qemu test) sees that a real UART
        // went through libserialport, not the pseudo-terminal fallback.
        log_.info("devices", name + " opened " + device.path() + " through " + device.backend());
        bridge.on_device(name, true, now);
    } else if (!device.present() && !device.error().empty()) {
        bridge.on_device(name, false, now);  // missing from the start (reported once)
    }
    log_reason();
}

void SerialInputs::handle(const std::vector<pollfd>& fds, Bridge& bridge, Now now) {
    constexpr short ready = POLLIN | POLLHUP | POLLERR | POLLNVAL;
    for (auto* in : {price_ ? &*price_ : nullptr, scanner_ ? &*scanner_ : nullptr}) {
        if (!in) continue;
        const bool was = in->device.present();
        if (in->slot != 0 && (fds[in->slot].revents & ready)) read(*in, bridge, now);
        track_presence(in->name, in->device, was, bridge, now);
    }
    if (keyboard_) {
        const bool was = keyboard_->device.present();
        if (keyboard_->slot != 0 && (fds[keyboard_->slot].revents & ready))
            read_keyboard(bridge, now);
        track_presence("scanner", keyboard_->device, was, bridge, now);
    }
    if (parser_)
        for (const auto& u : parser_->tick(now.mono)) bridge.on_price(u, now);
}

void SerialInputs::read(Input& in, Bridge& bridge, Now now) {
    const auto bytes = in.device.read_available();
    if (bytes.empty()) return;
    if (price_ && &in == &*price_) {
        for (const auto& u : parser_->feed(bytes, now.mono)) bridge.on_price(u, now);
    } else {
        scanner_bytes(bytes, bridge, now);
    }
}

void SerialInputs::scanner_bytes(const std::string& bytes, Bridge& bridge, Now now) {
    // Scanners end each code with CR, LF or both (their "suffix" setting).
    for (const char c : bytes) {
        if (c == '\r' || c == '\n') {
            if (scan_overlong_ > 0)
                bridge.on_scan_unreadable(overlong_text(scan_overlong_), now);
            else if (!scan_line_.empty())
                bridge.on_scan(scan_line_, now);
            scan_line_.clear();
            scan_overlong_ = 0;
        } else if (scan_line_.size() < max_code) {
            scan_line_ += c;
        } else {
            ++scan_overlong_;
        }
    }
}

void SerialInputs::read_keyboard(Bridge& bridge, Now now) {
    auto& scanner = keyboard_->device;
    const auto lines = scanner.read_available();
    // The same classification and payment.scan path as a serial scanner's lines.
    for (const auto& line : lines) {
        if (line.clean())
            bridge.on_scan(line.text, now);
        else
            bridge.on_scan_unreadable(unreadable_reason(line), now);
    }
}

}  // namespace cashbridge::bridge
