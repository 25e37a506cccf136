// What `cashbridge learn` concludes from the edges it saw: pulse width, the pause inside a
// coin, the longer pause between coins, pulses per coin and polarity. Pure, unit-tested.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cashbridge/hal/line.hpp"

namespace cashbridge::tools {

struct Spread {
    double median = 0, min = 0, max = 0;  ///< milliseconds
};

struct Learned {
    hal::Level active = hal::Level::low;
    std::size_t pulses = 0;
    Spread width;
    std::optional<Spread> gap;       ///< pause between the pulses of one coin
    std::optional<Spread> coin_gap;  ///< pause between coins
    std::vector<int> pulses_per_coin;
};

/// Pulses are the stretches away from `idle` (the level the line had when watching began).
/// Pauses are split into "inside a coin" and "between coins" at the largest jump between
/// sorted pauses when it is at least 1.5x; with no such jump, `coins_hint` (the number of
/// coins the installer inserted) decides whether every pause is between coins. Returns
/// nullopt when no complete pulse was seen.
std::optional<Learned> analyse(hal::Level idle, const std::vector<hal::Edge>& edges,
                               std::optional<int> coins_hint);

/// The proposed acceptor section as JSON text (two-space indent), `profile` named when one
/// matched.
std::string proposal_json(const Learned& l, const std::string& profile);

}  // namespace cashbridge::tools
