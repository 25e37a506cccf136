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
    const bool can_offer = connected_ && !inhibited_ && fault_.empty() && !paid_payment_ && !stopping_;
    // While the broker is away the session stays: a customer who already scanned can still
    // pay, and the broker queues the completion for us.
    if (session_ && (inhibited_ || !fault_.empty()))
        cancel_session(inhibited_ ? "inhibited" : "fault");
    if (can_offer && !session_) open_session(now);

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
            if (const Credit* c = ledger_.find(*paid_payment_)) s.amount_minor = c->amount;
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
            }
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
    session_ = sessions_.open(now.wall);
    count("sessions_opened");
    bus_.publish(
        topics_.up_session,
        mqtt::encode(mqtt::SessionOpen{session_->id, session_->amount, config_.payment.currency,
                                       unix_seconds(session_->expires), session_->qr_content}),
        false);
    log_.info("session", "opened " + session_->id + ": " + session_->qr_content);
}

void Bridge::cancel_session(const std::string& reason) {
    if (!session_) return;
    bus_.publish(topics_.up_session, mqtt::encode(mqtt::SessionCancel{session_->id, reason}),
                 false);
    log_.info("session", "closed " + session_->id + " (" + reason + ")");
    session_.reset();
}

void Bridge::publish_state(Now now) {
    mqtt::StateReport r;
    r.state = machine_state();
    if (session_) r.session = session_->id;
    r.inhibit = inhibited_;
    r.counters = counters_;
    r.counters["credits_open"] = static_cast<std::int64_t>(ledger_.open_count());
    r.version = CASHBRIDGE_VERSION;
    bus_.publish(topics_.state, mqtt::encode(r), true);
    next_state_report_ = now.mono + config_.mqtt.state_interval;
}

void Bridge::event(mqtt::EventLevel level, const std::string& name, const std::string& detail) {
    const auto lvl = level == mqtt::EventLevel::error     ? LogLevel::error
                     : level == mqtt::EventLevel::warning ? LogLevel::warn
                                                          : LogLevel::info;
    log_.log(lvl, "event", name + ": " + detail);
    const auto ts = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    bus_.publish(topics_.events, mqtt::encode(mqtt::Event{level, name, detail, ts}), false);
}

}  // namespace cashbridge::bridge
