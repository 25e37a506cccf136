// Contract v1: topic names, and encode -> decode round trips of every message.
#include "cashbridge/mqtt/contract.hpp"

#include <gtest/gtest.h>

namespace cashbridge::mqtt {
namespace {

TEST(Topics, DerivedFromMachineId) {
    const Topics t{"vm-01"};
    EXPECT_EQ(t.root, "cashbridge/v1/vm-01/");
    EXPECT_EQ(t.availability, "cashbridge/v1/vm-01/availability");
    EXPECT_EQ(t.state, "cashbridge/v1/vm-01/state");
    EXPECT_EQ(t.up_session, "cashbridge/v1/vm-01/up/session");
    EXPECT_EQ(t.down_payment, "cashbridge/v1/vm-01/down/payment");
    EXPECT_EQ(t.up_credit, "cashbridge/v1/vm-01/up/credit");
    EXPECT_EQ(t.events, "cashbridge/v1/vm-01/events");
    EXPECT_THROW(Topics{"a/b"}, std::invalid_argument);
    EXPECT_THROW(Topics{"#"}, std::invalid_argument);
    EXPECT_THROW(Topics{""}, std::invalid_argument);
}

template <class Variant, class T>
T round_trip(const T& m, Decoded<Variant> (*decode)(std::string_view)) {
    const auto json = encode(m);
    const auto d = decode(json);
    EXPECT_TRUE(d) << json << ": " << d.error.detail;
    if (!d) return T{};
    EXPECT_TRUE(std::holds_alternative<T>(*d)) << json;
    return std::get<T>(*d);
}

TEST(Contract, SessionMessagesRoundTrip) {
    const SessionOpen open{"s-1", 250, "EUR", 1700000300, "https://pay.example/q/s-1"};
    const auto o = round_trip(open, decode_session);
    EXPECT_EQ(o.session, "s-1");
    EXPECT_EQ(o.amount, 250);
    EXPECT_EQ(o.currency, "EUR");
    EXPECT_EQ(o.expires, 1700000300);
    EXPECT_EQ(o.qr, open.qr);
    EXPECT_EQ(encode(SessionMessage{open}), encode(open));

    const auto any = round_trip(SessionOpen{"s-2", std::nullopt, "EUR", 5, "q"}, decode_session);
    EXPECT_FALSE(any.amount.has_value());
    EXPECT_NE(encode(SessionOpen{"s-2", std::nullopt, "EUR", 5, "q"}).find("\"amount\":null"),
              std::string::npos);

    const auto c = round_trip(SessionCancel{"s-1", "timeout"}, decode_session);
    EXPECT_EQ(c.reason, "timeout");
    EXPECT_EQ(round_trip(SessionQuery{"s-3"}, decode_session).session, "s-3");
}

TEST(Contract, PaymentCompletedAndClaimsRoundTrip) {
    const auto d = decode_payment_completed(encode(PaymentCompleted{"a.b.c"}));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->token, "a.b.c");

    PaymentClaims c{"vm", "p-1", "s-1", 300, "EUR", 10, 20, "cust"};
    const auto back = decode_claims(encode_claims(c));
    ASSERT_TRUE(back) << back.error.detail;
    EXPECT_EQ(back->sub, "vm");
    EXPECT_EQ(back->jti, "p-1");
    EXPECT_EQ(back->sid, "s-1");
    EXPECT_EQ(back->amount, 300);
    EXPECT_EQ(back->iat, 10);
    EXPECT_EQ(back->exp, 20);
    EXPECT_EQ(back->cid, "cust");
    c.cid.reset();
    EXPECT_EQ(encode_claims(c).find("cid"), std::string::npos);
}

TEST(Contract, CreditMessagesRoundTrip) {
    const auto a = round_trip(PaymentAccepted{"p-1", "s-1", 200, "EUR"}, decode_credit);
    EXPECT_EQ(a.payment, "p-1");
    EXPECT_EQ(a.session, "s-1");
    EXPECT_EQ(a.amount, 200);
    EXPECT_EQ(a.currency, "EUR");

    const auto r = round_trip(PaymentRejected{std::nullopt, "bad_signature", "no"}, decode_credit);
    EXPECT_FALSE(r.payment.has_value());
    EXPECT_EQ(r.reason, "bad_signature");
    EXPECT_EQ(r.detail, "no");
    EXPECT_EQ(round_trip(PaymentRejected{"p-2", "expired", ""}, decode_credit).payment, "p-2");

    const auto dl = round_trip(CreditDelivered{"p-1", 200, 4}, decode_credit);
    EXPECT_EQ(dl.pulses, 4);
    EXPECT_EQ(dl.amount, 200);

    const auto f = round_trip(CreditFailed{"p-1", 200, 150, 50, "line_fault"}, decode_credit);
    EXPECT_EQ(f.delivered, 150);
    EXPECT_EQ(f.owed, 50);
    EXPECT_EQ(f.reason, "line_fault");
    EXPECT_EQ(encode(CreditMessage{CreditDelivered{"p", 1, 1}}),
              encode(CreditDelivered{"p", 1, 1}));
}

TEST(Contract, EventAndStateRoundTrip) {
    const auto e = decode_event(encode(Event{EventLevel::warning, "broker_lost", "x", 42}));
    ASSERT_TRUE(e) << e.error.detail;
    EXPECT_EQ(e->level, EventLevel::warning);
    EXPECT_EQ(e->name, "broker_lost");
    EXPECT_EQ(e->detail, "x");
    EXPECT_EQ(e->ts, 42);

    StateReport s{MachineState::paid, "s-1", true, {{"credits", 3}, {"rejects", 0}}, "0.1.0"};
    const auto back = decode_state(encode(s));
    ASSERT_TRUE(back) << back.error.detail;
    EXPECT_EQ(back->state, MachineState::paid);
    EXPECT_EQ(back->session, "s-1");
    EXPECT_TRUE(back->inhibit);
    EXPECT_EQ(back->counters, s.counters);
    EXPECT_EQ(back->version, "0.1.0");
    s.session.reset();
    EXPECT_FALSE(decode_state(encode(s))->session.has_value());
}

TEST(Contract, DecodersNameTheProblem) {
    EXPECT_EQ(decode_session("{").error.reason, Reason::malformed_json);
    EXPECT_EQ(decode_session(R"({"v":2,"type":"session.query","session":"s"})").error.reason,
              Reason::unsupported_version);
    EXPECT_EQ(decode_session(R"({"v":1,"type":"payment.accepted"})").error.reason,
              Reason::unknown_type);
    const auto d = decode_credit(R"({"v":1,"type":"credit.delivered","payment":"p","amount":"1"})");
    EXPECT_EQ(d.error.reason, Reason::malformed_json);
    EXPECT_NE(d.error.detail.find("amount"), std::string::npos);
    EXPECT_FALSE(decode_state(R"({"v":1,"type":"state","state":"ready","session":null,)"
                              R"("inhibit":false,"counters":[1],"version":"x"})"));
    // Unknown extra fields are additive and must not break v1 readers.
    EXPECT_TRUE(decode_session(R"({"v":1,"type":"session.query","session":"s","new":1})"));
}

}  // namespace
}  // namespace cashbridge::mqtt
