/// @file scan_messages.hpp
/// Contract v1 messages for customer-presented payment codes: the machine asks the server
/// to charge a scanned code (payment.scan) or to reverse it (payment.cancel) on up/payment;
/// the server may say the charge failed (payment.failed) on down/payment.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "cashbridge/mqtt/messages.hpp"

namespace cashbridge::mqtt {

/// "payment.scan": charge the code the customer showed for this session's amount.
struct PaymentScan {
    std::string order;    ///< the machine's id for this charge attempt, unique per scan
    std::string session;  ///< the session it pays
    MinorUnits amount = 0;
    std::string currency;
    std::string code_type;  ///< "wechat_pay", "alipay", "unionpay" (payment_codes table)
    std::string code;       ///< the full code: only ever sent to the server, never logged
};

/// "payment.cancel": do not charge this order, or reverse it if already charged. The
/// machine never credits a canceled order.
struct PaymentCancel {
    std::string order;
    std::string session;
    std::string reason;  ///< "price_cancel", "session_expired", "server_failed", ...
};

using PaymentRequest = std::variant<PaymentScan, PaymentCancel>;

/// "payment.failed" (down/payment): the server could not charge the order.
struct PaymentFailed {
    std::string order;
    std::string session;
    std::string reason;
};

std::string encode(const PaymentScan& m);
std::string encode(const PaymentCancel& m);
std::string encode(const PaymentRequest& m);
std::string encode(const PaymentFailed& m);

/// malformed_json names the first missing or ill-typed field.
Decoded<PaymentRequest> decode_payment_request(std::string_view json);
Decoded<PaymentFailed> decode_payment_failed(std::string_view json);

/// The "type" of a message without judging the rest; empty when it has none. Lets a
/// reader of down/payment route payment.failed apart from payment.completed.
std::string message_type(std::string_view json);

}  // namespace cashbridge::mqtt
