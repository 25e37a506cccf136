// Bridge: the daemon's decisions. Every input arrives as a call from the event loop; every
// output is a publish, a display update or a pulse job.
#include "cashbridge/bridge/bridge.hpp"

namespace cashbridge::bridge {

namespace {
constexpr std::string_view tag = "bridge";
}

Bridge::Bridge(const Config& config, mqtt::MessageBus& bus, display::Display& display,
               PulsePlayer& player, Logger& log)
    : config_(config),
      bus_(bus),
      display_(display),
      player_(player),
      log_(log),
      topics_(config.machine_id),
      sessions_(config) {
    policy_.machine_id = config.machine_id;
    policy_.key = config.payment.key;
    policy_.currency = config.payment.currency;
    policy_.max_amount = config.payment.max_amount;
    policy_.unit = config.acceptor.unit();
    policy_.leeway_seconds = config.payment.clock_leeway.count();
}

std::int64_t Bridge::unix_seconds(WallTime t) const {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

void Bridge::start(Now now) {
    log_.info(tag, "machine " + config_.machine_id + " starting; topics under " + topics_.root);
    refresh(now);
    publish_state(now);
}

void Bridge::on_bus_event(const mqtt::BusEvent& ev, Now now) {
    if (const auto* m = std::get_if<mqtt::Message>(&ev)) {
        if (m->topic == topics_.down_payment) {
            handle_payment(m->payload, now);
        } else {
            count("unknown_topic");
            event(mqtt::EventLevel::warning, "unknown_topic", "ignored a message on " + m->topic);
        }
        return;
    }
    if (std::holds_alternative<mqtt::Connected>(ev)) {
        connected_ = true;
        count("mqtt_connects");
        bus_.publish(topics_.availability, std::string(mqtt::availability_online), true);
        event(mqtt::EventLevel::info, "broker_connected", config_.mqtt.broker);
        // A completion published while we were away is queued by the broker for our
        // persistent session; the query asks the server to resend one it may hold back.
        if (session_)
            bus_.publish(topics_.up_session, mqtt::encode(mqtt::SessionQuery{session_->id}), false);
    } else {
        connected_ = false;
        count("mqtt_disconnects");
        log_.warn(tag, "broker connection lost: " + std::get<mqtt::Disconnected>(ev).cause);
    }
    refresh(now);
    publish_state(now);
}

void Bridge::handle_payment(const std::string& payload, Now now) {
    auto verdict = mqtt::verify_completion(payload, policy_, unix_seconds(now.wall));
    if (const auto* r = std::get_if<mqtt::Rejection>(&verdict)) return reject(*r, now);
    const auto& claims = std::get<mqtt::PaymentClaims>(verdict);
    const mqtt::PaymentAccepted ack{claims.jti, claims.sid, claims.amount, claims.currency};

    if (ledger_.find(claims.jti)) {
        // At-least-once delivery means duplicates are normal: acknowledge again so the
        // server stops resending, but never credit twice.
        count("payments_duplicate");
        event(mqtt::EventLevel::info, "payment_duplicate",
              "payment " + claims.jti + " already accepted");
        bus_.publish(topics_.up_credit, mqtt::encode(ack), false);
        publish_state(now);
        return;
    }
    ledger_.accept(
        {claims.jti, claims.sid, claims.amount, 0, 0, CreditStatus::delivering, now.mono, false});
    player_.enqueue({claims.jti, plan_pulses(claims.amount, config_.acceptor)});
    bus_.publish(topics_.up_credit, mqtt::encode(ack), false);
    count("payments_accepted");

    const bool current = session_ && session_->id == claims.sid;
    if (!current) {
        // The server took the money; the credit is owed even if the QR has since rotated.
        count("payments_other_session");
        event(mqtt::EventLevel::warning, "payment_for_other_session",
              "payment " + claims.jti + " names session " + claims.sid + ", crediting it anyway");
        if (session_) cancel_session("superseded");
    }
    session_.reset();
    paid_payment_ = claims.jti;
    paid_until_.reset();
    event(mqtt::EventLevel::info, "payment_accepted",
          "payment " + claims.jti + ": " +
              display::format_amount(claims.amount, claims.currency,
                                     config_.payment.currency_exponent));
    refresh(now);
    publish_state(now);
}

void Bridge::reject(const mqtt::Rejection& r, Now now) {
    const auto reason = std::string(mqtt::to_string(r.reason));
    count("payments_rejected");
    count("rejected_" + reason);
    event(mqtt::EventLevel::warning, "payment_rejected", reason + ": " + r.detail);
    bus_.publish(topics_.up_credit, mqtt::encode(mqtt::to_message(r)), false);
    publish_state(now);
}

void Bridge::on_pulse_report(const PulseReport& report, Now now) {
    Credit* credit = ledger_.find(report.credit_id);
    if (!credit) {
        log_.error(tag, "pulse report for unknown payment " + report.credit_id);
        return;
    }
    credit->delivered = report.value_done;
    credit->pulses = report.pulses_done;
    if (!report.finished) return;
    count("pulses_sent", static_cast<std::int64_t>(report.pulses_done));
    count("amount_credited", report.value_done);
    finish_credit(*credit, report);
    if (paid_payment_ == credit->payment) {
        if (credit->status == CreditStatus::delivered)
            paid_until_ = now.mono + config_.payment.paid_screen;
        else
            paid_payment_.reset();
    }
    if (!report.error.empty()) on_fault(report.error, now);
    refresh(now);
    publish_state(now);
}

void Bridge::finish_credit(Credit& credit, const PulseReport& report) {
    if (report.error.empty() && !report.cancelled && report.value_done == credit.amount) {
        credit.status = CreditStatus::delivered;
        count("credits_delivered");
        bus_.publish(
            topics_.up_credit,
            mqtt::encode(mqtt::CreditDelivered{credit.payment, credit.amount,
                                               static_cast<std::int64_t>(report.pulses_done)}),
            false);
        event(mqtt::EventLevel::info, "credit_delivered",
              "payment " + credit.payment + ": " + std::to_string(report.pulses_done) + " pulses");
        return;
    }
    credit.status = CreditStatus::failed;
    count("credits_failed");
    const std::string reason = report.error.empty() ? "delivery_timeout" : "line_fault";
    // The server refunds `owed`: the part the machine never saw.
    bus_.publish(topics_.up_credit,
                 mqtt::encode(mqtt::CreditFailed{credit.payment, credit.amount, report.value_done,
                                                 credit.amount - report.value_done, reason}),
                 false);
    event(mqtt::EventLevel::error, "credit_failed",
          "payment " + credit.payment + ": delivered " + std::to_string(report.value_done) +
              " of " + std::to_string(credit.amount) + " (" + reason + ")" +
              (report.error.empty() ? "" : ": " + report.error));
}

void Bridge::on_inhibit(bool inhibited, Now now) {
    if (inhibited == inhibited_) return;
    inhibited_ = inhibited;
    player_.set_hold(inhibited);
    event(mqtt::EventLevel::info, inhibited ? "machine_inhibited" : "machine_ready",
          inhibited ? "INHIBIT active: sessions closed, crediting held" : "INHIBIT released");
    refresh(now);
    publish_state(now);
}

void Bridge::on_fault(const std::string& what, Now now) {
    fault_ = what;
    event(mqtt::EventLevel::error, "fault", what);
    refresh(now);
    publish_state(now);
}

void Bridge::tick(Now now) {
    ledger_.for_each_open([&](Credit& c) {
        if (c.cancel_requested || now.mono - c.accepted_at < config_.acceptor.delivery_timeout)
            return;
        c.cancel_requested = true;
        log_.warn(tag, "payment " + c.payment + " not delivered within " +
                           std::to_string(config_.acceptor.delivery_timeout.count()) +
                           " s: stopping");
        player_.cancel(c.payment);
    });
    if (paid_until_ && now.mono >= *paid_until_) {
        paid_payment_.reset();
        paid_until_.reset();
        refresh(now);
    }
    if (session_ && now.wall >= session_->expires) {
        count("sessions_rotated");
        cancel_session("expired");
        refresh(now);
    }
    if (now.mono >= next_state_report_) publish_state(now);
}

void Bridge::stop(Now now) {
    if (session_) cancel_session("shutdown");
    connected_ = false;
    stopping_ = true;
    refresh(now);
    bus_.publish(topics_.availability, std::string(mqtt::availability_offline), true);
}

}  // namespace cashbridge::bridge
