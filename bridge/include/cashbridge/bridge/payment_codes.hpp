/// @file payment_codes.hpp
/// Classifies a code scanned from a customer's phone by its issuer's prefix and length
/// rules; the rules are one table in payment_codes.cpp.
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace cashbridge::bridge {

struct CodeKind {
    std::string type;   ///< contract name: "wechat_pay", "alipay", "unionpay"
    std::string label;  ///< for people: "WeChat Pay"
};

/// Why a code is not accepted, short enough for the screen ("Unknown payment code").
struct CodeRejected {
    std::string reason;
};

using CodeClass = std::variant<CodeKind, CodeRejected>;

CodeClass classify_payment_code(std::string_view code);

/// "****6789": codes are bearer credentials for a minute, so logs and events only ever
/// carry the last four characters.
std::string mask_code(std::string_view code);

}  // namespace cashbridge::bridge
