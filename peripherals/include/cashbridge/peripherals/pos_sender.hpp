/// @file pos_sender.hpp
/// Sends POS datagrams over UDP to the configured LAN targets (unicast, broadcast or a
/// multicast group) from one non-blocking socket.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cashbridge/bridge/pos_receipt_config.hpp"
#include "cashbridge/hal/unique_fd.hpp"

namespace cashbridge::peripherals {

class PosSender {
  public:
    /// Opens the socket with broadcast allowed and the multicast TTL, loop and interface
    /// set. Throws std::system_error (socket) or std::invalid_argument (an interface name
    /// the kernel does not know), naming the config field.
    explicit PosSender(const bridge::PosConfig& config);

    /// Sends `datagram` to every target. Never blocks (MSG_DONTWAIT): a full socket buffer
    /// or an unreachable network is a failed send, counted and described in last_error().
    /// Returns how many targets failed.
    int send(std::string_view datagram);

    std::int64_t sent() const { return sent_; }
    std::int64_t failed() const { return failed_; }
    const std::string& last_error() const { return last_error_; }

  private:
    bridge::PosConfig config_;
    hal::UniqueFd fd_;
    std::int64_t sent_ = 0;
    std::int64_t failed_ = 0;
    std::string last_error_;
};

}  // namespace cashbridge::peripherals
