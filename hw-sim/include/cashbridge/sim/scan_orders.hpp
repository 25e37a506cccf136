/// @file scan_orders.hpp
/// The payment server's book of scanned-code orders (payment.scan / payment.cancel).
#pragma once

#include <optional>
#include <string>

namespace cashbridge::sim {

/// How the simulated server answers payment.scan: completes it at once, holds it until a
/// `scan-complete` command, or answers payment.failed.
enum class ScanMode { complete, hold, fail };

struct ScanOrder {
    std::string order;
    std::string session;
    std::int64_t amount = 0;
    std::string code_type;
    std::string code;  ///< kept so tests can check what reached the server
    /// "pending", "completed", "canceled", "failed", "refunded" (canceled after completing)
    std::string state = "pending";
    std::optional<std::string> payment;  ///< the completion's payment id
    std::optional<std::string> cancel_reason;
    bool completed_after_cancel = false;  ///< forced by `scan-complete force=1`
};

}  // namespace cashbridge::sim
