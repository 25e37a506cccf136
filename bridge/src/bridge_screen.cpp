// Bridge: what follows from the current conditions: the session on offer, the screen and
// the retained state report.
#include "cashbridge/bridge/bridge.hpp"

namespace cashbridge::bridge {

mqtt::MachineState Bridge::machine_state() const {
    if (!fault_.empty()) return mqtt::MachineState::fault;
    if (paid_payment_) return mqtt::MachineState::paid;
    if (inhibited_ || !connected_) return mqtt::MachineState::unavailable;
    return mqtt::MachineState::ready;
}

void Bridge::refresh(Now now) {
    const bool can_offer =
        connected_ && !inhibited_ && fault_.empty() && !paid_payment_ && !stopping_;
    // While the broker is away the session stays: a customer who already scanned can still
    // pay, and the broker queues the completion for us.
    if (session_ && (inhibited_ || !fault_.empty()))
        cancel_session(inhibited_ ? "inhibited" : "fault");
    const bool has_price = config_.payment.price_mode != PriceMode::external || external_price_;
    if (can_offer && !session_ && has_price) open_session(now);

    display::Screen s;
    s.currency = config_.payment.currency;
    s.currency_exponent = config_.payment.currency_exponent;
    s.machine_name = config_.machine_name;
    switch (machine_state()) {
        case mqtt::MachineState::fault:
            s.state = display::ScreenState::fault;
            s.reason = fault_;
            break;
        case mqtt::MachineState::paid:
            s.state = display::ScreenState::paid;
            if (const auto c = journal_.find(*paid_payment_)) s.amount_minor = c->amount;
            s.remaining_minor = paid_remaining_;
            break;
        case mqtt::MachineState::unavailable:
            s.state = display::ScreenState::unavailable;
            s.reason = stopping_    ? "Out of service"
                       : inhibited_ ? "Machine not ready"
                                    : "Payment network offline";
            break;
        case mqtt::MachineState::ready:
            s.state = display::ScreenState::ready;
            if (session_) {
                s.qr_content = session_->qr_content;
                s.amount_minor = session_->amount;
            } else if (!has_price) {
                s.reason = "Waiting for the amount";
            }
            if (!notice_.empty()) s.reason = notice_;
            break;
    }
    if (shown_ == s) return;
    try {
        display_.show(s);
        shown_ = s;
    } catch (const std::exception& e) {
        // A broken screen must not stop crediting: report it and try again next change.
        count("display_errors");
        log_.error("display", e.what());
    }
}

void Bridge::open_session(Now now) {
    session_ = sessions_.open(now.wall, external_price_);
    scans_in_session_ = 0;
    // Journaled so that after a restart the daemon can ask the server whether it was paid.
    journal_.session_opened(
        {session_->id, session_->amount, unix_seconds(session_->expires), session_->qr_content});
    count("sessions_opened");
    bus_.publish(
        topics_.up_session,
        mqtt::encode(mqtt::SessionOpen{session_->id, session_->amount, config_.payment.currency,
                                       unix_seconds(session_->expires), session_->qr_content}),
        false);
    bus_.publish(topics_.up_session, mqtt::encode(mqtt::SessionQuery{session_->id}), false);
    log_.info("session", "opened " + session_->id + ": " + session_->qr_content);
}

void Bridge::cancel_session(const std::string& reason) {
    if (!session_) return;
    // A session whose scanned order is given up is closed as "order_canceled", which the
    // journal keeps: a completion arriving later is then refused, even after a restart.
    journal_.session_closed(session_->id, cancel_order(reason));
    bus_.publish(topics_.up_session, mqtt::encode(mqtt::SessionCancel{session_->id, reason}),
                 false);
    log_.info("session", "closed " + session_->id + " (" + reason + ")");
    session_.reset();
}

void Bridge::restore_sessions(Now now) {
    // The newest session still within its lifetime stays on screen: a customer may be
    // paying it right now. Every open one is asked about once the broker answers.
    const auto open = journal_.open_sessions();
    for (std::size_t i = 0; i < open.size(); ++i) {
        const auto& s = open[i];
        to_query_.push_back(s.id);
        const bool newest = i + 1 == open.size();
        if (newest && s.expires > unix_seconds(now.wall)) {
            session_ = Session{s.id, s.amount, WallTime(std::chrono::seconds(s.expires)), s.qr};
            log_.info("session", "restored " + s.id);
        } else {
            journal_.session_closed(s.id,
                                    s.expires > unix_seconds(now.wall) ? "restart" : "expired");
        }
    }
}

void Bridge::publish_state(Now now) {
    mqtt::StateReport r;
    r.state = machine_state();
    if (session_) r.session = session_->id;
    r.inhibit = inhibited_;
    r.counters = counters_;
    r.counters["credits_open"] = static_cast<std::int64_t>(active_.size());
    r.counters["outbox_dropped"] = journal_.outbox_dropped();
    r.outbox = outbox_.size();
    r.version = CASHBRIDGE_VERSION;
    bus_.publish(topics_.state, mqtt::encode(r), true);
    next_state_report_ = now.mono + config_.mqtt.state_interval;
}

void Bridge::event(mqtt::EventLevel level, const std::string& name, const std::string& detail) {
    const auto lvl = level == mqtt::EventLevel::error     ? LogLevel::error
                     : level == mqtt::EventLevel::warning ? LogLevel::warn
                                                          : LogLevel::info;
    log_.log(lvl, "event", name + ": " + detail);
    const auto ts = unix_seconds(std::chrono::system_clock::now());
    outbox_.send(topics_.events, mqtt::encode(mqtt::Event{level, name, detail, ts}), true);
}

}  // namespace cashbridge::bridge
