/// @file payment_server.hpp
/// The payment server and the customer: watches what the daemon publishes, and on request
/// signs and publishes a completion (good or deliberately bad) for its current session.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cashbridge/mqtt/bus.hpp"
#include "cashbridge/mqtt/topics.hpp"

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
};

/// One published completion, kept so it can be republished byte for byte.
struct PaymentRecord {
    std::string payment;
    std::int64_t amount = 0;
    PayVariant variant = PayVariant::good;
    std::string message;
    std::int64_t published_ns = 0;
    std::optional<std::int64_t> first_edge_ns;  ///< first coin-line edge after publishing
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
    /// `bus` must outlive the server. Throws std::invalid_argument for a bad machine id.
    PaymentServer(mqtt::MessageBus& bus, const std::string& machine_id, std::string key,
                  std::string currency);

    /// What the payment server subscribes to (all machines; others are only logged).
    static std::vector<std::string> subscriptions();

    /// Drains the bus and updates what the daemon told us. Returns log lines.
    std::vector<std::string> poll_bus();

    /// Publishes a completion and returns a copy of its record. Throws std::invalid_argument
    /// when it cannot (no session, open amount without amount=).
    PaymentRecord pay(const PayRequest& req, std::int64_t now_unix, std::int64_t now_ns);
    /// Publishes the recorded message of `payment` again, unchanged.
    PaymentRecord republish(const std::string& payment, std::int64_t now_ns);

    /// A coin line changed at `t_ns`: completes the latency record of earlier publishes.
    void on_coin_edge(std::int64_t t_ns);

    /// Forgets reports and payment records (the daemon's state is kept).
    void reset();

    const std::optional<std::string>& session_json() const { return session_json_; }
    const std::optional<std::string>& session_id() const { return session_id_; }
    std::uint64_t sessions_seen() const { return sessions_seen_; }
    const std::optional<std::string>& availability() const { return availability_; }
    const std::optional<std::string>& state_json() const { return state_json_; }
    const std::vector<CreditReport>& reports() const { return reports_; }
    const std::vector<PaymentRecord>& payments() const { return payments_; }
    bool connected() const { return bus_.connected(); }

  private:
    std::string handle_message(const std::string& topic, const std::string& payload);
    std::string handle_session(const std::string& machine, const std::string& payload);
    std::string handle_credit(const std::string& payload);

    mqtt::MessageBus& bus_;
    mqtt::Topics topics_;
    std::string key_;
    std::string currency_;
    std::map<std::string, std::string> sessions_by_machine_;
    std::optional<std::string> session_json_;
    std::optional<std::string> session_id_;
    std::optional<std::int64_t> session_amount_;
    std::uint64_t sessions_seen_ = 0;
    std::optional<std::string> availability_;
    std::optional<std::string> state_json_;
    std::vector<CreditReport> reports_;
    std::vector<PaymentRecord> payments_;
};

}  // namespace cashbridge::sim
