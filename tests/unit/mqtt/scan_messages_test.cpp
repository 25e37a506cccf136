// payment.scan / payment.cancel / payment.failed: round trips and field-named errors.
#include "cashbridge/mqtt/scan_messages.hpp"

#include <gtest/gtest.h>

namespace cashbridge::mqtt {
namespace {

TEST(ScanMessages, ScanRoundTripsEveryField) {
    const PaymentScan scan{"o-1", "s-1", 250, "EUR", "alipay", "281234567890123456"};
    const auto d = decode_payment_request(encode(scan));
    ASSERT_TRUE(d) << d.error.detail;
    const auto& got = std::get<PaymentScan>(*d);
    EXPECT_EQ(got.order, "o-1");
    EXPECT_EQ(got.session, "s-1");
    EXPECT_EQ(got.amount, 250);
    EXPECT_EQ(got.currency, "EUR");
    EXPECT_EQ(got.code_type, "alipay");
    EXPECT_EQ(got.code, "281234567890123456");
}

TEST(ScanMessages, CancelAndFailedRoundTrip) {
    const auto c = decode_payment_request(encode(PaymentCancel{"o-1", "s-1", "price_cancel"}));
    ASSERT_TRUE(c);
    EXPECT_EQ(std::get<PaymentCancel>(*c).reason, "price_cancel");
    const auto f = decode_payment_failed(encode(PaymentFailed{"o-2", "s-2", "declined"}));
    ASSERT_TRUE(f);
    EXPECT_EQ(f->order, "o-2");
    EXPECT_EQ(f->reason, "declined");
    EXPECT_EQ(message_type(encode(PaymentFailed{"o", "s", "r"})), "payment.failed");
    EXPECT_EQ(message_type("not json"), "");
}

TEST(ScanMessages, ErrorsNameTheField) {
    struct Case {
        const char* json;
        Reason reason;
        const char* names;
    } cases[] = {
        {R"({"v":1,"type":"payment.scan","order":"o","session":"s","amount":"2",)"
         R"("currency":"EUR","code_type":"alipay","code":"28"})",
         Reason::malformed_json, "\"amount\""},
        {R"({"v":1,"type":"payment.scan","order":"o","session":"s","amount":2,)"
         R"("currency":"EUR","code_type":"alipay"})",
         Reason::malformed_json, "\"code\""},
        {R"({"v":1,"type":"payment.cancel","order":"","session":"s","reason":"x"})",
         Reason::malformed_json, "\"order\""},
        {R"({"v":2,"type":"payment.cancel","order":"o","session":"s","reason":"x"})",
         Reason::unsupported_version, "\"v\""},
        {R"({"v":1,"type":"payment.refund"})", Reason::unknown_type, "payment.refund"},
        {R"([1,2])", Reason::malformed_json, "JSON object"},
    };
    for (const auto& c : cases) {
        const auto d = decode_payment_request(c.json);
        ASSERT_FALSE(d) << c.json;
        EXPECT_EQ(d.error.reason, c.reason) << c.json;
        EXPECT_NE(d.error.detail.find(c.names), std::string::npos) << d.error.detail;
    }
    const auto f = decode_payment_failed(R"({"v":1,"type":"payment.failed","order":"o"})");
    ASSERT_FALSE(f);
    EXPECT_NE(f.error.detail.find("\"session\""), std::string::npos);
}

}  // namespace
}  // namespace cashbridge::mqtt
