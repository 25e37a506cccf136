// Contract v1: topic names, and encode -> decode round trips of every message.
#include "cashbridge/mqtt/contract.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cashbridge/mqtt/scan_messages.hpp"

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

TEST(Contract, NewCreditFieldsRoundTrip) {
    PaymentAccepted pa{"p-1", "s-1", 200, "EUR"};
    EXPECT_EQ(encode(pa), R"({"v":1,"type":"payment.accepted","payment":"p-1","session":"s-1",)"
                          R"("amount":200,"currency":"EUR","forced":null,"remaining":null})");
    const auto plain = round_trip(pa, decode_credit);
    EXPECT_FALSE(plain.forced.has_value());
    EXPECT_FALSE(plain.remaining.has_value());
    pa.forced = "token_expired";
    pa.remaining = 50;
    const auto forced = round_trip(pa, decode_credit);
    EXPECT_EQ(forced.forced, "token_expired");
    EXPECT_EQ(forced.remaining, 50);

    CreditDelivered cd{"p-1", 200, 4};
    EXPECT_EQ(encode(cd), R"({"v":1,"type":"credit.delivered","payment":"p-1","amount":200,)"
                          R"("pulses":4,"ambiguous":0,"forced":null})");
    cd.ambiguous = 50;
    cd.forced = "held_past_expiry";
    const auto dl = round_trip(cd, decode_credit);
    EXPECT_EQ(dl.ambiguous, 50);
    EXPECT_EQ(dl.forced, "held_past_expiry");
    EXPECT_FALSE(round_trip(CreditDelivered{"p", 1, 1}, decode_credit).forced.has_value());

    const CreditAmbiguous amb{"p-1", 100, 2};
    EXPECT_EQ(encode(amb),
              R"({"v":1,"type":"credit.ambiguous","payment":"p-1","value":100,"pulses":2})");
    const auto a = round_trip(amb, decode_credit);
    EXPECT_EQ(a.payment, "p-1");
    EXPECT_EQ(a.value, 100);
    EXPECT_EQ(a.pulses, 2);
    EXPECT_EQ(encode(CreditMessage{amb}), encode(amb));
    EXPECT_FALSE(decode_credit(R"({"v":1,"type":"credit.ambiguous","payment":"p","value":1})"));
}

TEST(Contract, OlderPeersWithoutNewFieldsStillDecode) {
    const auto a = decode_credit(R"({"v":1,"type":"payment.accepted","payment":"p",)"
                                 R"("session":"s","amount":100,"currency":"EUR"})");
    ASSERT_TRUE(a) << a.error.detail;
    EXPECT_FALSE(std::get<PaymentAccepted>(*a).forced.has_value());
    EXPECT_FALSE(std::get<PaymentAccepted>(*a).remaining.has_value());

    const auto d =
        decode_credit(R"({"v":1,"type":"credit.delivered","payment":"p","amount":1,"pulses":1})");
    ASSERT_TRUE(d) << d.error.detail;
    EXPECT_EQ(std::get<CreditDelivered>(*d).ambiguous, 0);
    EXPECT_FALSE(std::get<CreditDelivered>(*d).forced.has_value());

    const auto s = decode_state(R"({"v":1,"type":"state","state":"ready","session":null,)"
                                R"("inhibit":false,"counters":{},"version":"0.1.0"})");
    ASSERT_TRUE(s) << s.error.detail;
    EXPECT_EQ(s->outbox, 0);
}

TEST(Contract, NewFieldsMustHaveTheirTypeWhenPresent) {
    const auto a = decode_credit(R"({"v":1,"type":"payment.accepted","payment":"p","session":"s",)"
                                 R"("amount":1,"currency":"EUR","forced":true,"remaining":null})");
    EXPECT_EQ(a.error.reason, Reason::malformed_json);
    EXPECT_NE(a.error.detail.find("forced"), std::string::npos);
    const auto r = decode_credit(R"({"v":1,"type":"payment.accepted","payment":"p","session":"s",)"
                                 R"("amount":1,"currency":"EUR","remaining":1.5})");
    EXPECT_NE(r.error.detail.find("remaining"), std::string::npos);
    const auto d = decode_credit(R"({"v":1,"type":"credit.delivered","payment":"p","amount":1,)"
                                 R"("pulses":1,"ambiguous":null})");
    EXPECT_NE(d.error.detail.find("ambiguous"), std::string::npos);
    const auto s = decode_state(R"({"v":1,"type":"state","state":"ready","session":null,)"
                                R"("inhibit":false,"counters":{},"version":"x","outbox":"3"})");
    EXPECT_NE(s.error.detail.find("outbox"), std::string::npos);
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
    EXPECT_EQ(back->outbox, 0);
    s.outbox = 7;
    EXPECT_NE(encode(s).find(R"("outbox":7)"), std::string::npos);
    EXPECT_EQ(decode_state(encode(s))->outbox, 7);
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

// Every line of every ```json block in docs/protocol.md must decode and re-encode to exactly
// the same bytes: the doc promises its examples are what the encoders produce.
std::string reencode(const std::string& line) {
    const auto type = line.substr(0, line.find(',', 15));
    const auto again = [](const auto& d) {
        return d ? encode(*d) : "decode error: " + d.error.detail;
    };
    if (type.find("\"session.") != std::string::npos) return again(decode_session(line));
    if (type.find("\"payment.scan\"") != std::string::npos ||
        type.find("\"payment.cancel\"") != std::string::npos)
        return again(decode_payment_request(line));
    if (type.find("\"payment.failed\"") != std::string::npos)
        return again(decode_payment_failed(line));
    if (type.find("\"payment.completed\"") != std::string::npos)
        return again(decode_payment_completed(line));
    if (type.find("\"event\"") != std::string::npos) return again(decode_event(line));
    if (type.find("\"state\"") != std::string::npos) return again(decode_state(line));
    return again(decode_credit(line));
}

TEST(Contract, ProtocolDocExamplesAreExactlyWhatTheEncodersProduce) {
    std::ifstream in{CASHBRIDGE_PROTOCOL_DOC};
    ASSERT_TRUE(in) << CASHBRIDGE_PROTOCOL_DOC;
    std::string line;
    bool in_json = false;
    int checked = 0;
    while (std::getline(in, line)) {
        if (line.rfind("```", 0) == 0) {
            in_json = !in_json && line == "```json";
            continue;
        }
        if (!in_json || line.empty()) continue;
        EXPECT_EQ(reencode(line), line);
        ++checked;
    }
    EXPECT_GE(checked, 18);
}

}  // namespace
}  // namespace cashbridge::mqtt
