// Decoders of contract v1: JSON -> struct, naming the first field that is wrong.
#include "cashbridge/mqtt/messages.hpp"
#include "cashbridge/mqtt/topics.hpp"
#include "json.hpp"

namespace cashbridge::mqtt {
namespace {

template <class T>
Decoded<T> fail(Reason r, std::string detail) {
    return Decoded<T>{std::nullopt, DecodeError{r, std::move(detail)}};
}

template <class T>
Decoded<T> ok(T value) {
    return Decoded<T>{std::move(value), {}};
}

// Reads required fields, remembering only the first problem so the detail points at it.
class Fields {
  public:
    Fields(const cJSON* obj, Reason reason) : obj_(obj), reason_(reason) {}

    std::string str(const char* name) {
        auto v = json::get_string(obj_, name);
        if (!v) miss(name, "a string");
        return v.value_or(std::string{});
    }
    std::int64_t integer(const char* name) {
        auto v = json::get_int(obj_, name);
        if (!v) miss(name, "an integer");
        return v.value_or(0);
    }
    bool boolean(const char* name) {
        auto v = json::get_bool(obj_, name);
        if (!v) miss(name, "a boolean");
        return v.value_or(false);
    }
    // Nullable fields must be present: null is a statement, absence is a bug.
    std::optional<std::string> nullable_str(const char* name) {
        if (json::is_null(obj_, name)) return std::nullopt;
        return str(name);
    }
    std::optional<std::int64_t> nullable_int(const char* name) {
        if (json::is_null(obj_, name)) return std::nullopt;
        return integer(name);
    }
    // Fields added after the first v1 release: absent reads as null / `fallback` so that
    // older peers still decode, but a present value must have the right type.
    std::optional<std::string> added_str(const char* name) {
        if (!json::has(obj_, name) || json::is_null(obj_, name)) return std::nullopt;
        return str(name);
    }
    std::optional<std::int64_t> added_nullable_int(const char* name) {
        if (!json::has(obj_, name) || json::is_null(obj_, name)) return std::nullopt;
        return integer(name);
    }
    std::int64_t added_int(const char* name, std::int64_t fallback = 0) {
        if (!json::has(obj_, name)) return fallback;
        return integer(name);
    }
    template <class T>
    bool failed(Decoded<T>& out) const {
        if (!error_) return false;
        out = fail<T>(error_->reason, error_->detail);
        return true;
    }
    void miss(const std::string& name, const char* what) {
        if (!error_) error_ = DecodeError{reason_, "\"" + name + "\" must be " + what};
    }

  private:
    const cJSON* obj_;
    Reason reason_;
    std::optional<DecodeError> error_;
};

struct Envelope {
    json::Ptr root;
    std::string type;
    std::optional<DecodeError> error;
};

// The checks every message shares, in the documented order: JSON object, v, type.
Envelope open(std::string_view text) {
    Envelope e;
    e.root = json::parse_object(text);
    if (!e.root) {
        e.error = DecodeError{Reason::malformed_json, "not a JSON object"};
        return e;
    }
    const auto v = json::get_int(e.root.get(), "v");
    if (!v || *v != contract_version) {
        e.error = DecodeError{Reason::unsupported_version,
                              "\"v\" must be " + std::to_string(contract_version)};
        return e;
    }
    const auto type = json::get_string(e.root.get(), "type");
    if (!type) {
        e.error = DecodeError{Reason::unknown_type, "\"type\" missing or not a string"};
        return e;
    }
    e.type = *type;
    return e;
}

template <class T>
Decoded<T> unknown(const std::string& type) {
    return fail<T>(Reason::unknown_type, "unexpected type \"" + type + "\"");
}

}  // namespace

Decoded<SessionMessage> decode_session(std::string_view text) {
    using R = Decoded<SessionMessage>;
    auto e = open(text);
    if (e.error) return fail<SessionMessage>(e.error->reason, e.error->detail);
    Fields f{e.root.get(), Reason::malformed_json};
    R out;
    if (e.type == "session.open") {
        SessionOpen m;
        m.session = f.str("session");
        m.amount = f.nullable_int("amount");
        m.currency = f.str("currency");
        m.expires = f.integer("expires");
        m.qr = f.str("qr");
        if (f.failed(out)) return out;
        return ok<SessionMessage>(std::move(m));
    }
    if (e.type == "session.cancel") {
        SessionCancel m{f.str("session"), f.str("reason")};
        if (f.failed(out)) return out;
        return ok<SessionMessage>(std::move(m));
    }
    if (e.type == "session.query") {
        SessionQuery m{f.str("session")};
        if (f.failed(out)) return out;
        return ok<SessionMessage>(std::move(m));
    }
    return unknown<SessionMessage>(e.type);
}

Decoded<PaymentCompleted> decode_payment_completed(std::string_view text) {
    auto e = open(text);
    if (e.error) return fail<PaymentCompleted>(e.error->reason, e.error->detail);
    if (e.type != "payment.completed") return unknown<PaymentCompleted>(e.type);
    Fields f{e.root.get(), Reason::malformed_json};
    PaymentCompleted m{f.str("token")};
    Decoded<PaymentCompleted> out;
    if (f.failed(out)) return out;
    return ok(std::move(m));
}

Decoded<PaymentClaims> decode_claims(std::string_view text) {
    const auto root = json::parse_object(text);
    if (!root) return fail<PaymentClaims>(Reason::bad_claims, "JWS payload is not a JSON object");
    Fields f{root.get(), Reason::bad_claims};
    PaymentClaims c;
    c.sub = f.str("sub");
    c.jti = f.str("jti");
    c.sid = f.str("sid");
    c.amount = f.integer("amount");
    c.currency = f.str("currency");
    c.iat = f.integer("iat");
    c.exp = f.integer("exp");
    if (json::has(root.get(), "cid") && !json::is_null(root.get(), "cid")) c.cid = f.str("cid");
    if (c.jti.empty() && json::get_string(root.get(), "jti")) f.miss("jti", "a non-empty string");
    Decoded<PaymentClaims> out;
    if (f.failed(out)) return out;
    return ok(std::move(c));
}

Decoded<CreditMessage> decode_credit(std::string_view text) {
    using R = Decoded<CreditMessage>;
    auto e = open(text);
    if (e.error) return fail<CreditMessage>(e.error->reason, e.error->detail);
    Fields f{e.root.get(), Reason::malformed_json};
    R out;
    if (e.type == "payment.accepted") {
        PaymentAccepted m;
        m.payment = f.str("payment");
        m.session = f.str("session");
        m.amount = f.integer("amount");
        m.currency = f.str("currency");
        m.forced = f.added_str("forced");
        m.remaining = f.added_nullable_int("remaining");
        if (f.failed(out)) return out;
        return ok<CreditMessage>(std::move(m));
    }
    if (e.type == "payment.rejected") {
        PaymentRejected m;
        m.payment = f.nullable_str("payment");
        m.reason = f.str("reason");
        m.detail = f.str("detail");
        if (f.failed(out)) return out;
        return ok<CreditMessage>(std::move(m));
    }
    if (e.type == "credit.delivered") {
        CreditDelivered m;
        m.payment = f.str("payment");
        m.amount = f.integer("amount");
        m.pulses = f.integer("pulses");
        m.ambiguous = f.added_int("ambiguous");
        m.forced = f.added_str("forced");
        if (f.failed(out)) return out;
        return ok<CreditMessage>(std::move(m));
    }
    if (e.type == "credit.ambiguous") {
        CreditAmbiguous m;
        m.payment = f.str("payment");
        m.value = f.integer("value");
        m.pulses = f.integer("pulses");
        if (f.failed(out)) return out;
        return ok<CreditMessage>(std::move(m));
    }
    if (e.type == "credit.failed") {
        CreditFailed m;
        m.payment = f.str("payment");
        m.amount = f.integer("amount");
        m.delivered = f.integer("delivered");
        m.owed = f.integer("owed");
        m.reason = f.str("reason");
        if (f.failed(out)) return out;
        return ok<CreditMessage>(std::move(m));
    }
    return unknown<CreditMessage>(e.type);
}

Decoded<Event> decode_event(std::string_view text) {
    auto e = open(text);
    if (e.error) return fail<Event>(e.error->reason, e.error->detail);
    if (e.type != "event") return unknown<Event>(e.type);
    Fields f{e.root.get(), Reason::malformed_json};
    Event m;
    const auto level = event_level_from_string(f.str("level"));
    if (!level) f.miss("level", "one of debug, info, warning, error");
    m.level = level.value_or(EventLevel::info);
    m.name = f.str("name");
    m.detail = f.str("detail");
    m.ts = f.integer("ts");
    Decoded<Event> out;
    if (f.failed(out)) return out;
    return ok(std::move(m));
}

Decoded<StateReport> decode_state(std::string_view text) {
    auto e = open(text);
    if (e.error) return fail<StateReport>(e.error->reason, e.error->detail);
    if (e.type != "state") return unknown<StateReport>(e.type);
    Fields f{e.root.get(), Reason::malformed_json};
    StateReport m;
    const auto state = machine_state_from_string(f.str("state"));
    if (!state) f.miss("state", "one of ready, paid, unavailable, fault");
    m.state = state.value_or(MachineState::unavailable);
    m.session = f.nullable_str("session");
    m.inhibit = f.boolean("inhibit");
    const cJSON* counters = cJSON_GetObjectItemCaseSensitive(e.root.get(), "counters");
    if (!cJSON_IsObject(counters)) {
        f.miss("counters", "an object");
        counters = nullptr;  // an array would iterate nameless items
    }
    const cJSON* item = nullptr;
    cJSON_ArrayForEach(item, counters) {
        const auto v = json::get_int(counters, item->string);
        if (!v) f.miss(std::string{"counters."} + item->string, "an integer");
        m.counters[item->string] = v.value_or(0);
    }
    m.version = f.str("version");
    m.outbox = f.added_int("outbox");
    if (const cJSON* p = cJSON_GetObjectItemCaseSensitive(e.root.get(), "peripherals")) {
        if (!cJSON_IsObject(p)) f.miss("peripherals", "an object");
        const cJSON* each = nullptr;
        if (cJSON_IsObject(p)) cJSON_ArrayForEach(each, p) {
                const auto v = json::get_string(p, each->string);
                if (!v) f.miss(std::string{"peripherals."} + each->string, "a string");
                m.peripherals[each->string] = v.value_or("");
            }
    }
    Decoded<StateReport> out;
    if (f.failed(out)) return out;
    return ok(std::move(m));
}

}  // namespace cashbridge::mqtt
