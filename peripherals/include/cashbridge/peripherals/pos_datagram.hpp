/// @file pos_datagram.hpp
/// The LAN datagrams a mobile POS receives (docs/protocol.md, "LAN datagrams for mobile
/// POS"): one compact JSON object per UDP datagram, versioned by "v" like the MQTT contract.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace cashbridge::peripherals {

/// Datagram format version; a POS ignores datagrams with a "v" it does not know.
inline constexpr int pos_datagram_version = 1;

/// Datagrams are kept below this so they fit one Ethernet frame unfragmented.
inline constexpr std::size_t pos_datagram_max = 1200;

/// "pos.order": a session opened; the customer is about to pay `amount` (null: open amount).
struct PosOrder {
    std::string machine;
    std::string session;
    std::optional<std::int64_t> amount;  ///< minor units
    std::string currency;
    std::int64_t ts = 0;  ///< unix seconds
};

/// "pos.result": how a payment ended. `result` is the MQTT report type it mirrors:
/// "credit.delivered", "payment.rejected" or "credit.failed".
struct PosResult {
    std::string machine;
    std::optional<std::string> session;  ///< null when the bridge cannot tell
    std::optional<std::string> payment;  ///< null for a rejection of an unknown payment
    std::string result;
    std::int64_t amount = 0;  ///< minor units credited (delivered) or at stake
    std::string currency;
    std::optional<std::string> reason;  ///< rejections and failures
    std::int64_t ts = 0;
};

using PosDatagram = std::variant<PosOrder, PosResult>;

std::string encode(const PosOrder& d);
std::string encode(const PosResult& d);
std::string encode(const PosDatagram& d);

/// Decodes one datagram; nullopt with `error` set (naming the field) when it is not one.
std::optional<PosDatagram> decode_pos_datagram(std::string_view text, std::string& error);

}  // namespace cashbridge::peripherals
