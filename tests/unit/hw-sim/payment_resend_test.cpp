// The payment server as a retrying server: re-sends until the daemon names the payment,
// answers session.query, and keeps the books the exactly-once fault tests check.
#include <gtest/gtest.h>

#include "cashbridge/mqtt/messages.hpp"
#include "cashbridge/mqtt/payment_verifier.hpp"
#include "cashbridge/sim/payment_server.hpp"
#include "fake_bus.hpp"

namespace cashbridge::sim {
namespace {

namespace m = cashbridge::mqtt;
using test::FakeBus;

constexpr std::int64_t now = 1'800'000'000;
constexpr std::int64_t ms = 1'000'000;
constexpr std::int64_t t0 = 1'000'000 * ms;  // a CLOCK_MONOTONIC reading
const std::string down = "cashbridge/v1/m1/down/payment";
const std::string credit = "cashbridge/v1/m1/up/credit";
const std::string session_topic = "cashbridge/v1/m1/up/session";

std::string open_session(const std::string& id, int amount) {
    return R"({"v":1,"type":"session.open","session":")" + id + R"(","amount":)" +
           std::to_string(amount) + R"(,"currency":"EUR","expires":1800000300,"qr":"q"})";
}
std::string accepted(const std::string& p, const std::string& forced = "null") {
    return R"({"v":1,"type":"payment.accepted","payment":")" + p +
           R"(","session":"s-1","amount":200,"currency":"EUR","forced":)" + forced +
           R"(,"remaining":null})";
}
std::string rejected(const std::string& p, const std::string& reason) {
    return R"({"v":1,"type":"payment.rejected","payment":)" + p + R"(,"reason":")" + reason +
           R"(","detail":"x"})";
}
std::string delivered(const std::string& p, int amount, int ambiguous,
                      const std::string& forced = "null") {
    return R"({"v":1,"type":"credit.delivered","payment":")" + p + R"(","amount":)" +
           std::to_string(amount) + R"(,"pulses":20,"ambiguous":)" + std::to_string(ambiguous) +
           R"(,"forced":)" + forced + "}";
}
std::string failed(const std::string& p, int amount, int delivered, int owed) {
    return R"({"v":1,"type":"credit.failed","payment":")" + p + R"(","amount":)" +
           std::to_string(amount) + R"(,"delivered":)" + std::to_string(delivered) + R"(,"owed":)" +
           std::to_string(owed) + R"(,"reason":"line_fault"})";
}
std::string ambiguous(const std::string& p, int value, int pulses) {
    return R"({"v":1,"type":"credit.ambiguous","payment":")" + p + R"(","value":)" +
           std::to_string(value) + R"(,"pulses":)" + std::to_string(pulses) + "}";
}

class PaymentResendTest : public ::testing::Test {
  protected:
    void SetUp() override {
        bus.deliver(session_topic, open_session("s-1", 200));
        server.poll_bus();
    }
    PaymentRecord pay(const std::string& id, PayVariant v = PayVariant::good, std::int64_t t = t0,
                      bool resend = true) {
        PayRequest r;
        r.payment = id;
        r.variant = v;
        r.resend = resend;
        return server.pay(r, now, t);
    }
    /// Lets the broker acknowledge everything and the server see it.
    void confirm() {
        bus.confirm_all();
        server.poll_bus();
    }
    const PaymentRecord& rec(const std::string& id) {
        const auto* r = server.find(id);
        EXPECT_NE(r, nullptr) << id;
        static const PaymentRecord none;
        return r ? *r : none;
    }

    FakeBus bus;
    PaymentServer server{bus, "m1", "secret", "EUR", 1000};
};

TEST_F(PaymentResendTest, ResendsIdenticalBytesEveryIntervalUntilAccepted) {
    pay("p1");
    confirm();
    ASSERT_EQ(bus.count(down), 1u);
    EXPECT_TRUE(server.resend_due(t0 + 999 * ms).empty());
    EXPECT_EQ(server.next_resend_ns(), t0 + 1000 * ms);
    EXPECT_EQ(server.resend_due(t0 + 1000 * ms).size(), 1u);
    confirm();
    EXPECT_TRUE(server.resend_due(t0 + 1500 * ms).empty());  // the interval restarts
    EXPECT_EQ(server.resend_due(t0 + 2000 * ms).size(), 1u);
    const auto sent = bus.published();
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_EQ(sent[0].payload, sent[1].payload);
    EXPECT_EQ(sent[0].payload, sent[2].payload);
    EXPECT_EQ(rec("p1").resends, 2);
    EXPECT_FALSE(rec("p1").acked);

    bus.deliver(credit, accepted("p1"));
    server.poll_bus();
    EXPECT_TRUE(rec("p1").acked);
    EXPECT_EQ(rec("p1").accepted, 1);
    EXPECT_TRUE(server.resend_due(t0 + 60'000 * ms).empty());
    EXPECT_FALSE(server.next_resend_ns());
    EXPECT_EQ(bus.count(down), 3u);
}

TEST_F(PaymentResendTest, UnconfirmedSendWaitsLongerAndNothingGoesOutWhileOffline) {
    pay("p1");  // the broker never acknowledges it
    EXPECT_TRUE(server.resend_due(t0 + 4999 * ms).empty());
    EXPECT_EQ(server.resend_due(t0 + 5000 * ms).size(), 1u);

    confirm();
    bus.set_online(false);
    server.poll_bus();
    EXPECT_TRUE(server.resend_due(t0 + 60'000 * ms).empty());
    EXPECT_FALSE(server.next_resend_ns());  // nothing to wake up for until a reconnect
    bus.set_online(true);
    server.poll_bus();
    EXPECT_EQ(server.resend_due(t0 + 60'000 * ms).size(), 1u);  // due at once after it
}

TEST_F(PaymentResendTest, RejectionNamingThePaymentStopsResending) {
    pay("p-cur", PayVariant::wrong_currency);
    pay("p-old", PayVariant::expired);
    confirm();
    bus.deliver(credit, rejected("\"p-cur\"", "wrong_currency"));
    server.poll_bus();
    const auto log = server.resend_due(t0 + 1000 * ms);
    ASSERT_EQ(log.size(), 1u);  // only p-old, still unanswered
    EXPECT_NE(log[0].find("p-old"), std::string::npos);
    EXPECT_TRUE(rec("p-cur").acked);
    EXPECT_EQ(rec("p-cur").rejected, "wrong_currency");
    EXPECT_EQ(rec("p-cur").accepted, 0);
}

TEST_F(PaymentResendTest, UnverifiableVariantsAndResendNoAreSentOnce) {
    for (const auto v : {PayVariant::forged, PayVariant::alg_none, PayVariant::not_jws,
                         PayVariant::malformed_json}) {
        SCOPED_TRACE(to_string(v));
        EXPECT_FALSE(rejection_names_payment(v));
        EXPECT_FALSE(pay("p-" + to_string(v), v).resend);
    }
    EXPECT_FALSE(pay("p-once", PayVariant::good, t0, false).resend);
    confirm();
    // The daemon can only say "payment": null for them; that acknowledges nothing.
    bus.deliver(credit, rejected("null", "bad_signature"));
    server.poll_bus();
    EXPECT_TRUE(server.resend_due(t0 + 3'600'000 * ms).empty());
    EXPECT_FALSE(server.next_resend_ns());
    EXPECT_EQ(bus.count(down), 5u);
}

TEST_F(PaymentResendTest, ResendMsZeroNeverResends) {
    PaymentServer quiet{bus, "m1", "secret", "EUR", 0};
    bus.deliver(session_topic, open_session("s-1", 200));
    quiet.poll_bus();
    quiet.pay({}, now, t0);
    EXPECT_TRUE(quiet.resend_due(t0 + 3'600'000 * ms).empty());
    EXPECT_FALSE(quiet.next_resend_ns());
}

TEST_F(PaymentResendTest, PayingAgainUnderAnAckedIdReArmsIt) {
    pay("p1");
    confirm();
    bus.deliver(credit, accepted("p1"));
    server.poll_bus();
    pay("p1", PayVariant::good, t0 + 10 * ms);
    confirm();
    EXPECT_FALSE(rec("p1").acked);
    EXPECT_EQ(server.resend_due(t0 + 1010 * ms).size(), 1u);
    EXPECT_EQ(server.payments().size(), 1u);  // one record per payment id
    EXPECT_EQ(server.totals().paid, 200);     // paid once
}

TEST_F(PaymentResendTest, SessionQueryIsAnsweredWithTheGoodCompletionOnly) {
    pay("p1");
    pay("p-forged", PayVariant::forged);
    bus.deliver(credit, accepted("p1"));
    server.poll_bus();
    const auto first = bus.published()[0].payload;

    bus.deliver(session_topic, R"({"v":1,"type":"session.query","session":"s-1"})");
    const auto log = server.poll_bus();
    ASSERT_EQ(bus.count(down), 3u);  // answered even though it was acknowledged before
    EXPECT_EQ(bus.published().back().payload, first);
    ASSERT_EQ(log.size(), 1u);
    EXPECT_NE(log[0].find("re-sent p1"), std::string::npos) << log[0];
    EXPECT_EQ(rec("p1").resends, 1);

    // An unpaid session, a session paid only with a forgery, another machine's query:
    // nothing is published.
    bus.deliver(session_topic, open_session("s-2", 100));
    server.poll_bus();
    pay("p-forged-2", PayVariant::forged);
    bus.deliver(session_topic, R"({"v":1,"type":"session.query","session":"s-2"})");
    bus.deliver(session_topic, R"({"v":1,"type":"session.query","session":"s-9"})");
    bus.deliver("cashbridge/v1/other/up/session",
                R"({"v":1,"type":"session.query","session":"s-1"})");
    server.poll_bus();
    EXPECT_EQ(bus.count(down), 4u);
    EXPECT_EQ(server.session_queries(), 3u);
    EXPECT_EQ(server.session_queries_answered(), 1u);
}

TEST_F(PaymentResendTest, BooksTrackPaidDeliveredFailedAmbiguousAndForced) {
    pay("p1");  // 200, delivered with ambiguity
    PayRequest r;
    r.payment = "p2";
    r.amount = 100;
    server.pay(r, now, t0);         // 100, fails
    pay("p3", PayVariant::forged);  // not paid: never counts
    r.payment = "p4";
    r.amount = 50;
    server.pay(r, now, t0);  // 50, rejected by the daemon
    auto t = server.totals();
    EXPECT_EQ(t.paid, 350);
    EXPECT_EQ(t.unsettled, 3);

    bus.deliver(credit, accepted("p1", R"("token_expired")"));
    bus.deliver(credit, accepted("p1"));  // duplicate completion re-acknowledged
    bus.deliver(credit, ambiguous("p1", 10, 1));
    bus.deliver(credit, ambiguous("p1", 10, 1));  // outbox re-send of the same report
    bus.deliver(credit, delivered("p1", 200, 10, R"("held_past_expiry")"));
    bus.deliver(credit, accepted("p2"));
    bus.deliver(credit, ambiguous("p2", 10, 1));
    bus.deliver(credit, ambiguous("p2", 20, 2));  // a second crash, a different report
    bus.deliver(credit, failed("p2", 100, 40, 60));
    bus.deliver(credit, rejected("\"p4\"", "amount_not_multiple"));
    bus.deliver(credit, delivered("p-unknown", 500, 0));  // not ours: no effect on the books
    server.poll_bus();

    const auto& p1 = rec("p1");
    EXPECT_EQ(p1.final_state, "delivered");
    EXPECT_EQ(p1.delivered_amount, 200);
    EXPECT_EQ(p1.accepted, 2);
    EXPECT_EQ(p1.ambiguous(), 10);  // credit.delivered's figure covers the reports
    EXPECT_EQ(p1.ambiguous_reports, 2);
    EXPECT_EQ(p1.forced, "held_past_expiry");  // the latest non-null
    const auto& p2 = rec("p2");
    EXPECT_EQ(p2.final_state, "failed");
    EXPECT_EQ(p2.delivered_amount, 40);
    EXPECT_EQ(p2.owed, 60);
    EXPECT_EQ(p2.ambiguous(), 30);
    EXPECT_FALSE(p2.forced);
    EXPECT_EQ(rec("p4").rejected, "amount_not_multiple");
    EXPECT_TRUE(rec("p4").settled());
    EXPECT_FALSE(rec("p3").paid);

    t = server.totals();
    EXPECT_EQ(t.paid, 350);
    EXPECT_EQ(t.delivered, 240);
    EXPECT_EQ(t.ambiguous, 40);
    EXPECT_EQ(t.failed_owed, 60);
    EXPECT_EQ(t.rejected, 50);
    EXPECT_EQ(t.unsettled, 0);

    // A re-sent credit.failed is the same failure: owed is not counted twice.
    bus.deliver(credit, failed("p2", 100, 40, 60));
    server.poll_bus();
    EXPECT_EQ(server.totals().failed_owed, 60);
    server.reset();
    EXPECT_EQ(server.totals().paid, 0);
}

TEST_F(PaymentResendTest, IatAgeAndExpMakeLateTokens) {
    m::VerifierPolicy strict{"m1", "secret", "EUR", 10'000, 10};
    m::VerifierPolicy lenient = strict;
    lenient.enforce_expiry = false;
    PayRequest r;
    r.iat_age_s = 600;
    server.pay(r, now, t0);  // exp = iat + 300: expired 300 s ago
    auto v = m::verify_completion(bus.published().back().payload, strict, now);
    ASSERT_TRUE(std::holds_alternative<m::Rejection>(v));
    EXPECT_EQ(std::get<m::Rejection>(v).reason, m::Reason::expired);
    v = m::verify_completion(bus.published().back().payload, lenient, now);
    ASSERT_TRUE(std::holds_alternative<m::PaymentClaims>(v));
    EXPECT_EQ(std::get<m::PaymentClaims>(v).iat, now - 600);
    EXPECT_EQ(std::get<m::PaymentClaims>(v).exp, now - 300);

    r.iat_age_s = 20;
    r.exp_s = 10;
    server.pay(r, now, t0);
    v = m::verify_completion(bus.published().back().payload, lenient, now);
    EXPECT_EQ(std::get<m::PaymentClaims>(v).exp, now - 10);
    EXPECT_EQ(server.payments().back().paid, 200);  // still a payment the customer made

    r.variant = PayVariant::expired;
    EXPECT_THROW(server.pay(r, now, t0), std::invalid_argument);
}

TEST_F(PaymentResendTest, KeepsTenThousandRecordsAndCountsDropped) {
    PayRequest r;
    r.resend = false;
    for (int i = 0; i < 10'003; ++i) {
        r.payment = "p" + std::to_string(i);
        server.pay(r, now, t0);
    }
    EXPECT_EQ(server.payments().size(), PaymentServer::max_payment_records);
    EXPECT_EQ(server.records_dropped(), 3u);
    EXPECT_EQ(server.payments().front().payment, "p3");
    EXPECT_EQ(server.totals().paid, 200 * 10'000);
}

}  // namespace
}  // namespace cashbridge::sim
