// Bridge: payments in, credits out. A payment is journaled before it is acknowledged or
// pulsed; a payment id the journal knows is acknowledged again and never credited twice.
#include "cashbridge/bridge/bridge.hpp"

namespace cashbridge::bridge {

void Bridge::handle_payment(const std::string& payload, Now now) {
    const auto now_unix = unix_seconds(now.wall);
    auto verdict = mqtt::verify_completion(payload, policy_, now_unix);
    if (const auto* r = std::get_if<mqtt::Rejection>(&verdict)) return reject(*r, now);
    const auto& claims = std::get<mqtt::PaymentClaims>(verdict);

    if (const auto known = journal_.find(claims.jti)) {
        // At-least-once delivery (and the server's re-sends) make duplicates normal:
        // acknowledge again so the server stops, but never credit twice.
        count("payments_duplicate");
        event(mqtt::EventLevel::info, "payment_duplicate",
              "payment " + claims.jti + " already " + std::string(to_string(known->status)));
        outbox_.send(
            topics_.up_credit,
            mqtt::encode(mqtt::PaymentAccepted{claims.jti, claims.sid, known->amount,
                                               known->currency, known->forced, std::nullopt}),
            false);
        publish_state(now);
        return;
    }
    if (refuse_canceled_order(claims, now)) return;
    if (now_unix > claims.exp + policy_.leeway_seconds &&
        claims.iat < now_unix - config_.payment.late_window.count()) {
        return reject(
            {mqtt::Reason::expired,
             "token expired at " + std::to_string(claims.exp) + " and was issued more than " +
                 std::to_string(config_.payment.late_window.count()) + " s ago",
             claims.jti},
            now);
    }
    const auto forced = late_reason(claims, now_unix);
    const bool current = session_ && session_->id == claims.sid;
    std::optional<std::int64_t> remaining;
    if (current && config_.payment.allow_partial && session_->amount &&
        claims.amount < *session_->amount)
        remaining = *session_->amount - claims.amount;

    JournalCredit credit;
    credit.payment = claims.jti;
    credit.session = claims.sid;
    credit.amount = claims.amount;
    credit.currency = claims.currency;
    credit.customer = claims.cid;
    credit.token_exp = claims.exp;
    credit.forced = forced;
    // Durable before anything else: from here a crash resumes this credit, never loses it.
    journal_.accept(credit);
    deliver(credit, claims.amount, now);
    outbox_.send(topics_.up_credit,
                 mqtt::encode(mqtt::PaymentAccepted{claims.jti, claims.sid, claims.amount,
                                                    claims.currency, forced, remaining}),
                 false);
    count("payments_accepted");
    if (forced) {
        count("credits_forced");
        event(mqtt::EventLevel::warning, "payment_forced",
              "payment " + claims.jti + " credited although " + *forced + " (session " +
                  claims.sid + ")");
    }
    if (session_) {
        journal_.session_closed(session_->id, current ? "paid" : "superseded");
        if (!current)
            bus_.publish(topics_.up_session,
                         mqtt::encode(mqtt::SessionCancel{session_->id, "superseded"}), false);
        session_.reset();
    }
    paid_payment_ = claims.jti;
    paid_remaining_ = remaining;
    paid_until_.reset();
    event(mqtt::EventLevel::info, "payment_accepted",
          "payment " + claims.jti + ": " +
              display::format_amount(claims.amount, claims.currency,
                                     config_.payment.currency_exponent) +
              (remaining ? ", " + std::to_string(*remaining) + " still due in coins" : ""));
    refresh(now);
    publish_state(now);
}

/// Why a valid completion is late, if it is: it is credited all the same (the money was
/// taken) but flagged, so operators can audit it.
std::optional<std::string> Bridge::late_reason(const mqtt::PaymentClaims& claims,
                                               std::int64_t now_unix) {
    if (now_unix > claims.exp + policy_.leeway_seconds) return "token_expired";
    if (session_ && session_->id == claims.sid) return std::nullopt;
    const auto closed = journal_.session_close_reason(claims.sid);
    if (!closed) return "unknown_session";
    if (*closed == "expired") return "session_expired";
    if (*closed == "coin_return") return "session_canceled";
    return "session_rotated";
}

void Bridge::reject(const mqtt::Rejection& r, Now now) {
    const auto reason = std::string(mqtt::to_string(r.reason));
    count("payments_rejected");
    count("rejected_" + reason);
    event(mqtt::EventLevel::warning, "payment_rejected", reason + ": " + r.detail);
    outbox_.send(topics_.up_credit, mqtt::encode(mqtt::to_message(r)), false);
    publish_state(now);
}

void Bridge::deliver(const JournalCredit& credit, std::int64_t amount, Now now) {
    active_.add({credit.payment, credit.amount, credit.token_exp, now.mono, false});
    auto plan = plan_pulses(amount, config_.acceptor);
    for (auto& p : plan) p.index += credit.next_pulse;
    player_.enqueue({credit.payment, std::move(plan)});
}

void Bridge::on_pulse_report(const PulseReport& report, Now now) {
    ActiveCredit* credit = active_.find(report.credit_id);
    if (!credit) {
        log_.error("bridge", "pulse report for unknown payment " + report.credit_id);
        return;
    }
    last_progress_ = now.mono;  // the queue moves: credits waiting behind are not stuck
    if (!report.finished) return;
    count("pulses_sent", static_cast<std::int64_t>(report.pulses_done));
    count("amount_credited", report.value_done);
    if (report.pulses_uncertain > 0) report_uncertain(*credit, report);
    const auto payment = credit->payment;
    finish_credit(*credit, report, now);
    active_.remove(payment);
    if (paid_payment_ == payment) {
        const auto record = journal_.find(payment);
        if (record && record->status == CreditStatus::delivered)
            paid_until_ = now.mono + config_.payment.paid_screen;
        else
            paid_payment_.reset();
    }
    if (!report.error.empty()) on_fault(report.error, now);
    refresh(now);
    publish_state(now);
}

void Bridge::report_uncertain(const ActiveCredit& credit, const PulseReport& report) {
    count("ambiguous_pulses", static_cast<std::int64_t>(report.pulses_uncertain));
    count("ambiguous_value", report.value_uncertain);
    // Never pulsed again: the machine may have counted them.
    outbox_.send_durable(
        topics_.up_credit,
        mqtt::encode(mqtt::CreditAmbiguous{credit.payment, report.value_uncertain,
                                           static_cast<std::int64_t>(report.pulses_uncertain)}));
    event(mqtt::EventLevel::warning, "credit_ambiguous",
          "payment " + credit.payment + ": " + std::to_string(report.pulses_uncertain) +
              " pulse(s) worth " + std::to_string(report.value_uncertain) +
              " may be out of the width tolerance (pulse thread delayed)");
}

void Bridge::finish_credit(ActiveCredit& active, const PulseReport& report, Now now) {
    const auto record = journal_.find(active.payment);
    if (!record) throw JournalError("payment " + active.payment + " vanished from the journal");
    const auto owed = record->amount - record->delivered - record->ambiguous;
    if (report.error.empty() && !report.cancelled && owed == 0) {
        auto forced = record->forced;
        if (!forced && unix_seconds(now.wall) > record->token_exp + policy_.leeway_seconds) {
            // Held (inhibited, power cut) past the token's expiry: still owed, but flagged.
            forced = "held_past_expiry";
            journal_.set_forced(record->payment, *forced);
            count("credits_forced");
        }
        // The status and its report in one transaction: a crash between them left a credit
        // delivered in the journal that the server never heard of (the fault test saw it).
        const auto payload = mqtt::encode(mqtt::CreditDelivered{
            record->payment, record->amount,
            static_cast<std::int64_t>(report.pulses_done + report.pulses_uncertain),
            record->ambiguous, forced});
        outbox_.send_stored(journal_.finish_and_report(record->payment, CreditStatus::delivered, "",
                                                       topics_.up_credit, payload),
                            topics_.up_credit, payload);
        count("credits_delivered");
        event(mqtt::EventLevel::info, "credit_delivered",
              "payment " + record->payment + ": " + std::to_string(report.pulses_done) + " pulses");
        return;
    }
    const std::string reason = report.error.empty() ? "delivery_timeout" : "line_fault";
    // The server refunds `owed`: what the machine certainly never saw.
    const auto payload = mqtt::encode(
        mqtt::CreditFailed{record->payment, record->amount, record->delivered, owed, reason});
    outbox_.send_stored(
        journal_.finish_and_report(record->payment, CreditStatus::failed,
                                   reason + (report.error.empty() ? "" : ": " + report.error),
                                   topics_.up_credit, payload),
        topics_.up_credit, payload);
    count("credits_failed");
    event(mqtt::EventLevel::error, "credit_failed",
          "payment " + record->payment + ": delivered " + std::to_string(record->delivered) +
              " of " + std::to_string(record->amount) + " (" + reason + ")" +
              (report.error.empty() ? "" : ": " + report.error));
}

void Bridge::resume_unfinished(Now now) {
    for (const auto& unfinished : journal_.unfinished()) {
        const auto ambiguous = journal_.settle_ambiguous(unfinished.payment);
        if (!ambiguous.empty()) {
            std::int64_t value = 0;
            for (const auto& p : ambiguous) value += p.value;
            count("ambiguous_pulses", static_cast<std::int64_t>(ambiguous.size()));
            count("ambiguous_value", value);
            // Never pulsed again: the machine may already have counted it.
            outbox_.send_durable(
                topics_.up_credit,
                mqtt::encode(mqtt::CreditAmbiguous{unfinished.payment, value,
                                                   static_cast<std::int64_t>(ambiguous.size())}));
            event(mqtt::EventLevel::warning, "credit_ambiguous",
                  "payment " + unfinished.payment + ": " + std::to_string(ambiguous.size()) +
                      " pulse(s) worth " + std::to_string(value) + " were cut by a restart");
        }
        const auto credit = *journal_.find(unfinished.payment);
        const auto remaining = credit.amount - credit.delivered - credit.ambiguous;
        count("credits_resumed");
        event(mqtt::EventLevel::info, "credit_resumed",
              "payment " + credit.payment + ": " + std::to_string(remaining) + " of " +
                  std::to_string(credit.amount) + " still to deliver");
        if (remaining > 0) {
            deliver(credit, remaining, now);
        } else {
            active_.add({credit.payment, credit.amount, credit.token_exp, now.mono, false});
            PulseReport done;
            done.credit_id = credit.payment;
            done.finished = true;
            finish_credit(*active_.find(credit.payment), done, now);
            active_.remove(credit.payment);
        }
    }
}

}  // namespace cashbridge::bridge
