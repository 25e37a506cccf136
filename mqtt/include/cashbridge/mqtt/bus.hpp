/// @file bus.hpp
/// The message bus the bridge depends on: publish, and a pollable queue of incoming events.
/// Keeps Paho (and its threads) out of the bridge so it can be tested with a fake.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace cashbridge::mqtt {

/// A message received on a subscribed topic.
struct Message {
    std::string topic;
    std::string payload;
    bool retained = false;  ///< delivered from the broker's retained store
};

/// The bus (re)connected to the broker. With a persistent session, `session_present` tells
/// whether the broker kept subscriptions and queued QoS 1 messages (false when unknown).
struct Connected {
    bool session_present = false;
};

/// The connection was lost; the bus keeps reconnecting on its own.
struct Disconnected {
    std::string cause;
};

/// The broker acknowledged (PUBACK, QoS 1) the message that publish() returned `id` for.
/// Reported at most once per id. Messages buffered while disconnected are confirmed when they
/// are acknowledged after a reconnect. A message that is dropped (buffer overflow, bus
/// closed, publish refused) never gets one: a durable outbox re-sends anything unconfirmed.
/// Without a persistent session a confirmation can also be lost with the connection; treat
/// Delivered as "definitely delivered", never its absence as "definitely not".
struct Delivered {
    std::uint64_t id = 0;
};

using BusEvent = std::variant<Message, Connected, Disconnected, Delivered>;

class MessageBus {
  public:
    virtual ~MessageBus() = default;

    /// Publishes at QoS 1. Never blocks and never throws because the broker is down: messages
    /// are buffered while disconnected (up to a bound, oldest dropped first) and sent on
    /// reconnect. Returns a non-zero id, unique within this bus's lifetime (also for
    /// messages that end up dropped); a Delivered{id} event follows once the broker has
    /// acknowledged the message.
    virtual std::uint64_t publish(const std::string& topic, std::string payload,
                                  bool retain) = 0;

    /// An eventfd that polls readable (POLLIN) while events are pending.
    virtual int fd() const = 0;

    /// Returns the pending events in arrival order, clears them and resets fd().
    virtual std::vector<BusEvent> drain() = 0;

    virtual bool connected() const = 0;

    /// Waits up to `timeout` for everything published so far to be acknowledged, then
    /// disconnects cleanly. A clean disconnect does not fire the Last Will, so publish
    /// "offline" on the availability topic just before calling this. Later publishes are
    /// dropped. Returns true if every message was delivered in time.
    virtual bool close(std::chrono::milliseconds timeout) {
        (void)timeout;
        return true;
    }
};

}  // namespace cashbridge::mqtt
