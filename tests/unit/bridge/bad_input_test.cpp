// Every kind of bad down/payment input is rejected with its reason, counted, and credits
// nothing; the daemon carries on and still credits the next good payment.
#include "bridge_fixture.hpp"
#include "cashbridge/mqtt/jws.hpp"

namespace cashbridge::bridge {
namespace {

struct BadInput {
    const char* legend;
    const char* reason;
    std::function<std::string(const BridgeFixture&, const mqtt::PaymentClaims&,
                              const std::string& key)>
        make;
};

std::string envelope(const std::string& token) {
    return mqtt::encode(mqtt::PaymentCompleted{token});
}

class BadInputTest : public BridgeFixture, public ::testing::WithParamInterface<BadInput> {};

TEST_P(BadInputTest, IsRejectedCountedAndNeverCredited) {
    const auto& p = GetParam();
    bridge.start(now());
    bridge.on_bus_event(mqtt::Connected{false}, now());
    auto c = claims(200);
    deliver(p.make(*this, c, config.payment.key));
    settle();
    const auto rejected = bus.on(topics.up_credit, "payment.rejected");
    ASSERT_EQ(rejected.size(), 1u) << p.legend;
    EXPECT_NE(rejected[0].find(std::string("\"reason\":\"") + p.reason + "\""), std::string::npos)
        << p.legend << ": " << rejected[0];
    EXPECT_EQ(counter(std::string("rejected_") + p.reason), 1) << p.legend;
    EXPECT_EQ(counter("payments_rejected"), 1);
    EXPECT_TRUE(board.edges().empty()) << p.legend;
    EXPECT_FALSE(bus.on(topics.events, "payment_rejected").empty());

    // Still alive and crediting.
    deliver(mqtt::make_payment_completed(claims(100, "good-after-bad"), config.payment.key));
    settle();
    EXPECT_EQ(board.edges().size(), 20u);
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadInputTest,
    ::testing::Values(
        BadInput{"malformed JSON", "malformed_json",
                 [](auto&, auto&, auto&) { return std::string("{\"v\":1,"); }},
        BadInput{"not an object", "malformed_json",
                 [](auto&, auto&, auto&) { return std::string("[1,2]"); }},
        BadInput{"wrong version", "unsupported_version",
                 [](auto&, auto&, auto&) {
                     return std::string(R"({"v":2,"type":"payment.completed","token":"a.b.c"})");
                 }},
        BadInput{"unknown type", "unknown_type",
                 [](auto&, auto&, auto&) {
                     return std::string(R"({"v":1,"type":"payment.refund","token":"a.b.c"})");
                 }},
        BadInput{"oversized", "oversized",
                 [](auto&, auto&, auto&) { return std::string(70'000, ' '); }},
        BadInput{"token not JWS", "not_jws",
                 [](auto&, auto&, auto&) { return envelope("not-a-token"); }},
        BadInput{"alg none", "bad_alg",
                 [](auto&, auto& c, auto&) {
                     return envelope(
                         mqtt::unsigned_token(R"({"alg":"none"})", mqtt::encode_claims(c)));
                 }},
        BadInput{"alg RS256", "bad_alg",
                 [](auto&, auto& c, auto& k) {
                     return envelope(
                         mqtt::sign_with_header(R"({"alg":"RS256"})", mqtt::encode_claims(c), k));
                 }},
        BadInput{"forged", "bad_signature",
                 [](auto&, auto& c, auto&) {
                     return mqtt::make_payment_completed(c, "another-key-another-key-123456");
                 }},
        BadInput{"expired beyond the late window", "expired",
                 [](auto&, auto& c, auto& k) {
                     auto old = c;
                     old.iat -= 2 * 86400;
                     old.exp -= 2 * 86400;
                     return mqtt::make_payment_completed(old, k);
                 }},
        BadInput{"wrong machine", "wrong_machine",
                 [](auto&, auto& c, auto& k) {
                     auto other = c;
                     other.sub = "vend-8";
                     return mqtt::make_payment_completed(other, k);
                 }},
        BadInput{"wrong currency", "wrong_currency",
                 [](auto&, auto& c, auto& k) {
                     auto other = c;
                     other.currency = "USD";
                     return mqtt::make_payment_completed(other, k);
                 }},
        BadInput{"zero amount", "bad_amount",
                 [](auto&, auto& c, auto& k) {
                     auto other = c;
                     other.amount = 0;
                     return mqtt::make_payment_completed(other, k);
                 }},
        BadInput{"above maximum", "amount_too_large",
                 [](auto&, auto& c, auto& k) {
                     auto other = c;
                     other.amount = 5000;
                     return mqtt::make_payment_completed(other, k);
                 }},
        BadInput{"not a multiple", "amount_not_multiple",
                 [](auto&, auto& c, auto& k) {
                     auto other = c;
                     other.amount = 205;
                     return mqtt::make_payment_completed(other, k);
                 }},
        BadInput{"claims missing", "bad_claims",
                 [](auto&, auto&, auto& k) {
                     return envelope(mqtt::sign_hs256(R"({"sub":"vend-7"})", k));
                 }}),
    [](const auto& info) {
        std::string n = info.param.legend;
        for (auto& ch : n)
            if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
        return n;
    });

TEST_F(BridgeFixture, MessagesOnUnknownTopicsAreCountedNotCredited) {
    bridge.start(now());
    bridge.on_bus_event(mqtt::Connected{false}, now());
    bridge.on_bus_event(mqtt::Message{topics.root + "down/firmware", "{}", false}, now());
    EXPECT_EQ(counter("unknown_topic"), 1);
    EXPECT_TRUE(board.edges().empty());
}

}  // namespace
}  // namespace cashbridge::bridge
