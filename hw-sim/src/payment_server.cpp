// Payment server + customer over MQTT: tracks the daemon's reports, publishes completions.
#include "cashbridge/sim/payment_server.hpp"

#include <array>
#include <random>
#include <stdexcept>
#include <variant>

#include "cashbridge/mqtt/jws.hpp"
#include "cashbridge/mqtt/messages.hpp"

namespace cashbridge::sim {
namespace {

namespace m = cashbridge::mqtt;

constexpr std::size_t max_records = 1000;  // keep status replies and memory bounded

constexpr std::array<std::pair<PayVariant, const char*>, 8> variant_names{{
    {PayVariant::good, "good"},
    {PayVariant::forged, "forged"},
    {PayVariant::expired, "expired"},
    {PayVariant::wrong_machine, "wrong_machine"},
    {PayVariant::wrong_currency, "wrong_currency"},
    {PayVariant::alg_none, "alg_none"},
    {PayVariant::not_jws, "not_jws"},
    {PayVariant::malformed_json, "malformed_json"},
}};

std::string random_payment_id() {
    std::random_device rd;
    static constexpr char hex[] = "0123456789abcdef";
    std::string id = "pay-";
    for (int i = 0; i < 16; ++i) id.push_back(hex[rd() % 16]);
    return id;
}

template <class T>
void trim(std::vector<T>& v) {
    if (v.size() > max_records) v.erase(v.begin(), v.begin() + (v.size() - max_records));
}

}  // namespace

std::optional<PayVariant> pay_variant_from_string(const std::string& s) {
    for (const auto& [v, name] : variant_names)
        if (s == name) return v;
    return std::nullopt;
}

std::string to_string(PayVariant v) {
    for (const auto& [x, name] : variant_names)
        if (x == v) return name;
    return "unknown";
}

PaymentServer::PaymentServer(m::MessageBus& bus, const std::string& machine_id, std::string key,
                             std::string currency)
    : bus_(bus), topics_(machine_id), key_(std::move(key)), currency_(std::move(currency)) {}

std::vector<std::string> PaymentServer::subscriptions() {
    return {"cashbridge/v1/+/up/#", "cashbridge/v1/+/availability", "cashbridge/v1/+/state",
            "cashbridge/v1/+/events"};
}

std::vector<std::string> PaymentServer::poll_bus() {
    std::vector<std::string> log;
    for (auto& ev : bus_.drain()) {
        if (const auto* msg = std::get_if<m::Message>(&ev)) {
            auto line = handle_message(msg->topic, msg->payload);
            if (!line.empty()) log.push_back(std::move(line));
        } else if (const auto* c = std::get_if<m::Connected>(&ev)) {
            log.push_back(std::string("mqtt: connected (session present: ") +
                          (c->session_present ? "yes" : "no") + ")");
        } else if (const auto* d = std::get_if<m::Disconnected>(&ev)) {
            log.push_back("mqtt: disconnected: " + d->cause);
        }
    }
    return log;
}

std::string PaymentServer::handle_message(const std::string& topic, const std::string& payload) {
    const std::string prefix = "cashbridge/v1/";
    if (topic.rfind(prefix, 0) != 0) return "mqtt: ignoring " + topic;
    const auto slash = topic.find('/', prefix.size());
    if (slash == std::string::npos) return "mqtt: ignoring " + topic;
    const std::string machine = topic.substr(prefix.size(), slash - prefix.size());
    if (topic == prefix + machine + "/up/session") return handle_session(machine, payload);
    if (machine != topics_.machine_id)
        return "mqtt: " + topic + " (other machine, ignored): " + payload.substr(0, 200);
    if (topic == topics_.availability) {
        availability_ = payload;
        return "mqtt: availability " + payload;
    }
    if (topic == topics_.state) {
        state_json_ = payload;
        return "mqtt: state " + payload.substr(0, 300);
    }
    if (topic == topics_.up_credit) return handle_credit(payload);
    return "mqtt: " + topic + " " + payload.substr(0, 300);
}

std::string PaymentServer::handle_session(const std::string& machine, const std::string& payload) {
    auto decoded = m::decode_session(payload);
    if (!decoded) return "mqtt: bad session message from " + machine + ": " + decoded.error.detail;
    const auto* open = std::get_if<m::SessionOpen>(&*decoded);
    if (open) sessions_by_machine_[machine] = payload;
    if (machine != topics_.machine_id) return "mqtt: session message from " + machine + " (other)";
    if (!open) return "mqtt: session message " + payload.substr(0, 200);
    session_json_ = payload;
    session_id_ = open->session;
    session_amount_ = open->amount;
    ++sessions_seen_;
    return "mqtt: session.open " + open->session + " amount " +
           (open->amount ? std::to_string(*open->amount) : std::string("open")) + " " +
           open->currency;
}

std::string PaymentServer::handle_credit(const std::string& payload) {
    auto decoded = m::decode_credit(payload);
    if (!decoded) {
        reports_.push_back({"invalid", std::nullopt, decoded.error.detail, payload});
        trim(reports_);
        return "mqtt: undecodable up/credit: " + decoded.error.detail;
    }
    CreditReport r;
    r.json = payload;
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, m::PaymentAccepted>) {
                r.type = "payment.accepted";
                r.payment = x.payment;
            } else if constexpr (std::is_same_v<T, m::PaymentRejected>) {
                r.type = "payment.rejected";
                r.payment = x.payment;
                r.reason = x.reason;
            } else if constexpr (std::is_same_v<T, m::CreditDelivered>) {
                r.type = "credit.delivered";
                r.payment = x.payment;
            } else {
                r.type = "credit.failed";
                r.payment = x.payment;
                r.reason = x.reason;
            }
        },
        *decoded);
    reports_.push_back(r);
    trim(reports_);
    return "mqtt: report " + r.type + " payment " + r.payment.value_or("null") +
           (r.reason ? " reason " + *r.reason : "");
}

PaymentRecord PaymentServer::pay(const PayRequest& req, std::int64_t now_unix,
                                 std::int64_t now_ns) {
    if (!req.session && !session_id_)
        throw std::invalid_argument("no session yet: the daemon has not published session.open");
    m::PaymentClaims c;
    c.sub = topics_.machine_id;
    c.jti = req.payment.value_or(random_payment_id());
    c.sid = req.session.value_or(session_id_.value_or(""));
    if (req.amount)
        c.amount = *req.amount;
    else if (session_amount_ && !req.session)
        c.amount = *session_amount_;
    else
        throw std::invalid_argument("open-amount session (or session= given): say amount=N");
    c.currency = currency_;
    c.iat = now_unix;
    c.exp = now_unix + 300;

    std::string message;
    switch (req.variant) {
        case PayVariant::good:
            message = m::make_payment_completed(c, key_);
            break;
        case PayVariant::forged:
            message = m::make_payment_completed(c, key_ + "-forged");
            break;
        case PayVariant::expired:
            c.iat = now_unix - 3600;
            c.exp = now_unix - 3300;
            message = m::make_payment_completed(c, key_);
            break;
        case PayVariant::wrong_machine:
            c.sub = topics_.machine_id + "-other";
            message = m::make_payment_completed(c, key_);
            break;
        case PayVariant::wrong_currency:
            c.currency = currency_ == "USD" ? "EUR" : "USD";
            message = m::make_payment_completed(c, key_);
            break;
        case PayVariant::alg_none:
            message = m::encode(m::PaymentCompleted{
                m::unsigned_token(R"({"alg":"none","typ":"JWT"})", m::encode_claims(c))});
            break;
        case PayVariant::not_jws:
            message = m::encode(m::PaymentCompleted{"this-is-not-a-jws-" + c.jti});
            break;
        case PayVariant::malformed_json:
            message = R"({"v":1,"type":"payment.completed","token":)";
            break;
    }
    payments_.push_back({c.jti, c.amount, req.variant, std::move(message), now_ns, std::nullopt});
    trim(payments_);
    bus_.publish(topics_.down_payment, payments_.back().message, false);
    return payments_.back();
}

PaymentRecord PaymentServer::republish(const std::string& payment, std::int64_t now_ns) {
    for (auto it = payments_.rbegin(); it != payments_.rend(); ++it) {
        if (it->payment != payment) continue;
        PaymentRecord copy = *it;
        copy.published_ns = now_ns;
        copy.first_edge_ns.reset();
        payments_.push_back(std::move(copy));
        trim(payments_);
        bus_.publish(topics_.down_payment, payments_.back().message, false);
        return payments_.back();
    }
    throw std::invalid_argument("no published payment " + payment);
}

void PaymentServer::on_coin_edge(std::int64_t t_ns) {
    for (auto& p : payments_)
        if (!p.first_edge_ns && p.published_ns <= t_ns) p.first_edge_ns = t_ns;
}

void PaymentServer::reset() {
    reports_.clear();
    payments_.clear();
}

}  // namespace cashbridge::sim
