/// @file payment_server.hpp
/// The payment server and the customer: watches what the daemon publishes, and on request
/// signs and publishes a completion (good or deliberately bad) for its current session.
/// Like a real server (docs/protocol.md) it re-sends a completion until the daemon names it
/// in payment.accepted / payment.rejected, and answers session.query; it keeps per-payment
/// books (paid, delivered, failed, ambiguous) for the exactly-once fault tests.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cashbridge/mqtt/bus.hpp"
#include "cashbridge/mqtt/topics.hpp"
#include "cashbridge/sim/scan_orders.hpp"

namespace cashbridge::sim {

/// The kinds of completion `pay` can publish; everything but `good` must be rejected.
enum class PayVariant {
    good,
    forged,          ///< HS256 with a wrong key
    expired,         ///< iat/exp well in the past (beyond any leeway)
    wrong_machine,   ///< sub names another machine
    wrong_currency,  ///< currency differs from --currency
    alg_none,        ///< {"alg":"none"} and no signature
    not_jws,         ///< token is not a JWS at all
    malformed_json,  ///< the envelope itself is not JSON
};
std::optional<PayVariant> pay_variant_from_string(const std::string& s);
std::string to_string(PayVariant v);

struct PayRequest {
    std::optional<std::int64_t> amount;  ///< default: the session's amount
    PayVariant variant = PayVariant::good;
    std::optional<std::string> payment;  ///< jti; default: random
    std::optional<std::string> session;  ///< sid; default: the latest session.open
    /// iat = now - iat_age_s (default 0): a completion that took this long to arrive.
    std::optional<std::int64_t> iat_age_s;
    /// exp = iat + exp_s (default 300); iat_age_s > exp_s makes an already expired token.
    std::optional<std::int64_t> exp_s;
    /// Re-send every resend interval until the daemon accepts or rejects it by id.
    bool resend = true;
};

/// True for variants whose rejection names the payment (the signature verifies), so the
/// server can learn that it was seen; the others are published once.
bool rejection_names_payment(PayVariant v);

/// One payment id: what was published under it and what the daemon said about it.
struct PaymentRecord {
    std::string payment;
    std::string session;  ///< the sid claim
    std::int64_t amount = 0;
    PayVariant variant = PayVariant::good;      ///< of the latest `pay` with this id
    std::string message;                        ///< latest message; what resends send
    std::int64_t published_ns = 0;              ///< first publish
    std::optional<std::int64_t> first_edge_ns;  ///< first coin-line edge after publishing

    // Re-sending (the payment server's retry until the daemon names the payment).
    bool resend = false;           ///< re-sent until acked
    bool acked = false;            ///< a payment.accepted / payment.rejected named it
    std::int64_t resends = 0;      ///< timer and session.query re-sends
    std::int64_t republished = 0;  ///< `republish` commands
    std::int64_t last_sent_ns = 0;
    std::uint64_t last_msg_id = 0;
    bool last_confirmed = false;  ///< the broker acknowledged the latest send

    // Bookkeeping for the fault tests.
    std::optional<std::int64_t> paid;         ///< amount of the first good completion under this id
    std::optional<std::string> good_message;  ///< that completion, for session.query answers
    std::int64_t accepted = 0;                ///< payment.accepted seen (duplicates re-ack)
    std::optional<std::string> rejected;      ///< reason of the latest payment.rejected
    std::optional<std::string> final_state;   ///< "delivered" / "failed", latest wins
    std::int64_t delivered_amount = 0;        ///< credit.delivered amount / credit.failed delivered
    std::int64_t owed = 0;                    ///< credit.failed owed (0 unless final is failed)
    std::optional<std::int64_t> delivered_ambiguous;  ///< credit.delivered's `ambiguous`
    std::int64_t ambiguous_reported = 0;              ///< sum of distinct credit.ambiguous values
    std::int64_t ambiguous_reports = 0;  ///< credit.ambiguous messages, duplicates included
    std::vector<std::string> ambiguous_payloads;  ///< to tell re-sent duplicates apart
    std::optional<std::string> forced;            ///< latest non-null `forced`

    /// Value of this payment's pulses the daemon cannot vouch for: credit.delivered's
    /// `ambiguous` when it came (it covers the credit.ambiguous reports), otherwise the sum
    /// of the distinct credit.ambiguous reports.
    std::int64_t ambiguous() const { return delivered_ambiguous.value_or(ambiguous_reported); }
    /// A paid payment has reached its end: delivered, failed, or rejected and never accepted.
    bool settled() const {
        return !paid || final_state.has_value() || (rejected.has_value() && accepted == 0);
    }
};

/// Sums over the payment records, for the fault tests' invariants.
struct PaymentTotals {
    std::int64_t paid = 0;         ///< sum of `paid`
    std::int64_t delivered = 0;    ///< sum of delivered_amount
    std::int64_t ambiguous = 0;    ///< sum of ambiguous()
    std::int64_t failed_owed = 0;  ///< sum of owed of payments whose final is failed
    std::int64_t rejected = 0;     ///< sum of `paid` of payments rejected, never accepted
    std::int64_t unsettled = 0;    ///< paid payments not settled() yet
};

/// A session.cancel from the daemon: the QR is gone, the server takes no new payment on it.
struct CanceledSession {
    std::string session;
    std::string reason;
};

/// One up/credit message from the daemon.
struct CreditReport {
    std::string type;  ///< payment.accepted, payment.rejected, credit.delivered, ...
    std::optional<std::string> payment;
    std::optional<std::string> reason;
    std::string json;  ///< the message as received
};

class PaymentServer {
  public:
    static constexpr std::int64_t default_resend_ms = 1000;
    /// Payment records kept (oldest dropped first, counted in records_dropped()).
    static constexpr std::size_t max_payment_records = 10'000;
    /// Reports kept (oldest dropped first).
    static constexpr std::size_t max_reports = 1000;

    /// `bus` must outlive the server. Throws std::invalid_argument for a bad machine id.
    /// `resend_ms` 0 turns re-sending off.
    PaymentServer(mqtt::MessageBus& bus, const std::string& machine_id, std::string key,
                  std::string currency, std::int64_t resend_ms = default_resend_ms);

    /// What the payment server subscribes to (all machines; others are only logged).
    static std::vector<std::string> subscriptions();

    /// Drains the bus and updates what the daemon told us; answers session.query. Returns
    /// log lines.
    std::vector<std::string> poll_bus();

    /// Re-sends every unacknowledged completion that is due at `now_ns` (only while the bus
    /// is connected). Returns log lines.
    std::vector<std::string> resend_due(std::int64_t now_ns);
    /// When resend_due() next has work, nullopt if never (until the bus reports something).
    std::optional<std::int64_t> next_resend_ns() const;

    /// Publishes a completion and returns a copy of its record. Throws std::invalid_argument
    /// when it cannot (no session, the session was canceled, open amount without amount=).
    /// An explicit `session` of a canceled session is published anyway: a payment taken
    /// just before the cancel arrived, which the daemon must still credit. Paying again under a
    /// known payment id updates that record (and re-arms its re-sending).
    PaymentRecord pay(const PayRequest& req, std::int64_t now_unix, std::int64_t now_ns);
    /// Publishes the recorded message of `payment` again, unchanged.
    PaymentRecord republish(const std::string& payment, std::int64_t now_ns);

    /// A coin line changed at `t_ns`: completes the latency record of earlier publishes.
    void on_coin_edge(std::int64_t t_ns);

    // scan_server.cpp: customer-presented codes.
    void set_scan_mode(ScanMode mode) { scan_mode_ = mode; }
    /// Completes a held order. Throws std::invalid_argument for an unknown order, and for a
    /// canceled one unless `force` (a charge that raced the cancel, for the tests).
    PaymentRecord complete_order(const std::string& order, bool force);
    const std::vector<ScanOrder>& orders() const { return orders_; }

    /// Forgets reports and payment records (the daemon's state is kept).
    void reset();

    const std::optional<std::string>& session_json() const { return session_json_; }
    const std::optional<std::string>& session_id() const { return session_id_; }
    std::uint64_t sessions_seen() const { return sessions_seen_; }
    const std::optional<std::string>& availability() const { return availability_; }
    const std::optional<std::string>& state_json() const { return state_json_; }
    const std::vector<CreditReport>& reports() const { return reports_; }
    /// session.cancel messages seen, oldest first (the last max_reports).
    const std::vector<CanceledSession>& canceled() const { return canceled_; }
    bool is_canceled(const std::string& session) const;
    /// In order of first publish.
    const std::deque<PaymentRecord>& payments() const { return payments_; }
    const PaymentRecord* find(const std::string& payment) const;
    PaymentTotals totals() const;
    std::uint64_t records_dropped() const { return records_dropped_; }
    std::uint64_t session_queries() const { return session_queries_; }
    std::uint64_t session_queries_answered() const { return session_queries_answered_; }
    std::int64_t resend_ms() const { return resend_ns_ / 1'000'000; }
    bool connected() const { return bus_.connected(); }

  private:
    std::string handle_message(const std::string& topic, const std::string& payload);
    std::string handle_session(const std::string& machine, const std::string& payload);
    std::string handle_credit(const std::string& payload);
    std::string answer_query(const std::string& session);
    std::string handle_payment_request(const std::string& payload);
    ScanOrder* find_order(const std::string& order);
    PaymentRecord* find_mut(const std::string& payment);
    void send(PaymentRecord& r, const std::string& message, std::int64_t now_ns);

    mqtt::MessageBus& bus_;
    mqtt::Topics topics_;
    std::string key_;
    std::string currency_;
    std::int64_t resend_ns_;
    std::map<std::string, std::string> sessions_by_machine_;
    std::optional<std::string> session_json_;
    std::optional<std::string> session_id_;
    std::optional<std::int64_t> session_amount_;
    std::uint64_t sessions_seen_ = 0;
    std::optional<std::string> availability_;
    std::optional<std::string> state_json_;
    std::vector<CreditReport> reports_;
    std::vector<CanceledSession> canceled_;
    std::deque<PaymentRecord> payments_;
    /// Payment id -> its position in payments_ counted from the first record ever kept, so
    /// a report finds its record without walking up to 10000 of them.
    std::unordered_map<std::string, std::uint64_t> index_;
    std::uint64_t records_dropped_ = 0;
    std::uint64_t session_queries_ = 0;
    std::uint64_t session_queries_answered_ = 0;
    ScanMode scan_mode_ = ScanMode::complete;
    std::vector<ScanOrder> orders_;
};

}  // namespace cashbridge::sim
