// Encoders of contract v1: struct -> compact JSON, always with "v" and "type" first.
#include <type_traits>

#include "cashbridge/mqtt/jws.hpp"
#include "cashbridge/mqtt/messages.hpp"
#include "json.hpp"

namespace cashbridge::mqtt {
namespace {

void add_optional(cJSON* obj, const char* name, const std::optional<std::string>& v) {
    if (v)
        json::add(obj, name, *v);
    else
        json::add_null(obj, name);
}

void add_optional(cJSON* obj, const char* name, const std::optional<std::int64_t>& v) {
    if (v)
        json::add(obj, name, *v);
    else
        json::add_null(obj, name);
}

}  // namespace

std::string encode(const SessionOpen& m) {
    auto o = json::message("session.open");
    json::add(o.get(), "session", m.session);
    if (m.amount)
        json::add(o.get(), "amount", *m.amount);
    else
        json::add_null(o.get(), "amount");
    json::add(o.get(), "currency", m.currency);
    json::add(o.get(), "expires", m.expires);
    json::add(o.get(), "qr", m.qr);
    return json::print(o.get());
}

std::string encode(const SessionCancel& m) {
    auto o = json::message("session.cancel");
    json::add(o.get(), "session", m.session);
    json::add(o.get(), "reason", m.reason);
    return json::print(o.get());
}

std::string encode(const SessionQuery& m) {
    auto o = json::message("session.query");
    json::add(o.get(), "session", m.session);
    return json::print(o.get());
}

std::string encode(const SessionMessage& m) {
    return std::visit([](const auto& x) { return encode(x); }, m);
}

std::string encode(const PaymentCompleted& m) {
    auto o = json::message("payment.completed");
    json::add(o.get(), "token", m.token);
    return json::print(o.get());
}

std::string encode_claims(const PaymentClaims& c) {
    auto o = json::object();
    json::add(o.get(), "sub", c.sub);
    json::add(o.get(), "jti", c.jti);
    json::add(o.get(), "sid", c.sid);
    json::add(o.get(), "amount", c.amount);
    json::add(o.get(), "currency", c.currency);
    json::add(o.get(), "iat", c.iat);
    json::add(o.get(), "exp", c.exp);
    // Optional claims are omitted rather than null, as JWT producers usually do.
    if (c.cid) json::add(o.get(), "cid", *c.cid);
    return json::print(o.get());
}

std::string make_payment_completed(const PaymentClaims& c, std::string_view key) {
    return encode(PaymentCompleted{sign_hs256(encode_claims(c), key)});
}

std::string encode(const PaymentAccepted& m) {
    auto o = json::message("payment.accepted");
    json::add(o.get(), "payment", m.payment);
    json::add(o.get(), "session", m.session);
    json::add(o.get(), "amount", m.amount);
    json::add(o.get(), "currency", m.currency);
    add_optional(o.get(), "forced", m.forced);
    add_optional(o.get(), "remaining", m.remaining);
    return json::print(o.get());
}

std::string encode(const PaymentRejected& m) {
    auto o = json::message("payment.rejected");
    add_optional(o.get(), "payment", m.payment);
    json::add(o.get(), "reason", m.reason);
    json::add(o.get(), "detail", m.detail);
    return json::print(o.get());
}

std::string encode(const CreditDelivered& m) {
    auto o = json::message("credit.delivered");
    json::add(o.get(), "payment", m.payment);
    json::add(o.get(), "amount", m.amount);
    json::add(o.get(), "pulses", m.pulses);
    json::add(o.get(), "ambiguous", m.ambiguous);
    add_optional(o.get(), "forced", m.forced);
    return json::print(o.get());
}

std::string encode(const CreditFailed& m) {
    auto o = json::message("credit.failed");
    json::add(o.get(), "payment", m.payment);
    json::add(o.get(), "amount", m.amount);
    json::add(o.get(), "delivered", m.delivered);
    json::add(o.get(), "owed", m.owed);
    json::add(o.get(), "reason", m.reason);
    return json::print(o.get());
}

std::string encode(const CreditAmbiguous& m) {
    auto o = json::message("credit.ambiguous");
    json::add(o.get(), "payment", m.payment);
    json::add(o.get(), "value", m.value);
    json::add(o.get(), "pulses", m.pulses);
    return json::print(o.get());
}

std::string encode(const CreditMessage& m) {
    return std::visit([](const auto& x) { return encode(x); }, m);
}

std::string encode(const Event& m) {
    auto o = json::message("event");
    json::add(o.get(), "level", to_string(m.level));
    json::add(o.get(), "name", m.name);
    json::add(o.get(), "detail", m.detail);
    json::add(o.get(), "ts", m.ts);
    return json::print(o.get());
}

std::string encode(const StateReport& m) {
    auto o = json::message("state");
    json::add(o.get(), "state", to_string(m.state));
    add_optional(o.get(), "session", m.session);
    json::add_bool(o.get(), "inhibit", m.inhibit);
    auto counters = json::object();
    for (const auto& [name, value] : m.counters) json::add(counters.get(), name.c_str(), value);
    json::add_item(o.get(), "counters", std::move(counters));
    json::add(o.get(), "version", m.version);
    json::add(o.get(), "outbox", m.outbox);
    if (!m.peripherals.empty()) {
        auto p = json::object();
        for (const auto& [name, condition] : m.peripherals)
            json::add(p.get(), name.c_str(), condition);
        json::add_item(o.get(), "peripherals", std::move(p));
    }
    return json::print(o.get());
}

}  // namespace cashbridge::mqtt
