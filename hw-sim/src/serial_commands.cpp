// Control commands for the serial devices and scanned-code orders: price, price-bytes, scan,
// plug, unplug, scan-mode, scan-complete, orders.
#include <stdexcept>

#include "cashbridge/sim/log.hpp"
#include "cashbridge/sim/simulator.hpp"

namespace cashbridge::sim {
namespace {

std::string joined(const std::vector<std::string>& words) {
    std::string s;
    for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
    return s;
}

// "02 3032 ..." to bytes: binary frames (fixed-length displays) as the device sends them.
std::string hex_bytes(const std::vector<std::string>& words) {
    std::string hex;
    for (const auto& w : words) hex += w;
    const auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        const int hi = digit(hex[i]);
        const int lo = digit(hex[i + 1]);
        if (hi < 0 || lo < 0) break;
        out += static_cast<char>(hi * 16 + lo);
    }
    if (hex.empty() || out.size() * 2 != hex.size())
        throw std::invalid_argument(
            "price-bytes needs hex bytes, e.g. 'price-bytes 02 30323530 03'");
    return out;
}

std::string ok_reply() {
    auto j = json_object();
    cJSON_AddTrueToObject(j.get(), "ok");
    return json_print(j.get());
}

Json order_json(const ScanOrder& o) {
    auto j = json_object();
    cJSON_AddStringToObject(j.get(), "order", o.order.c_str());
    cJSON_AddStringToObject(j.get(), "session", o.session.c_str());
    json_int(j.get(), "amount", o.amount);
    cJSON_AddStringToObject(j.get(), "code_type", o.code_type.c_str());
    cJSON_AddStringToObject(j.get(), "code", o.code.c_str());
    cJSON_AddStringToObject(j.get(), "state", o.state.c_str());
    json_opt_str(j.get(), "payment", o.payment);
    json_opt_str(j.get(), "cancel_reason", o.cancel_reason);
    cJSON_AddBoolToObject(j.get(), "completed_after_cancel", o.completed_after_cancel);
    return j;
}

}  // namespace

SerialPeer& Simulator::peer(const std::string& name) {
    auto* p = name == "price" ? price_tty_.get() : name == "scanner" ? scanner_tty_.get() : nullptr;
    if (name != "price" && name != "scanner")
        throw std::invalid_argument("no device '" + name + "' (price, scanner)");
    if (!p)
        throw std::invalid_argument("no " + name + " device: start the sim with --" + name +
                                    (name == "price" ? "-tty or --price-device" : "-tty"));
    return *p;
}

std::optional<std::string> Simulator::serial_command(const Command& c) {
    if (c.verb == "scan" && scanner_keyboard_) {
        const auto keypad = c.args.find("keypad");
        if (c.words.empty() || c.args.size() > (keypad != c.args.end() ? 1u : 0u))
            throw std::invalid_argument(
                "scan needs the code to type, e.g. 'scan 134567890123456789 "
                "[keypad=1]'");
        scanner_keyboard_->type(joined(c.words), keypad != c.args.end() && keypad->second == "1");
        log_line("scanner keyboard typed a code");
        return ok_reply();
    }
    if (c.verb == "price" || c.verb == "scan") {
        // The text goes out as the device sends it: one line ended by CR LF.
        if (c.words.empty() || !c.args.empty())
            throw std::invalid_argument(c.verb + " needs the text to send, e.g. '" + c.verb +
                                        (c.verb == "price" ? " 250'" : " 134567890123456789'"));
        const auto text = joined(c.words);
        peer(c.verb == "price" ? "price" : "scanner").send(text + "\r\n");
        log_line(c.verb + " device sent " + (c.verb == "scan" ? "a code" : "'" + text + "'"));
        return ok_reply();
    }
    if (c.verb == "price-bytes") {
        // Exactly these bytes, no line end: frames, and partial frames cut short.
        const auto bytes = hex_bytes(c.words);
        peer("price").send(bytes);
        log_line("price device sent " + std::to_string(bytes.size()) + " bytes");
        return ok_reply();
    }
    if (c.verb == "plug" || c.verb == "unplug") {
        if (c.words.size() != 1) throw std::invalid_argument(c.verb + " price|scanner");
        if (c.words[0] == "scanner" && scanner_keyboard_) {
            if (c.verb == "plug")
                scanner_keyboard_->plug();
            else
                scanner_keyboard_->unplug();
            log_line("scanner keyboard " + c.verb + "ged" +
                     (c.verb == "plug" ? " as " + scanner_keyboard_->devnode() : ""));
            return ok_reply();
        }
        auto& p = peer(c.words[0]);
        if (c.verb == "plug")
            p.plug();
        else
            p.unplug();
        log_line(c.words[0] + " device " + c.verb + "ged");
        return ok_reply();
    }
    if (!payments_ && (c.verb == "scan-mode" || c.verb == "scan-complete" || c.verb == "orders"))
        throw std::invalid_argument("no broker: start the sim with --broker");
    if (c.verb == "scan-mode") {
        const std::string m = c.words.size() == 1 ? c.words[0] : "";
        if (m != "complete" && m != "hold" && m != "fail")
            throw std::invalid_argument("scan-mode complete|hold|fail");
        payments_->set_scan_mode(m == "hold"   ? ScanMode::hold
                                 : m == "fail" ? ScanMode::fail
                                               : ScanMode::complete);
        return ok_reply();
    }
    if (c.verb == "scan-complete") {
        const auto order = c.args.find("order");
        const auto force = c.args.find("force");
        if (order == c.args.end() || !c.words.empty())
            throw std::invalid_argument("scan-complete order=ID [force=1]");
        const auto r =
            payments_->complete_order(order->second, force != c.args.end() && force->second == "1");
        auto j = json_object();
        cJSON_AddTrueToObject(j.get(), "ok");
        cJSON_AddStringToObject(j.get(), "payment", r.payment.c_str());
        return json_print(j.get());
    }
    if (c.verb == "orders") {
        auto j = json_object();
        cJSON_AddTrueToObject(j.get(), "ok");
        auto list = json_array();
        for (const auto& o : payments_->orders()) json_append(list.get(), order_json(o));
        json_add(j.get(), "orders", std::move(list));
        return json_print(j.get());
    }
    return std::nullopt;
}

}  // namespace cashbridge::sim
