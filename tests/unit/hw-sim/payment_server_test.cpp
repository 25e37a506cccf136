// Payment server with a fake bus: each `pay` variant is judged by the daemon's own verifier.
#include "cashbridge/sim/payment_server.hpp"

#include <gtest/gtest.h>

#include "cashbridge/mqtt/payment_verifier.hpp"
#include "fake_bus.hpp"

namespace cashbridge::sim {
namespace {

namespace m = cashbridge::mqtt;

using test::FakeBus;

constexpr std::int64_t now = 1'800'000'000;
const std::string open_200 =
    R"({"v":1,"type":"session.open","session":"s-1","amount":200,"currency":"EUR",)"
    R"("expires":1800000300,"qr":"https://pay.example/s-1"})";

class PaymentServerTest : public ::testing::Test {
  protected:
    FakeBus bus;
    PaymentServer server{bus, "m1", "secret", "EUR"};
    m::VerifierPolicy policy{"m1", "secret", "EUR", 10'000, 10};

    m::Verdict last_verdict() {
        return m::verify_completion(bus.published().back().payload, policy, now);
    }
};

TEST_F(PaymentServerTest, PayNeedsASession) {
    EXPECT_THROW(server.pay({}, now, 1), std::invalid_argument);
    EXPECT_TRUE(bus.published().empty());
}

TEST_F(PaymentServerTest, GoodPaymentVerifiesWithSessionAmount) {
    bus.deliver("cashbridge/v1/m1/up/session", open_200);
    server.poll_bus();
    EXPECT_EQ(server.session_id(), "s-1");
    const auto rec = server.pay({}, now, 1234);
    EXPECT_EQ(bus.published().back().topic, "cashbridge/v1/m1/down/payment");
    EXPECT_FALSE(bus.published().back().retain);
    const auto v = last_verdict();
    ASSERT_TRUE(std::holds_alternative<m::PaymentClaims>(v)) << std::get<m::Rejection>(v).detail;
    const auto& c = std::get<m::PaymentClaims>(v);
    EXPECT_EQ(c.amount, 200);
    EXPECT_EQ(c.sid, "s-1");
    EXPECT_EQ(c.jti, rec.payment);
    EXPECT_EQ(c.exp, now + 300);
    EXPECT_EQ(rec.published_ns, 1234);
    // Payment ids are unique.
    EXPECT_NE(server.pay({}, now, 1).payment, rec.payment);
}

TEST_F(PaymentServerTest, CanceledSessionIsRecordedAndNoLongerOffered) {
    bus.deliver("cashbridge/v1/m1/up/session", open_200);
    server.poll_bus();
    bus.deliver("cashbridge/v1/m1/up/session",
                R"({"v":1,"type":"session.cancel","session":"s-1","reason":"coin_return"})");
    server.poll_bus();
    ASSERT_EQ(server.canceled().size(), 1u);
    EXPECT_EQ(server.canceled()[0].session, "s-1");
    EXPECT_EQ(server.canceled()[0].reason, "coin_return");
    EXPECT_TRUE(server.is_canceled("s-1"));
    EXPECT_FALSE(server.session_id());
    try {
        server.pay({}, now, 1);
        FAIL() << "paid a canceled session";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("canceled (coin_return)"), std::string::npos);
    }
    // A payment taken just before the cancel arrived is still published when named.
    PayRequest raced;
    raced.session = "s-1";
    raced.amount = 200;
    EXPECT_EQ(server.pay(raced, now, 2).session, "s-1");
}

TEST_F(PaymentServerTest, OpenAmountNeedsAmount) {
    bus.deliver("cashbridge/v1/m1/up/session",
                R"({"v":1,"type":"session.open","session":"s-2","amount":null,"currency":"EUR",)"
                R"("expires":1,"qr":"q"})");
    server.poll_bus();
    EXPECT_THROW(server.pay({}, now, 1), std::invalid_argument);
    PayRequest r;
    r.amount = 50;
    server.pay(r, now, 1);
    EXPECT_EQ(std::get<m::PaymentClaims>(last_verdict()).amount, 50);
}

TEST_F(PaymentServerTest, EveryBadVariantIsRejectedForItsReason) {
    bus.deliver("cashbridge/v1/m1/up/session", open_200);
    server.poll_bus();
    const std::vector<std::pair<PayVariant, m::Reason>> cases{
        {PayVariant::forged, m::Reason::bad_signature},
        {PayVariant::expired, m::Reason::expired},
        {PayVariant::wrong_machine, m::Reason::wrong_machine},
        {PayVariant::wrong_currency, m::Reason::wrong_currency},
        {PayVariant::alg_none, m::Reason::bad_alg},
        {PayVariant::not_jws, m::Reason::not_jws},
        {PayVariant::malformed_json, m::Reason::malformed_json},
    };
    for (const auto& [variant, reason] : cases) {
        SCOPED_TRACE(to_string(variant));
        PayRequest r;
        r.variant = variant;
        server.pay(r, now, 1);
        const auto v = last_verdict();
        ASSERT_TRUE(std::holds_alternative<m::Rejection>(v));
        EXPECT_EQ(std::get<m::Rejection>(v).reason, reason) << std::get<m::Rejection>(v).detail;
        EXPECT_EQ(pay_variant_from_string(to_string(variant)), variant);
    }
}

TEST_F(PaymentServerTest, RepublishSendsTheIdenticalMessage) {
    bus.deliver("cashbridge/v1/m1/up/session", open_200);
    server.poll_bus();
    PayRequest r;
    r.payment = "p-dup";
    server.pay(r, now, 1);
    server.republish("p-dup", 2);
    ASSERT_EQ(bus.published().size(), 2u);
    EXPECT_EQ(bus.published()[0].payload, bus.published()[1].payload);
    EXPECT_THROW(server.republish("p-unknown", 3), std::invalid_argument);
}

TEST_F(PaymentServerTest, RecordsReportsStateAndFirstEdge) {
    bus.deliver("cashbridge/v1/m1/availability", "online");
    bus.deliver("cashbridge/v1/m1/state", R"({"v":1,"type":"state","state":"ready"})");
    bus.deliver("cashbridge/v1/m1/up/credit",
                R"({"v":1,"type":"payment.rejected","payment":null,"reason":"bad_signature",)"
                R"("detail":"x"})");
    bus.deliver("cashbridge/v1/m1/up/credit",
                R"({"v":1,"type":"credit.delivered","payment":"p1","amount":200,"pulses":20})");
    bus.deliver("cashbridge/v1/m1/up/credit", "garbage");
    bus.deliver("cashbridge/v1/other/up/session", open_200);  // another machine
    const auto log = server.poll_bus();
    EXPECT_EQ(log.size(), 6u);
    EXPECT_EQ(server.availability(), "online");
    EXPECT_TRUE(server.state_json());
    EXPECT_FALSE(server.session_json());  // not ours
    ASSERT_EQ(server.reports().size(), 3u);
    EXPECT_EQ(server.reports()[0].type, "payment.rejected");
    EXPECT_FALSE(server.reports()[0].payment);
    EXPECT_EQ(server.reports()[0].reason, "bad_signature");
    EXPECT_EQ(server.reports()[1].payment, "p1");
    EXPECT_EQ(server.reports()[2].type, "invalid");

    bus.deliver("cashbridge/v1/m1/up/session", open_200);
    server.poll_bus();
    server.pay({}, now, 1000);
    server.on_coin_edge(900);  // before the publish: not ours
    EXPECT_FALSE(server.payments().back().first_edge_ns);
    server.on_coin_edge(5000);
    server.on_coin_edge(6000);
    EXPECT_EQ(server.payments().back().first_edge_ns, 5000);
    server.reset();
    EXPECT_TRUE(server.payments().empty());
    EXPECT_TRUE(server.reports().empty());
    EXPECT_TRUE(server.session_json());
}

}  // namespace
}  // namespace cashbridge::sim
