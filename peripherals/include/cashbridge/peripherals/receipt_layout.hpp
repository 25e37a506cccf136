/// @file receipt_layout.hpp
/// What a receipt says and how it is laid out on the paper, as ESC/POS bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cashbridge/bridge/pos_receipt_config.hpp"

namespace cashbridge::peripherals {

enum class ReceiptKind { sale, refund };

struct ReceiptData {
    ReceiptKind kind = ReceiptKind::sale;
    std::string machine;  ///< the machine's name (config machine.name)
    std::string machine_id;
    std::int64_t unix_time = 0;
    std::int64_t amount = 0;  ///< minor units: credited (sale) or owed (refund)
    std::string currency;
    int currency_exponent = 2;
    std::string payment_type;
    std::string payment_id;
};

/// The receipt's text lines, exactly as they should come off the printer (header centered
/// lines included, no control bytes): what the tests compare a printed receipt against.
std::vector<std::string> receipt_lines(const ReceiptData& d, const bridge::ReceiptConfig& c);

/// The ESC/POS stream: init, the lines of receipt_lines() with emphasis, the payment id as a
/// native QR code, feed and cut.
std::string encode_receipt(const ReceiptData& d, const bridge::ReceiptConfig& c);

}  // namespace cashbridge::peripherals
