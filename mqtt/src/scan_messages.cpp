// Encoders and decoders of payment.scan, payment.cancel and payment.failed.
#include "cashbridge/mqtt/scan_messages.hpp"

#include "cashbridge/mqtt/topics.hpp"
#include "json.hpp"

namespace cashbridge::mqtt {
namespace {

// Required fields, remembering the first problem so the error names that field.
class Required {
  public:
    explicit Required(const cJSON* obj) : obj_(obj) {}
    std::string str(const char* name) {
        auto v = json::get_string(obj_, name);
        if (!v || v->empty()) miss(name, "a non-empty string");
        return v.value_or("");
    }
    std::int64_t integer(const char* name) {
        auto v = json::get_int(obj_, name);
        if (!v) miss(name, "an integer");
        return v.value_or(0);
    }
    template <class T>
    bool failed(Decoded<T>& out) const {
        if (detail_.empty()) return false;
        out = Decoded<T>{std::nullopt, DecodeError{Reason::malformed_json, detail_}};
        return true;
    }

  private:
    void miss(const char* name, const char* what) {
        if (detail_.empty()) detail_ = std::string("\"") + name + "\" must be " + what;
    }
    const cJSON* obj_;
    std::string detail_;
};

template <class T>
Decoded<T> fail(Reason r, std::string detail) {
    return Decoded<T>{std::nullopt, DecodeError{r, std::move(detail)}};
}

// The envelope checks every message shares: a JSON object, "v" and a known "type".
template <class T>
std::optional<Decoded<T>> envelope(const json::Ptr& root) {
    if (!root) return fail<T>(Reason::malformed_json, "not a JSON object");
    const auto v = json::get_int(root.get(), "v");
    if (!v || *v != contract_version)
        return fail<T>(Reason::unsupported_version,
                       "\"v\" must be " + std::to_string(contract_version));
    return std::nullopt;
}

}  // namespace

std::string message_type(std::string_view text) {
    const auto root = json::parse_object(text);
    if (!root) return {};
    return json::get_string(root.get(), "type").value_or("");
}

std::string encode(const PaymentScan& m) {
    auto o = json::message("payment.scan");
    json::add(o.get(), "order", m.order);
    json::add(o.get(), "session", m.session);
    json::add(o.get(), "amount", m.amount);
    json::add(o.get(), "currency", m.currency);
    json::add(o.get(), "code_type", m.code_type);
    json::add(o.get(), "code", m.code);
    return json::print(o.get());
}

std::string encode(const PaymentCancel& m) {
    auto o = json::message("payment.cancel");
    json::add(o.get(), "order", m.order);
    json::add(o.get(), "session", m.session);
    json::add(o.get(), "reason", m.reason);
    return json::print(o.get());
}

std::string encode(const PaymentRequest& m) {
    return std::visit([](const auto& x) { return encode(x); }, m);
}

std::string encode(const PaymentFailed& m) {
    auto o = json::message("payment.failed");
    json::add(o.get(), "order", m.order);
    json::add(o.get(), "session", m.session);
    json::add(o.get(), "reason", m.reason);
    return json::print(o.get());
}

Decoded<PaymentRequest> decode_payment_request(std::string_view text) {
    const auto root = json::parse_object(text);
    if (auto bad = envelope<PaymentRequest>(root)) return *bad;
    const auto type = json::get_string(root.get(), "type").value_or("");
    Required f{root.get()};
    Decoded<PaymentRequest> out;
    if (type == "payment.scan") {
        PaymentScan m;
        m.order = f.str("order");
        m.session = f.str("session");
        m.amount = f.integer("amount");
        m.currency = f.str("currency");
        m.code_type = f.str("code_type");
        m.code = f.str("code");
        if (f.failed(out)) return out;
        return {PaymentRequest{std::move(m)}, {}};
    }
    if (type == "payment.cancel") {
        PaymentCancel m;
        m.order = f.str("order");
        m.session = f.str("session");
        m.reason = f.str("reason");
        if (f.failed(out)) return out;
        return {PaymentRequest{std::move(m)}, {}};
    }
    return fail<PaymentRequest>(Reason::unknown_type, "unexpected type \"" + type + "\"");
}

Decoded<PaymentFailed> decode_payment_failed(std::string_view text) {
    const auto root = json::parse_object(text);
    if (auto bad = envelope<PaymentFailed>(root)) return *bad;
    const auto type = json::get_string(root.get(), "type").value_or("");
    if (type != "payment.failed")
        return fail<PaymentFailed>(Reason::unknown_type, "unexpected type \"" + type + "\"");
    Required f{root.get()};
    PaymentFailed m;
    m.order = f.str("order");
    m.session = f.str("session");
    m.reason = f.str("reason");
    Decoded<PaymentFailed> out;
    if (f.failed(out)) return out;
    return {std::move(m), {}};
}

}  // namespace cashbridge::mqtt
