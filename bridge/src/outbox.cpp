// Outbox: journal rows out to the broker, deleted when the broker confirms them.
#include "cashbridge/bridge/outbox.hpp"

namespace cashbridge::bridge {

void Outbox::publish_row(std::int64_t row, const std::string& topic, const std::string& payload) {
    if (const auto id = bus_.publish(topic, payload, false)) in_flight_[id] = row;
}

void Outbox::send_durable(const std::string& topic, const std::string& payload) {
    send_stored(journal_.outbox_push(topic, payload, false, false), topic, payload);
}

void Outbox::send_stored(std::int64_t row, const std::string& topic, const std::string& payload) {
    if (connected_) publish_row(row, topic, payload);
}

void Outbox::send(const std::string& topic, const std::string& payload, bool is_event) {
    if (connected_)
        bus_.publish(topic, payload, false);
    else
        journal_.outbox_push(topic, payload, false, is_event);
}

void Outbox::on_connected() {
    connected_ = true;
    in_flight_.clear();
    for (const auto& row : journal_.outbox_rows()) publish_row(row.id, row.topic, row.payload);
}

void Outbox::on_disconnected() {
    // Unconfirmed rows stay in the journal and go again on reconnect: at least once.
    connected_ = false;
    in_flight_.clear();
}

void Outbox::on_delivered(std::uint64_t id) {
    auto it = in_flight_.find(id);
    if (it == in_flight_.end()) return;
    journal_.outbox_delete(it->second);
    in_flight_.erase(it);
}

}  // namespace cashbridge::bridge
