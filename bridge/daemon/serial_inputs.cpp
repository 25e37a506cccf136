// SerialInputs: serial bytes to bridge events, and devices reopened when they return.
#include "serial_inputs.hpp"

namespace cashbridge::bridge {
namespace {
constexpr std::size_t max_code = 128;  // payment codes are 16-24 digits; more is noise
}

SerialInputs::SerialInputs(const Config& config, Logger& log) : log_(log) {
    if (config.price_feed) {
        price_.emplace(Input{"price_feed", {config.price_feed->port, config.price_feed->serial}});
        parser_.emplace(*config.price_feed, config.payment.currency_exponent,
                        config.payment.max_amount, config.acceptor.unit());
    }
    if (config.scanner)
        scanner_.emplace(Input{"scanner", {config.scanner->port, config.scanner->serial}});
}

void SerialInputs::add_fds(std::vector<pollfd>& fds) {
    for (auto* in : {price_ ? &*price_ : nullptr, scanner_ ? &*scanner_ : nullptr}) {
        if (!in) continue;
        in->slot = 0;
        if (in->device.fd() < 0) continue;
        in->slot = fds.size();
        fds.push_back({in->device.fd(), POLLIN, 0});
    }
}

void SerialInputs::handle(const std::vector<pollfd>& fds, Bridge& bridge, Now now) {
    for (auto* in : {price_ ? &*price_ : nullptr, scanner_ ? &*scanner_ : nullptr}) {
        if (!in) continue;
        if (in->slot != 0 && (fds[in->slot].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
            read(*in, bridge, now);
        const bool was = in->device.present();
        if (in->device.tick(now.mono) || (was && !in->device.present())) {
            if (in->device.present())
                log_.info("serial", in->name + " opened " + in->device.path());
            bridge.on_device(in->name, in->device.present(), now);
        } else if (!was && !in->device.present() && !in->device.error().empty()) {
            bridge.on_device(in->name, false, now);  // missing from the start
        }
    }
    if (parser_)
        for (const auto& u : parser_->tick(now.mono)) bridge.on_price(u, now);
}

void SerialInputs::read(Input& in, Bridge& bridge, Now now) {
    const auto bytes = in.device.read_available();
    if (!in.device.present()) log_.warn("serial", in.device.error());
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
            if (!scan_line_.empty()) bridge.on_scan(scan_line_, now);
            scan_line_.clear();
        } else if (scan_line_.size() < max_code) {
            scan_line_ += c;
        }
    }
}

}  // namespace cashbridge::bridge
