/// @file outbox.hpp
/// What the bridge reports over MQTT, made to survive broker outages and restarts: credit
/// reports stay in the journal until the broker acknowledges them, and anything produced
/// while the broker is away waits there, to go out in order on reconnect.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "cashbridge/bridge/journal.hpp"
#include "cashbridge/mqtt/bus.hpp"

namespace cashbridge::bridge {

class Outbox {
  public:
    Outbox(Journal& journal, mqtt::MessageBus& bus) : journal_(journal), bus_(bus) {}

    /// Kept durably until the broker acknowledges it (credit reports: a refund depends on them).
    void send_durable(const std::string& topic, const std::string& payload);
    /// Publishes a report the journal already holds as outbox `row` (written in the same
    /// transaction as the state it reports, Journal::finish_and_report).
    void send_stored(std::int64_t row, const std::string& topic, const std::string& payload);
    /// Published at once while connected (Paho delivers it unless we crash meanwhile);
    /// kept durably only while the broker is away (events, acknowledgements that the
    /// payment server re-requests anyway).
    void send(const std::string& topic, const std::string& payload, bool is_event);

    /// Re-sends everything still waiting, oldest first.
    void on_connected();
    void on_disconnected();
    void on_delivered(std::uint64_t id);

    std::int64_t size() { return journal_.outbox_size(); }

  private:
    void publish_row(std::int64_t row, const std::string& topic, const std::string& payload);

    Journal& journal_;
    mqtt::MessageBus& bus_;
    bool connected_ = false;
    std::map<std::uint64_t, std::int64_t> in_flight_;  // bus message id -> outbox row
};

}  // namespace cashbridge::bridge
