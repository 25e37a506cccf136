// Bridge: the serial devices' side. Amounts from the price feed open and close sessions;
// scanned codes become payment.scan orders; a given-up order is canceled and never credited.
#include "cashbridge/bridge/bridge.hpp"
#include "cashbridge/bridge/payment_codes.hpp"
#include "cashbridge/mqtt/scan_messages.hpp"

namespace cashbridge::bridge {
namespace {

constexpr auto notice_time = std::chrono::seconds(5);

// Session close reasons as payment.cancel reasons: the server sees why, in its words.
std::string cancel_reason(const std::string& reason) {
    if (reason == "expired") return "session_expired";
    return reason;
}

}  // namespace

void Bridge::on_price(const PriceUpdate& u, Now now) {
    using Kind = PriceUpdate::Kind;
    switch (u.kind) {
        case Kind::amount:
            count("prices_received");
            if (external_price_ == u.amount) return;  // a repeat keeps the session
            external_price_ = u.amount;
            if (session_) cancel_session("price_changed");
            log_.info("price", "amount due " + std::to_string(u.amount));
            break;
        case Kind::cancel:
        case Kind::stale:
            count(u.kind == Kind::cancel ? "price_cancels" : "prices_stale");
            if (u.kind == Kind::stale) event(mqtt::EventLevel::warning, "price_stale", u.detail);
            external_price_.reset();
            if (session_) cancel_session(u.kind == Kind::cancel ? "price_cancel" : "price_stale");
            break;
        case Kind::malformed:
        case Kind::out_of_range:
            // Never acted on: a garbled amount must not open a session nobody asked for.
            count(u.kind == Kind::malformed ? "prices_malformed" : "prices_out_of_range");
            event(mqtt::EventLevel::warning,
                  u.kind == Kind::malformed ? "price_malformed" : "price_out_of_range", u.detail);
            break;
    }
    refresh(now);
    publish_state(now);
}

void Bridge::on_scan(const std::string& code, Now now) {
    const auto masked = mask_code(code);
    const auto kind = classify_payment_code(code);
    if (const auto* no = std::get_if<CodeRejected>(&kind)) {
        count("scans_rejected");
        event(mqtt::EventLevel::info, "scan_rejected", no->reason + " (" + masked + ")");
        return notice(no->reason, now);
    }
    const auto& code_kind = std::get<CodeKind>(kind);
    if (!session_ || !session_->amount || machine_state() != mqtt::MachineState::ready) {
        count("scans_rejected");
        event(mqtt::EventLevel::info, "scan_rejected",
              "no amount to pay (" + code_kind.label + " " + masked + ")");
        return notice("Nothing to pay yet", now);
    }
    if (order_ && order_->session == session_->id) cancel_order("rescanned");
    order_ = Order{session_->id + "." + std::to_string(++scans_in_session_), session_->id};
    count("scans_sent");
    // The code goes to the server only, never to the journal or a log: it is a bearer
    // credential while it is valid.
    bus_.publish(topics_.up_payment,
                 mqtt::encode(mqtt::PaymentScan{order_->id, session_->id, *session_->amount,
                                                config_.payment.currency, code_kind.type, code}),
                 false);
    event(mqtt::EventLevel::info, "scan_sent",
          code_kind.type + " " + masked + " for order " + order_->id);
    notice("Paying with " + code_kind.label + "…", now);
}

void Bridge::on_scan_unreadable(const std::string& why, Now now) {
    count("scans_unreadable");
    event(mqtt::EventLevel::warning, "scan_unreadable", why);
    notice("Could not read the code, please scan again", now);
}

void Bridge::on_device(const std::string& name, bool present, Now now) {
    const auto gauge = name + "_present";
    if (counters_.count(gauge) && (counters_[gauge] != 0) == present) return;
    counters_[gauge] = present ? 1 : 0;
    if (!present) count(name + "_lost");
    event(present ? mqtt::EventLevel::info : mqtt::EventLevel::warning,
          present ? name + "_connected" : name + "_missing",
          present ? name + " is connected" : name + " is missing (unplugged?); retrying");
    publish_state(now);
}

std::string Bridge::cancel_order(const std::string& reason) {
    if (!order_ || !session_ || order_->session != session_->id) return reason;
    count("orders_canceled");
    // Durable: the server must hear of the cancel to refund, even across a broker outage.
    outbox_.send(
        topics_.up_payment,
        mqtt::encode(mqtt::PaymentCancel{order_->id, order_->session, cancel_reason(reason)}),
        false);
    event(mqtt::EventLevel::info, "order_canceled",
          "order " + order_->id + " canceled: " + cancel_reason(reason));
    order_.reset();
    return "order_canceled";
}

bool Bridge::refuse_canceled_order(const mqtt::PaymentClaims& claims, Now now) {
    if (journal_.session_close_reason(claims.sid) != "order_canceled") return false;
    count("payments_after_cancel");
    event(mqtt::EventLevel::warning, "payment_after_cancel",
          "payment " + claims.jti + " of " + std::to_string(claims.amount) + " for session " +
              claims.sid + " completed after its order was canceled: not credited; the " +
              "server must refund it (operator review)");
    outbox_.send(topics_.up_credit,
                 mqtt::encode(mqtt::PaymentRejected{claims.jti, "order_canceled",
                                                    "the order was canceled before it completed"}),
                 false);
    publish_state(now);
    return true;
}

bool Bridge::handle_payment_failed(const std::string& payload, Now now) {
    if (mqtt::message_type(payload) != "payment.failed") return false;
    const auto failed = mqtt::decode_payment_failed(payload);
    if (!failed) {
        count("bad_payment_failed");
        event(mqtt::EventLevel::warning, "bad_payment_failed", failed.error.detail);
        return true;
    }
    if (!order_ || order_->id != failed->order || !session_ || session_->id != failed->session) {
        count("payment_failed_unknown_order");
        event(mqtt::EventLevel::info, "payment_failed_unknown_order",
              "payment.failed for order " + failed->order + " that is not pending");
        return true;
    }
    count("payments_failed");
    event(mqtt::EventLevel::info, "payment_failed",
          "order " + failed->order + " failed: " + failed->reason);
    cancel_session("server_failed");
    notice("Payment failed: " + failed->reason, now);
    return true;
}

void Bridge::notice(const std::string& text, Now now) {
    notice_ = text;
    notice_until_ = now.mono + notice_time;
    refresh(now);
    publish_state(now);
}

}  // namespace cashbridge::bridge
