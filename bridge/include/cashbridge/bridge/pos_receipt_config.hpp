/// @file pos_receipt_config.hpp
/// Config of the two LAN/printer peripherals: POS push datagrams and ESC/POS receipts.
/// docs/config.md (sections `pos` and `receipt`) documents every field.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cashbridge::bridge {

/// One datagram destination: an IPv4 unicast, broadcast or multicast address and a port.
struct PosTarget {
    std::string address;  ///< dotted quad, e.g. "239.255.42.1"
    std::uint16_t port = 0;
};

struct PosConfig {
    std::vector<PosTarget> targets;   ///< empty: POS push off
    int multicast_ttl = 1;            ///< 1: the local subnet only
    std::string multicast_interface;  ///< interface name for multicast; empty: the route's
    bool multicast_loop = true;       ///< a POS on this host hears it too
};

enum class PrinterTransport { none, serial, file };
enum class QrErrorCorrection { l, m, q, h };

struct ReceiptConfig {
    PrinterTransport transport = PrinterTransport::none;
    std::filesystem::path device;     ///< serial port, or a printer device file (/dev/usb/lp0)
    int baud = 9600;                  ///< serial only
    bool rtscts = false;              ///< serial only: hardware flow control
    std::vector<std::string> header;  ///< lines printed first, centered
    std::string payment_type = "QR code";
    bool refunds = false;  ///< also print a refund slip when a credit fails with money owed
    int width = 32;        ///< characters per line: 32 on 58 mm paper, 48 on 80 mm
    int qr_module = 6;     ///< QR module size in dots (1-16)
    QrErrorCorrection qr_ec = QrErrorCorrection::m;
    std::chrono::milliseconds status_timeout{500};  ///< wait for a DLE EOT answer
    std::chrono::seconds status_interval{10};       ///< status poll while idle
    int queue_max = 20;  ///< receipts waiting for the printer; the oldest is dropped beyond
};

}  // namespace cashbridge::bridge
