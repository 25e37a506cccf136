/// @file topics.hpp
/// Topic names of MQTT contract v1: everything lives under cashbridge/v1/<machine_id>/.
#pragma once

#include <string>
#include <string_view>

namespace cashbridge::mqtt {

/// Contract version, carried in the topic root and as "v" in every JSON message.
inline constexpr int contract_version = 1;

/// Payloads of the retained availability topic; `offline` is also the Last Will.
inline constexpr std::string_view availability_online = "online";
inline constexpr std::string_view availability_offline = "offline";

/// True if `id` can be a topic level: 1-64 characters from [A-Za-z0-9._-]. This excludes the
/// MQTT wildcards and separators ('+', '#', '/') and anything a shell or log would mangle.
bool valid_machine_id(std::string_view id);

/// The topics of one machine.
struct Topics {
    /// Throws std::invalid_argument if !valid_machine_id(machine_id).
    explicit Topics(std::string_view machine_id);

    std::string machine_id;
    std::string root;          ///< "cashbridge/v1/<id>/"
    std::string availability;  ///< up, retained: "online" / "offline" (Last Will)
    std::string state;         ///< up, retained: StateReport JSON
    std::string up_session;    ///< up: session.open / session.cancel / session.query
    std::string down_payment;  ///< down: payment.completed (signed by the payment server)
    std::string up_credit;     ///< up: payment.accepted / payment.rejected / credit.*
    std::string events;        ///< up: Event JSON, for operators
    std::string up_payment;    ///< up: payment.scan / payment.cancel (scanned payment codes)
};

}  // namespace cashbridge::mqtt
