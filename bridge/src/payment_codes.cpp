// The table of customer-presented payment codes (issuer, prefixes, lengths) and its use.
#include "cashbridge/bridge/payment_codes.hpp"

#include <algorithm>
#include <array>

namespace cashbridge::bridge {
namespace {

struct CodeRule {
    std::string_view type;
    std::string_view label;
    int first_prefix;  // two-digit prefixes first_prefix..last_prefix
    int last_prefix;
    std::size_t min_length;
    std::size_t max_length;
};

// Add an issuer by adding a row. Sources (checked 2026-11):
// - WeChat Pay: "The payment code of a WeChat user is composed of 18 digits. Codes beginning
//   with 10-14 are for users in mainland China ... Codes beginning with 15 are for users in
//   Hong Kong" (pay.weixin.qq.com/wiki/doc/api/wxpay/en/guide/pos/ImportantParameters.shtml).
// - Alipay: alipay.trade.pay, auth_code: "25~30开头的长度为16~24位的数字" (digits starting
//   with 25..30, 16 to 24 long), as quoted in Alipay SDK request types.
// - UnionPay QuickPass C2B code: 19 digits starting with 62. NOT confirmed against a public
//   UnionPay document (none found); it is the commonly used rule and is kept as one.
constexpr std::array<CodeRule, 3> kRules{{
    {"wechat_pay", "WeChat Pay", 10, 15, 18, 18},
    {"alipay", "Alipay", 25, 30, 16, 24},
    {"unionpay", "UnionPay QuickPass", 62, 62, 19, 19},
}};

}  // namespace

CodeClass classify_payment_code(std::string_view code) {
    if (code.empty()) return CodeRejected{"Empty code"};
    if (!std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return CodeRejected{"Not a payment code (digits only)"};
    if (code.size() < 2) return CodeRejected{"Unknown payment code"};
    const int prefix = (code[0] - '0') * 10 + (code[1] - '0');
    for (const auto& rule : kRules) {
        if (prefix < rule.first_prefix || prefix > rule.last_prefix) continue;
        if (code.size() < rule.min_length || code.size() > rule.max_length)
            return CodeRejected{std::string(rule.label) + " code of wrong length (" +
                                std::to_string(code.size()) + " digits)"};
        return CodeKind{std::string(rule.type), std::string(rule.label)};
    }
    return CodeRejected{"Unknown payment code"};
}

std::string mask_code(std::string_view code) {
    if (code.size() <= 4) return std::string(code.size(), '*');
    return "****" + std::string(code.substr(code.size() - 4));
}

}  // namespace cashbridge::bridge
