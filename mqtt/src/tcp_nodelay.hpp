// Turns off Nagle's algorithm on Paho's broker connection.
#pragma once

#include <string_view>

namespace cashbridge::mqtt {

/// Sets TCP_NODELAY on this process's TCP sockets connected to the port in `server_uri`
/// ("tcp://host:port"). Paho C 1.3.12 (Debian 12) has no option for it (one came in 1.3.14),
/// and without it every small QoS 1 publish that follows a PUBACK waits for the broker's
/// delayed ACK: about 40 ms added to each payment. Returns how many sockets it set.
int disable_nagle_towards(std::string_view server_uri) noexcept;

}  // namespace cashbridge::mqtt
