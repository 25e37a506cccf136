// Payment server + customer over MQTT: tracks the daemon's reports, publishes completions.
#include "cashbridge/sim/payment_server.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <stdexcept>
#include <variant>

#include "cashbridge/mqtt/jws.hpp"
#include "cashbridge/mqtt/messages.hpp"
#include "cashbridge/sim/unique_fd.hpp"

namespace cashbridge::sim {
namespace {

namespace m = cashbridge::mqtt;

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

/// Drops the oldest entries beyond `max` (keeps status replies and memory bounded).
template <class T>
void trim(std::vector<T>& v, std::size_t max) {
    if (v.size() > max) v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() - max));
}

/// A broker that has not acknowledged the previous send is given this many intervals before
/// another copy is queued behind it (the acknowledgement can be lost with a connection).
constexpr std::int64_t unconfirmed_resend_factor = 5;

}  // namespace

std::optional<PayVariant> pay_variant_from_string(const std::string& s) {
    for (const auto& [v, name] : variant_names)
        if (s == name) return v;
    return std::nullopt;
}

bool rejection_names_payment(PayVariant v) {
    switch (v) {
        case PayVariant::good:
        case PayVariant::expired:
        case PayVariant::wrong_machine:
        case PayVariant::wrong_currency:
            return true;  // the signature verifies: the daemon trusts and reports the jti
        case PayVariant::forged:
        case PayVariant::alg_none:
        case PayVariant::not_jws:
        case PayVariant::malformed_json:
            return false;  // rejected with "payment": null, so no ack could ever name it
    }
    return false;
}

std::string to_string(PayVariant v) {
    for (const auto& [x, name] : variant_names)
        if (x == v) return name;
    return "unknown";
}

PaymentServer::PaymentServer(m::MessageBus& bus, const std::string& machine_id, std::string key,
                             std::string currency, std::int64_t resend_ms)
    : bus_(bus),
      topics_(machine_id),
      key_(std::move(key)),
      currency_(std::move(currency)),
      resend_ns_(resend_ms * 1'000'000) {
    if (resend_ms < 0) throw std::invalid_argument("resend interval must be >= 0");
}

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
        } else if (const auto* del = std::get_if<m::Delivered>(&ev)) {
            for (auto& r : payments_)
                if (r.last_msg_id == del->id) r.last_confirmed = true;
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
    if (topic == topics_.up_payment) return handle_payment_request(payload);
    return "mqtt: " + topic + " " + payload.substr(0, 300);
}

std::string PaymentServer::handle_session(const std::string& machine, const std::string& payload) {
    auto decoded = m::decode_session(payload);
    if (!decoded) return "mqtt: bad session message from " + machine + ": " + decoded.error.detail;
    const auto* open = std::get_if<m::SessionOpen>(&*decoded);
    if (open) sessions_by_machine_[machine] = payload;
    if (machine != topics_.machine_id) return "mqtt: session message from " + machine + " (other)";
    if (const auto* q = std::get_if<m::SessionQuery>(&*decoded)) return answer_query(q->session);
    if (const auto* cancel = std::get_if<m::SessionCancel>(&*decoded)) {
        canceled_.push_back({cancel->session, cancel->reason});
        trim(canceled_, max_reports);
        // The QR is gone: like a real server, stop offering the session to customers.
        // Completions already published for it keep being re-sent until answered: that
        // money was taken, and the daemon credits it (forced) rather than lose it.
        if (session_id_ == cancel->session) {
            session_id_.reset();
            session_json_.reset();
            session_amount_.reset();
        }
        return "mqtt: session.cancel " + cancel->session + " reason " + cancel->reason;
    }
    if (!open) return "mqtt: session message " + payload.substr(0, 200);
    session_json_ = payload;
    session_id_ = open->session;
    session_amount_ = open->amount;
    ++sessions_seen_;
    return "mqtt: session.open " + open->session + " amount " +
           (open->amount ? std::to_string(*open->amount) : std::string("open")) + " " +
           open->currency;
}

std::string PaymentServer::answer_query(const std::string& session) {
    ++session_queries_;
    const auto now = monotonic_ns();
    std::string sent;
    for (auto& r : payments_) {
        if (r.session != session || !r.good_message) continue;
        send(r, *r.good_message, now);
        ++r.resends;
        sent += " " + r.payment;
    }
    if (sent.empty()) return "mqtt: session.query " + session + ": no good completion, no answer";
    ++session_queries_answered_;
    return "mqtt: session.query " + session + ": re-sent" + sent;
}

std::string PaymentServer::handle_credit(const std::string& payload) {
    auto decoded = m::decode_credit(payload);
    if (!decoded) {
        reports_.push_back({"invalid", std::nullopt, decoded.error.detail, payload});
        trim(reports_, max_reports);
        return "mqtt: undecodable up/credit: " + decoded.error.detail;
    }
    CreditReport r;
    r.json = payload;
    std::string extra;
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            PaymentRecord* rec = nullptr;
            if constexpr (std::is_same_v<T, m::PaymentRejected>) {
                if (x.payment) rec = find_mut(*x.payment);
            } else {
                rec = find_mut(x.payment);
            }
            auto set_forced = [&](const std::optional<std::string>& forced) {
                if (!forced) return;
                extra += " forced " + *forced;
                if (rec) rec->forced = forced;
            };
            if constexpr (std::is_same_v<T, m::PaymentAccepted>) {
                r.type = "payment.accepted";
                r.payment = x.payment;
                set_forced(x.forced);
                if (rec) {
                    rec->acked = true;
                    ++rec->accepted;
                }
            } else if constexpr (std::is_same_v<T, m::PaymentRejected>) {
                r.type = "payment.rejected";
                r.payment = x.payment;
                r.reason = x.reason;
                if (rec) {
                    rec->acked = true;
                    rec->rejected = x.reason;
                }
            } else if constexpr (std::is_same_v<T, m::CreditDelivered>) {
                r.type = "credit.delivered";
                r.payment = x.payment;
                set_forced(x.forced);
                if (x.ambiguous) extra += " ambiguous " + std::to_string(x.ambiguous);
                if (rec) {
                    rec->final_state = "delivered";
                    rec->delivered_amount = x.amount;
                    rec->owed = 0;
                    rec->delivered_ambiguous = x.ambiguous;
                }
            } else if constexpr (std::is_same_v<T, m::CreditFailed>) {
                r.type = "credit.failed";
                r.payment = x.payment;
                r.reason = x.reason;
                extra += " owed " + std::to_string(x.owed);
                if (rec) {
                    rec->final_state = "failed";
                    rec->delivered_amount = x.delivered;
                    rec->owed = x.owed;
                }
            } else {
                static_assert(std::is_same_v<T, m::CreditAmbiguous>);
                r.type = "credit.ambiguous";
                r.payment = x.payment;
                extra += " value " + std::to_string(x.value);
                if (rec) {
                    ++rec->ambiguous_reports;
                    // The daemon's outbox re-sends a report it has no broker ack for, byte
                    // for byte: such a copy is the same ambiguity, not a second one.
                    auto& seen = rec->ambiguous_payloads;
                    if (std::find(seen.begin(), seen.end(), payload) == seen.end()) {
                        seen.push_back(payload);
                        rec->ambiguous_reported += x.value;
                    } else {
                        extra += " (duplicate)";
                    }
                }
            }
            if (!rec && r.payment) extra += " (not a payment of ours)";
        },
        *decoded);
    reports_.push_back(r);
    trim(reports_, max_reports);
    return "mqtt: report " + r.type + " payment " + r.payment.value_or("null") +
           (r.reason ? " reason " + *r.reason : "") + extra;
}

PaymentRecord* PaymentServer::find_mut(const std::string& payment) {
    const auto it = index_.find(payment);
    return it == index_.end() ? nullptr : &payments_[it->second - records_dropped_];
}

const PaymentRecord* PaymentServer::find(const std::string& payment) const {
    return const_cast<PaymentServer*>(this)->find_mut(payment);
}

void PaymentServer::send(PaymentRecord& r, const std::string& message, std::int64_t now_ns) {
    r.last_msg_id = bus_.publish(topics_.down_payment, message, false);
    r.last_sent_ns = now_ns;
    r.last_confirmed = false;
}

PaymentRecord PaymentServer::pay(const PayRequest& req, std::int64_t now_unix,
                                 std::int64_t now_ns) {
    if (!req.session && !session_id_)
        throw std::invalid_argument(
            canceled_.empty()
                ? "no session yet: the daemon has not published session.open"
                : "no open session: the last one was canceled (" + canceled_.back().reason + ")");
    if (req.variant == PayVariant::expired && (req.iat_age_s || req.exp_s))
        throw std::invalid_argument(
            "variant=expired sets iat/exp itself; use variant=good with iat_age_s=/exp_s=");
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
    c.iat = now_unix - req.iat_age_s.value_or(0);
    c.exp = c.iat + req.exp_s.value_or(300);

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
    PaymentRecord* r = find_mut(c.jti);
    if (!r) {
        index_[c.jti] = records_dropped_ + payments_.size();
        payments_.emplace_back();
        r = &payments_.back();
        r->payment = c.jti;
        r->published_ns = now_ns;
    }
    r->session = c.sid;
    r->amount = c.amount;
    r->variant = req.variant;
    r->message = message;
    // A new publish under this id wants a new answer; only verifiable ones can get one.
    r->resend = req.resend && rejection_names_payment(req.variant);
    r->acked = false;
    if (req.variant == PayVariant::good && !r->paid) {
        r->paid = c.amount;
        r->good_message = message;
    }
    send(*r, message, now_ns);
    PaymentRecord copy = *r;
    while (payments_.size() > max_payment_records) {
        index_.erase(payments_.front().payment);
        payments_.pop_front();
        ++records_dropped_;
    }
    return copy;
}

PaymentRecord PaymentServer::republish(const std::string& payment, std::int64_t now_ns) {
    PaymentRecord* r = find_mut(payment);
    if (!r) throw std::invalid_argument("no published payment " + payment);
    send(*r, r->message, now_ns);
    ++r->republished;
    return *r;
}

std::vector<std::string> PaymentServer::resend_due(std::int64_t now_ns) {
    std::vector<std::string> log;
    if (resend_ns_ <= 0 || !bus_.connected()) return log;
    for (auto& r : payments_) {
        if (!r.resend || r.acked) continue;
        const auto wait = r.last_confirmed ? resend_ns_ : resend_ns_ * unconfirmed_resend_factor;
        if (now_ns - r.last_sent_ns < wait) continue;
        send(r, r.message, now_ns);
        ++r.resends;
        log.push_back("resend " + r.payment + " (#" + std::to_string(r.resends) +
                      ", no payment.accepted/rejected yet)");
    }
    return log;
}

std::optional<std::int64_t> PaymentServer::next_resend_ns() const {
    if (resend_ns_ <= 0 || !bus_.connected()) return std::nullopt;
    std::optional<std::int64_t> next;
    for (const auto& r : payments_) {
        if (!r.resend || r.acked) continue;
        const auto due = r.last_sent_ns +
                         (r.last_confirmed ? resend_ns_ : resend_ns_ * unconfirmed_resend_factor);
        if (!next || due < *next) next = due;
    }
    return next;
}

PaymentTotals PaymentServer::totals() const {
    PaymentTotals t;
    for (const auto& r : payments_) {
        t.paid += r.paid.value_or(0);
        t.delivered += r.delivered_amount;
        t.ambiguous += r.ambiguous();
        if (r.final_state == "failed") t.failed_owed += r.owed;
        if (r.paid && r.rejected && r.accepted == 0) t.rejected += *r.paid;
        if (!r.settled()) ++t.unsettled;
    }
    return t;
}

void PaymentServer::on_coin_edge(std::int64_t t_ns) {
    // Records are in publish order, so everything older than one that already has its
    // first edge has one too: stop there instead of walking up to 10000 records per edge.
    for (auto it = payments_.rbegin(); it != payments_.rend() && !it->first_edge_ns; ++it)
        if (it->published_ns <= t_ns) it->first_edge_ns = t_ns;
}

bool PaymentServer::is_canceled(const std::string& session) const {
    for (const auto& c : canceled_)
        if (c.session == session) return true;
    return false;
}

void PaymentServer::reset() {
    reports_.clear();
    canceled_.clear();
    payments_.clear();
    index_.clear();
    records_dropped_ = session_queries_ = session_queries_answered_ = 0;
}

}  // namespace cashbridge::sim
