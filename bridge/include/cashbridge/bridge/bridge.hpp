/// @file bridge.hpp
/// The bridge's core: sessions on screen, completions checked, credits journaled and
/// played as pulses, everything reported on MQTT. It reacts to events handed to it by the
/// event loop and never blocks on the network, so it is unit-tested with a recording bus,
/// a recording display, the fake board and a real journal in a temporary file.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cashbridge/bridge/cash_in.hpp"
#include "cashbridge/bridge/config.hpp"
#include "cashbridge/bridge/journal.hpp"
#include "cashbridge/bridge/logger.hpp"
#include "cashbridge/bridge/outbox.hpp"
#include "cashbridge/bridge/payment_ledger.hpp"
#include "cashbridge/bridge/price_feed.hpp"
#include "cashbridge/bridge/pulse_player.hpp"
#include "cashbridge/bridge/session.hpp"
#include "cashbridge/display/display.hpp"
#include "cashbridge/mqtt/bus.hpp"
#include "cashbridge/mqtt/contract.hpp"

namespace cashbridge::bridge {

/// "Now" on both clocks: monotonic for timeouts, wall clock for token times and expiries.
struct Now {
    hal::TimePoint mono;
    WallTime wall;
};

class Bridge {
  public:
    Bridge(const Config& config, mqtt::MessageBus& bus, display::Display& display,
           PulsePlayer& player, Journal& journal, Logger& log);

    /// Finishes what the journal says is unfinished (ambiguous pulses reported, the rest
    /// delivered) and restores the open session, then shows the first screen.
    void start(Now now);
    void on_bus_event(const mqtt::BusEvent& event, Now now);
    void on_pulse_report(const PulseReport& report, Now now);
    /// The machine's INHIBIT input changed (true: machine not ready for credit).
    void on_inhibit(bool inhibited, Now now);
    /// A cash sale seen on the acceptor's own outputs (or a pulse it could not count):
    /// counted in the state and reported as an event.
    void on_cash_in(const CashIn& cash, Now now);
    /// The customer pressed the machine's coin-return button: the open session is canceled
    /// (`session.cancel`, reason `coin_return`) and a fresh one offered.
    void on_coin_return(Now now);
    /// A line or device failed: show fault, stop offering sessions.
    void on_fault(const std::string& what, Now now);
    /// Periodic work: session rotation, delivery timeouts, the paid screen, state reports.
    void tick(Now now);
    /// Orderly stop: cancels the session, reports offline.
    void stop(Now now);
    // bridge_serial.cpp: the price feed and the code scanner.
    /// An update from the price feed: an amount opens a session for it, cancel closes it.
    void on_price(const PriceUpdate& update, Now now);
    /// A code read by the scanner: classified, then sent to the server as payment.scan.
    void on_scan(const std::string& code, Now now);
    /// The scanner sent something that is no code (too long, keys with no character,
    /// events lost): counted and reported with `why`, the customer asked to scan again.
    void on_scan_unreadable(const std::string& why, Now now);
    /// A serial device went away (USB unplugged) or came back; shown in the state report.
    void on_device(const std::string& name, bool present, Now now);

    const std::map<std::string, std::int64_t>& counters() const { return counters_; }
    const std::optional<Session>& session() const { return session_; }

  private:
    // bridge_credit.cpp
    void handle_payment(const std::string& payload, Now now);
    std::optional<std::string> late_reason(const mqtt::PaymentClaims& claims,
                                           std::int64_t now_unix);
    void reject(const mqtt::Rejection& r, Now now);
    void deliver(const JournalCredit& credit, std::int64_t amount, Now now);
    void finish_credit(ActiveCredit& credit, const PulseReport& report, Now now);
    void report_uncertain(const ActiveCredit& credit, const PulseReport& report);
    void resume_unfinished(Now now);
    // bridge_serial.cpp
    bool refuse_canceled_order(const mqtt::PaymentClaims& claims, Now now);
    bool handle_payment_failed(const std::string& payload, Now now);
    std::string cancel_order(const std::string& reason);
    void notice(const std::string& text, Now now);
    // bridge_screen.cpp
    void refresh(Now now);  // opens/cancels sessions and redraws after any change
    void open_session(Now now);
    void cancel_session(const std::string& reason);
    void restore_sessions(Now now);
    void publish_state(Now now);
    void event(mqtt::EventLevel level, const std::string& name, const std::string& detail);
    void count(const std::string& name, std::int64_t n = 1) { counters_[name] += n; }
    mqtt::MachineState machine_state() const;
    static std::int64_t unix_seconds(WallTime t);

    const Config& config_;
    mqtt::MessageBus& bus_;
    display::Display& display_;
    PulsePlayer& player_;
    Journal& journal_;
    Logger& log_;
    Outbox outbox_;
    mqtt::Topics topics_;
    mqtt::VerifierPolicy policy_;
    SessionFactory sessions_;
    PaymentLedger active_;  // credits being delivered in this run
    std::map<std::string, std::int64_t> counters_;

    std::optional<Session> session_;
    std::vector<std::string> to_query_;  // sessions to ask the server about on connect
    bool connected_ = false;
    bool inhibited_ = false;
    bool stopping_ = false;
    std::string fault_;
    /// Set while a paid screen is up: until credit is delivered and paid_screen has passed.
    std::optional<std::string> paid_payment_;
    std::optional<std::int64_t> paid_remaining_;
    std::optional<hal::TimePoint> paid_until_;
    std::optional<display::Screen> shown_;
    hal::TimePoint next_state_report_{};
    hal::TimePoint last_progress_{};  // when the pulse player last finished a pulse
    // Price feed and scanner (bridge_serial.cpp).
    std::optional<std::int64_t> external_price_;  // price mode external: the amount due
    struct Order {
        std::string id;
        std::string session;
    };
    std::optional<Order> order_;  // a scanned code being charged
    int scans_in_session_ = 0;
    std::string notice_;  // shown under the QR until notice_until_
    hal::TimePoint notice_until_{};
};

}  // namespace cashbridge::bridge
