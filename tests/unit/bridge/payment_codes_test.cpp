// classify_payment_code: the issuer table, with one row per case.
#include "cashbridge/bridge/payment_codes.hpp"

#include <gtest/gtest.h>

namespace cashbridge::bridge {
namespace {

struct Case {
    const char* code;
    const char* type;    // expected type, or nullptr when rejected
    const char* reason;  // part of the rejection reason
};

TEST(PaymentCodes, ClassifiesByIssuerPrefixAndLength) {
    const Case cases[] = {
        // code                       type          reason
        {"134567890123456789", "wechat_pay", nullptr},  // 18 digits, 13
        {"101234567890123456", "wechat_pay", nullptr},  // lowest WeChat prefix
        {"151234567890123456", "wechat_pay", nullptr},  // Hong Kong users
        {"16123456789012345678", nullptr, "Unknown"},   // 16 is nobody's
        {"13456789012345678", nullptr, "WeChat Pay code of wrong length (17"},
        {"2812345678901234", "alipay", nullptr},          // 16 digits, shortest
        {"281234567890123456789012", "alipay", nullptr},  // 24 digits, longest
        {"301234567890123456", "alipay", nullptr},        // highest Alipay prefix
        {"2812345678901234567890123", nullptr, "Alipay code of wrong length (25"},
        {"311234567890123456", nullptr, "Unknown"},
        {"6212345678901234567", "unionpay", nullptr},  // 19 digits, 62
        {"621234567890123456", nullptr, "UnionPay QuickPass code of wrong length"},
        {"99999999999999999999", nullptr, "Unknown"},
        {"13456789012345678X", nullptr, "digits only"},
        {"https://pay.example/q/1", nullptr, "digits only"},
        {"", nullptr, "Empty"},
        {"1", nullptr, "Unknown"},
    };
    for (const auto& c : cases) {
        const auto got = classify_payment_code(c.code);
        if (c.type) {
            const auto* kind = std::get_if<CodeKind>(&got);
            ASSERT_NE(kind, nullptr) << c.code << ": " << std::get<CodeRejected>(got).reason;
            EXPECT_EQ(kind->type, c.type) << c.code;
        } else {
            const auto* no = std::get_if<CodeRejected>(&got);
            ASSERT_NE(no, nullptr) << c.code << " was accepted";
            EXPECT_NE(no->reason.find(c.reason), std::string::npos) << no->reason;
        }
    }
}

TEST(PaymentCodes, MasksAllButTheLastFour) {
    EXPECT_EQ(mask_code("134567890123456789"), "****6789");
    EXPECT_EQ(mask_code("123"), "***");
}

}  // namespace
}  // namespace cashbridge::bridge
