// Bridge: the daemon's decisions on connection, inhibit, fault and timer events. Payments
// and credits: bridge_credit.cpp; sessions, screen and state: bridge_screen.cpp.
#include "cashbridge/bridge/bridge.hpp"

#include <algorithm>

namespace cashbridge::bridge {

namespace {
constexpr std::string_view tag = "bridge";
}

Bridge::Bridge(const Config& config, mqtt::MessageBus& bus, display::Display& display,
               PulsePlayer& player, Journal& journal, Logger& log)
    : config_(config),
      bus_(bus),
      display_(display),
      player_(player),
      journal_(journal),
      log_(log),
      outbox_(journal, bus),
      topics_(config.machine_id),
      sessions_(config) {
    policy_.machine_id = config.machine_id;
    policy_.key = config.payment.key;
    policy_.currency = config.payment.currency;
    policy_.max_amount = config.payment.max_amount;
    policy_.unit = config.acceptor.unit();
    policy_.leeway_seconds = config.payment.clock_leeway.count();
    // Expiry is judged here, with the journal: a known payment is re-acknowledged however
    // old its token, and a recent unseen one is credited as forced (handle_payment).
    policy_.enforce_expiry = false;
}

std::int64_t Bridge::unix_seconds(WallTime t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

void Bridge::start(Now now) {
    log_.info(tag, "machine " + config_.machine_id + " starting; topics under " + topics_.root);
    resume_unfinished(now);
    restore_sessions(now);
    refresh(now);
    publish_state(now);
}

void Bridge::on_bus_event(const mqtt::BusEvent& ev, Now now) {
    if (const auto* m = std::get_if<mqtt::Message>(&ev)) {
        if (m->topic == topics_.down_payment) {
            if (!handle_payment_failed(m->payload, now)) handle_payment(m->payload, now);
        } else {
            count("unknown_topic");
            event(mqtt::EventLevel::warning, "unknown_topic", "ignored a message on " + m->topic);
        }
        return;
    }
    if (const auto* d = std::get_if<mqtt::Delivered>(&ev)) {
        outbox_.on_delivered(d->id);
        return;
    }
    if (std::holds_alternative<mqtt::Connected>(ev)) {
        connected_ = true;
        count("mqtt_connects");
        bus_.publish(topics_.availability, std::string(mqtt::availability_online), true);
        outbox_.on_connected();
        event(mqtt::EventLevel::info, "broker_connected", config_.mqtt.broker);
        // A completion published while we were away is queued by the broker for our
        // persistent session; the query asks the server for one the broker may have lost.
        if (session_ &&
            std::find(to_query_.begin(), to_query_.end(), session_->id) == to_query_.end())
            to_query_.push_back(session_->id);
        for (const auto& id : to_query_)
            bus_.publish(topics_.up_session, mqtt::encode(mqtt::SessionQuery{id}), false);
        to_query_.clear();
    } else if (const auto* lost = std::get_if<mqtt::Disconnected>(&ev)) {
        connected_ = false;
        outbox_.on_disconnected();
        count("mqtt_disconnects");
        log_.warn(tag, "broker connection lost: " + lost->cause);
    }
    refresh(now);
    publish_state(now);
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

void Bridge::on_coin_return(Now now) {
    count("coin_returns");
    if (!session_) {
        // Paid screen, inhibited or offline: there is nothing to cancel, and a credit in
        // progress is never stopped by it (that money was taken).
        event(mqtt::EventLevel::info, "coin_return", "pressed with no open session");
        return;
    }
    event(mqtt::EventLevel::info, "coin_return", "session " + session_->id + " canceled");
    cancel_session("coin_return");
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
    active_.for_each([&](ActiveCredit& c) {
        // Stuck means no pulse for the whole timeout: a credit queued behind others that are
        // being paid out is waiting, not stuck.
        const auto since = std::max(c.started_at, last_progress_);
        if (c.cancel_requested || now.mono - since < config_.acceptor.delivery_timeout) return;
        c.cancel_requested = true;
        log_.warn(tag, "payment " + c.payment + " not delivered within " +
                           std::to_string(config_.acceptor.delivery_timeout.count()) +
                           " s: stopping");
        player_.cancel(c.payment);
    });
    if (!notice_.empty() && now.mono >= notice_until_) {
        notice_.clear();
        refresh(now);
    }
    if (paid_until_ && now.mono >= *paid_until_) {
        paid_payment_.reset();
        paid_remaining_.reset();
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
