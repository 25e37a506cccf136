/// @file pulse_plan.hpp
/// Coin-acceptor protocols as pure logic: an amount becomes a timed list of pulses, which
/// the pulse player then plays on the lines. No I/O here, so plans are tested to the µs.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "cashbridge/bridge/config.hpp"

namespace cashbridge::bridge {

/// One pulse: `line` indexes AcceptorConfig::coins; times are from the start of the plan.
struct PlannedPulse {
    std::size_t line = 0;
    std::int64_t value = 0;  ///< minor units this pulse credits
    std::chrono::microseconds start{0};
    std::chrono::microseconds width{0};
    std::int64_t index = 0;  ///< the pulse's number within its payment (the journal's key)

    std::chrono::microseconds end() const { return start + width; }
    bool operator==(const PlannedPulse&) const = default;
};

/// Plans `amount` (minor units) for the configured protocol:
/// - pulse: amount / pulse_value pulses on the one coin line, each `pulse_width` wide, with
///   `pulse_gap` between them, or `coin_gap` after every `pulses_per_coin` pulses;
/// - parallel: the fewest coins of the configured values, largest first, one pulse each on
///   that coin's line (as wide as that coin's width), `pulse_gap` apart.
/// Throws std::invalid_argument if the amount is not positive or not payable (not a
/// multiple of AcceptorConfig::unit()); the payment verifier rejects those first.
std::vector<PlannedPulse> plan_pulses(std::int64_t amount, const AcceptorConfig& acceptor);

}  // namespace cashbridge::bridge
