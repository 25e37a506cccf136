// verify_completion: one row per reject reason, the good case and the optional cid claim.
#include <gtest/gtest.h>

#include <functional>

#include "cashbridge/mqtt/contract.hpp"

namespace cashbridge::mqtt {
namespace {

constexpr std::int64_t now = 1'700'000'000;
const std::string key = "0123456789abcdef0123456789abcdef";

VerifierPolicy policy() {
    VerifierPolicy p;
    p.machine_id = "vm-01";
    p.key = key;
    p.currency = "EUR";
    p.max_amount = 2000;
    p.unit = 50;
    return p;
}

PaymentClaims good_claims() {
    PaymentClaims c;
    c.sub = "vm-01";
    c.jti = "pay-123";
    c.sid = "s-9";
    c.amount = 150;
    c.currency = "EUR";
    c.iat = now - 5;
    c.exp = now + 60;
    return c;
}

std::string with_claims(const std::function<void(PaymentClaims&)>& edit) {
    auto c = good_claims();
    edit(c);
    return make_payment_completed(c, key);
}

std::string envelope(const std::string& token) {
    return encode(PaymentCompleted{token});
}

struct Row {
    const char* name;
    std::string payload;
    Reason reason;
    bool payment_id_reported;
};

std::vector<Row> rows() {
    const auto claims = encode_claims(good_claims());
    return {
        {"forged_signature", envelope(sign_hs256(claims, "wrong key")), Reason::bad_signature,
         false},
        {"expired", with_claims([](auto& c) { c.exp = now - 31; }), Reason::expired, true},
        {"wrong_machine", with_claims([](auto& c) { c.sub = "vm-02"; }), Reason::wrong_machine,
         true},
        {"wrong_currency", with_claims([](auto& c) { c.currency = "USD"; }), Reason::wrong_currency,
         true},
        {"zero_amount", with_claims([](auto& c) { c.amount = 0; }), Reason::bad_amount, true},
        {"negative_amount", with_claims([](auto& c) { c.amount = -50; }), Reason::bad_amount, true},
        {"above_max", with_claims([](auto& c) { c.amount = 2050; }), Reason::amount_too_large,
         true},
        {"not_multiple", with_claims([](auto& c) { c.amount = 120; }), Reason::amount_not_multiple,
         true},
        {"malformed_json", R"({"v":1,"type":"payment.completed","token":)", Reason::malformed_json,
         false},
        {"envelope_not_object", "[1,2]", Reason::malformed_json, false},
        {"token_missing", R"({"v":1,"type":"payment.completed"})", Reason::malformed_json, false},
        {"wrong_v", R"({"v":2,"type":"payment.completed","token":"a.b.c"})",
         Reason::unsupported_version, false},
        {"unknown_type", R"({"v":1,"type":"payment.refunded","token":"a.b.c"})",
         Reason::unknown_type, false},
        {"oversized", envelope(std::string(5000, 'a')), Reason::oversized, false},
        {"not_jws", envelope("definitely-not-a-token"), Reason::not_jws, false},
        {"alg_none", envelope(unsigned_token(R"({"alg":"none"})", claims)), Reason::bad_alg, false},
        {"claim_missing", envelope(sign_hs256(R"({"sub":"vm-01","jti":"pay-7"})", key)),
         Reason::bad_claims, true},
        {"amount_not_integer",
         envelope(sign_hs256(R"({"sub":"vm-01","jti":"p","sid":"s","amount":1.5,)"
                             R"("currency":"EUR","iat":1,"exp":1800000000})",
                             key)),
         Reason::bad_claims, true},
        {"payload_not_json", envelope(sign_hs256("nope", key)), Reason::bad_claims, false},
    };
}

// Keeps the parameterized test names readable instead of a hex dump of the row.
void PrintTo(const Row& r, std::ostream* os) {
    *os << r.name;
}

class VerifierReject : public ::testing::TestWithParam<Row> {};

TEST_P(VerifierReject, RejectsWithReason) {
    const Row& row = GetParam();
    const auto verdict = verify_completion(row.payload, policy(), now);
    const auto* rej = std::get_if<Rejection>(&verdict);
    ASSERT_NE(rej, nullptr) << "accepted";
    EXPECT_EQ(to_string(rej->reason), to_string(row.reason)) << rej->detail;
    EXPECT_FALSE(rej->detail.empty());
    EXPECT_EQ(rej->payment_id.has_value(), row.payment_id_reported);
    const auto msg = to_message(*rej);
    EXPECT_EQ(msg.reason, to_string(row.reason));
}

INSTANTIATE_TEST_SUITE_P(AllReasons, VerifierReject, ::testing::ValuesIn(rows()),
                         [](const auto& info) { return std::string{info.param.name}; });

TEST(Verifier, AcceptsGoodCompletion) {
    const auto verdict =
        verify_completion(make_payment_completed(good_claims(), key), policy(), now);
    const auto* c = std::get_if<PaymentClaims>(&verdict);
    ASSERT_NE(c, nullptr) << std::get<Rejection>(verdict).detail;
    EXPECT_EQ(c->jti, "pay-123");
    EXPECT_EQ(c->sid, "s-9");
    EXPECT_EQ(c->amount, 150);
    EXPECT_FALSE(c->cid.has_value());
}

TEST(Verifier, CarriesOptionalCustomerId) {
    auto claims = good_claims();
    claims.cid = "cust-42";
    const auto verdict = verify_completion(make_payment_completed(claims, key), policy(), now);
    ASSERT_TRUE(std::holds_alternative<PaymentClaims>(verdict));
    EXPECT_EQ(std::get<PaymentClaims>(verdict).cid, "cust-42");
}

TEST(Verifier, ToleratesClockSkewWithinLeeway) {
    const auto p = with_claims([](auto& c) { c.exp = now - 30; });
    EXPECT_TRUE(std::holds_alternative<PaymentClaims>(verify_completion(p, policy(), now)));
}

TEST(Verifier, ExpiryIsCheckedBeforeMachine) {
    // Order matters for integrators: the first failing check is the one reported.
    const auto p = with_claims([](auto& c) {
        c.exp = now - 100;
        c.sub = "other";
    });
    EXPECT_EQ(std::get<Rejection>(verify_completion(p, policy(), now)).reason, Reason::expired);
}

TEST(Verifier, ExpiryCanBeLeftToTheCaller) {
    // The bridge's late-completion rule: an expired but otherwise valid completion verifies,
    // with its iat and exp intact so the bridge can judge it.
    const auto late = with_claims([](auto& c) {
        c.iat = now - 3600;
        c.exp = now - 3000;
    });
    auto p = policy();
    ASSERT_TRUE(p.enforce_expiry);  // the default stays strict
    EXPECT_EQ(std::get<Rejection>(verify_completion(late, p, now)).reason, Reason::expired);
    p.enforce_expiry = false;
    const auto verdict = verify_completion(late, p, now);
    const auto* c = std::get_if<PaymentClaims>(&verdict);
    ASSERT_NE(c, nullptr) << std::get<Rejection>(verdict).detail;
    EXPECT_EQ(c->iat, now - 3600);
    EXPECT_EQ(c->exp, now - 3000);
}

TEST(Verifier, WithoutExpiryEveryOtherCheckStillRuns) {
    auto p = policy();
    p.enforce_expiry = false;
    const auto reason = [&](const std::string& payload) {
        const auto v = verify_completion(payload, p, now);
        return std::holds_alternative<Rejection>(v) ? std::get<Rejection>(v).reason
                                                    : Reason::malformed_json;
    };
    const auto expired_and = [](std::function<void(PaymentClaims&)> edit) {
        return with_claims([&](auto& c) {
            c.exp = now - 1000;
            edit(c);
        });
    };
    EXPECT_EQ(reason(envelope(sign_hs256(encode_claims(good_claims()), "wrong key"))),
              Reason::bad_signature);
    EXPECT_EQ(reason(expired_and([](auto& c) { c.sub = "vm-02"; })), Reason::wrong_machine);
    EXPECT_EQ(reason(expired_and([](auto& c) { c.currency = "USD"; })), Reason::wrong_currency);
    EXPECT_EQ(reason(expired_and([](auto& c) { c.amount = 0; })), Reason::bad_amount);
    EXPECT_EQ(reason(expired_and([](auto& c) { c.amount = 5000; })), Reason::amount_too_large);
    EXPECT_EQ(reason(expired_and([](auto& c) { c.amount = 175; })), Reason::amount_not_multiple);
    const auto oversized = std::string(p.max_payload_bytes + 1, ' ');
    EXPECT_EQ(reason(oversized), Reason::oversized);
}

TEST(Verifier, ProtocolDocExampleVerifies) {
    // Keep in sync with docs/protocol.md: integrators copy this example.
    const std::string msg =
        R"({"v":1,"type":"payment.completed","token":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.)"
        R"(eyJzdWIiOiJ2bS0wMSIsImp0aSI6InBheS04ZjNhIiwic2lkIjoicy0yMDI0MDUwMS0wMDA3IiwiYW1vdW50)"
        R"(IjoxNTAsImN1cnJlbmN5IjoiRVVSIiwiaWF0IjoxNzE0NTU3NjAwLCJleHAiOjE3MTQ1NTc5MDAsImNpZCI6)"
        R"(ImN1c3QtNDIifQ.vVFwVkvXrPqwcXCEMQD3yvy5V8mQ10KeUdF19aloLGA"})";
    auto p = policy();
    p.key = "example-secret-do-not-use";
    const auto verdict = verify_completion(msg, p, 1714557600);
    ASSERT_TRUE(std::holds_alternative<PaymentClaims>(verdict))
        << std::get<Rejection>(verdict).detail;
    EXPECT_EQ(std::get<PaymentClaims>(verdict).cid, "cust-42");
    EXPECT_EQ(std::get<Rejection>(verify_completion(msg, p, 1714558000)).detail,
              "exp 1714557900 is before now 1714558000 (leeway 30 s)");
}

TEST(Verifier, ReasonStringsAreStable) {
    EXPECT_EQ(to_string(Reason::amount_not_multiple), "amount_not_multiple");
    EXPECT_EQ(reason_from_string("bad_claims"), Reason::bad_claims);
    EXPECT_FALSE(reason_from_string("nope"));
}

}  // namespace
}  // namespace cashbridge::mqtt
