/// @file paho_bus.hpp
/// MessageBus over Eclipse Paho MQTT C++ (async_client): persistent session, automatic
/// reconnect, offline buffering, Last Will. Paho types stay in the .cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cashbridge/mqtt/bus.hpp"

namespace cashbridge::mqtt {

struct PahoBusOptions {
    std::string server_uri = "tcp://127.0.0.1:1883";
    std::string client_id;  ///< must be stable across restarts for the persistent session
    std::vector<std::string> subscriptions;  ///< topic filters, QoS 1, renewed on every connect
    std::string will_topic;                  ///< empty: no Last Will
    std::string will_payload = "offline";    ///< published retained at QoS 1 by the broker
    std::string username;                    ///< empty: anonymous
    std::string password;
    bool clean_session = false;  ///< false keeps subscriptions and QoS 1 queues while away
    std::chrono::seconds keepalive{10};
    std::chrono::seconds min_retry{1};  ///< reconnect backoff, doubled up to max_retry
    std::chrono::seconds max_retry{8};
    int max_buffered = 1000;  ///< messages kept while disconnected; oldest dropped beyond
};

class PahoBus final : public MessageBus {
  public:
    /// Starts connecting in the background and returns at once; if the broker is not
    /// reachable it keeps retrying with backoff. Throws std::invalid_argument for an invalid
    /// URI or client id, std::system_error if the eventfd cannot be created.
    explicit PahoBus(PahoBusOptions options);
    /// Disconnects cleanly (short timeout) unless close() already did.
    ~PahoBus() override;

    PahoBus(const PahoBus&) = delete;
    PahoBus& operator=(const PahoBus&) = delete;

    std::uint64_t publish(const std::string& topic, std::string payload, bool retain) override;
    int fd() const override;
    std::vector<BusEvent> drain() override;
    bool connected() const override;
    bool close(std::chrono::milliseconds timeout) override;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cashbridge::mqtt
