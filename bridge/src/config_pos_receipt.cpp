// The `pos` (LAN datagrams for mobile POS) and `receipt` (ESC/POS printer) config sections.
#include <arpa/inet.h>
#include <net/if.h>

#include "config_sections.hpp"

namespace cashbridge::bridge {
namespace {

/// "ADDR:PORT" with an IPv4 dotted quad; nullopt if it is not one.
std::optional<PosTarget> parse_target(const std::string& s) {
    const auto colon = s.rfind(':');
    if (colon == std::string::npos) return std::nullopt;
    PosTarget t;
    t.address = s.substr(0, colon);
    in_addr a{};
    if (::inet_pton(AF_INET, t.address.c_str(), &a) != 1) return std::nullopt;
    const auto port = s.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    const auto n = std::stoi(port);
    if (n < 1 || n > 65535) return std::nullopt;
    t.port = static_cast<std::uint16_t>(n);
    return t;
}

}  // namespace

void read_pos(FieldReader r, PosConfig& pos) {
    const auto items = r.array("targets");
    if (items.size() > 8) r.problem("targets", "at most 8 targets");
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string path = r.path_of("targets") + "[" + std::to_string(i) + "]";
        const auto t =
            cJSON_IsString(items[i]) ? parse_target(items[i]->valuestring) : std::nullopt;
        if (!t)
            r.problems().push_back(path +
                                   ": expected \"ADDR:PORT\" with an IPv4 address, e.g. "
                                   "\"239.255.42.1:5599\"");
        else
            pos.targets.push_back(*t);
    }
    pos.multicast_ttl = static_cast<int>(r.integer("multicast_ttl", 1, 0, 255));
    pos.multicast_interface = r.text("multicast_interface", "");
    if (pos.multicast_interface.size() >= IF_NAMESIZE)
        r.problem("multicast_interface", "an interface name is at most 15 characters");
    pos.multicast_loop = r.boolean("multicast_loop", true);
}

void read_receipt(FieldReader r, ReceiptConfig& rc, const std::filesystem::path& base) {
    const auto t = r.choice("printer", "none", {"none", "serial", "file"});
    rc.transport = t == "serial" ? PrinterTransport::serial
                   : t == "file" ? PrinterTransport::file
                                 : PrinterTransport::none;
    // As elsewhere, fields of another mode are unknown: a printer set to "none" with a
    // device, or a baud rate for a device file, is a mistake worth reporting.
    if (rc.transport == PrinterTransport::none) return;
    const auto device = r.text("device", "", true);
    rc.device =
        device.empty() || device.front() == '/' ? std::filesystem::path(device) : base / device;
    if (rc.transport == PrinterTransport::serial) {
        rc.baud = static_cast<int>(r.integer("baud", 9600, 1200, 921600));
        rc.rtscts = r.choice("flow_control", "none", {"none", "rtscts"}) == "rtscts";
    }
    rc.width = static_cast<int>(r.integer("width", 32, 16, 64));
    const auto lines = r.array("header");
    if (lines.size() > 8) r.problem("header", "at most 8 lines");
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string path = r.path_of("header") + "[" + std::to_string(i) + "]";
        if (!cJSON_IsString(lines[i]))
            r.problems().push_back(path + ": expected a string");
        else if (std::string(lines[i]->valuestring).size() > static_cast<std::size_t>(rc.width))
            r.problems().push_back(path + ": longer than receipt.width (" +
                                   std::to_string(rc.width) + " characters)");
        else
            rc.header.push_back(lines[i]->valuestring);
    }
    rc.payment_type = r.text("payment_type", rc.payment_type);
    rc.refunds = r.boolean("refunds", false);
    rc.qr_module = static_cast<int>(r.integer("qr_module", 6, 1, 16));
    const auto ec = r.choice("qr_error_correction", "M", {"L", "M", "Q", "H"});
    rc.qr_ec = ec == "L"   ? QrErrorCorrection::l
               : ec == "Q" ? QrErrorCorrection::q
               : ec == "H" ? QrErrorCorrection::h
                           : QrErrorCorrection::m;
    rc.status_timeout = std::chrono::milliseconds(r.integer("status_timeout_ms", 500, 50, 10'000));
    rc.status_interval = std::chrono::seconds(r.integer("status_interval_s", 10, 1, 3600));
    rc.queue_max = static_cast<int>(r.integer("queue_max", 20, 1, 1000));
}

}  // namespace cashbridge::bridge
