/// @file acceptor_player.hpp
/// The machine's real coin acceptor, played by the sim: coins inserted become timed edges
/// on the daemon's `cash_in` lines, following the profile's convention. Pure: no I/O.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "cashbridge/sim/profile.hpp"

namespace cashbridge::sim {

struct ScheduledEdge {
    std::int64_t t_ns = 0;
    std::string line;
    int level = 0;  ///< electrical
};

class AcceptorPlayer {
  public:
    explicit AcceptorPlayer(AcceptorOutput output) : out_(std::move(output)) {}

    /// Queues `coins` (minor units) after whatever is queued, the first no earlier than
    /// `now_ns`; returns when the last edge will happen. Throws std::invalid_argument for
    /// a value this acceptor cannot signal (not a multiple of the pulse value, or no line).
    std::int64_t insert(const std::vector<std::int64_t>& coins, std::int64_t now_ns);

    /// Removes and returns the edges due at `now_ns`, in time order.
    std::vector<ScheduledEdge> due(std::int64_t now_ns);
    std::optional<std::int64_t> next_ns() const;
    std::size_t pending() const { return edges_.size(); }
    const AcceptorOutput& output() const { return out_; }

  private:
    AcceptorOutput out_;
    std::deque<ScheduledEdge> edges_;
    std::int64_t last_end_ns_ = 0;
};

}  // namespace cashbridge::sim
