/// @file pulse_decoder.hpp
/// Decodes coin-line edges into credited coins or errors, as the machine's controller input
/// would. Pure logic: no I/O, no clock, so every tolerance edge is unit-testable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cashbridge/sim/profile.hpp"

namespace cashbridge::sim {

/// A pulse the controller accepted: `value` minor units are credited.
struct ValidPulse {
    std::string line;
    std::int64_t value = 0;
    std::int64_t start_ns = 0;
    std::int64_t width_ns = 0;
    std::optional<std::int64_t> gap_ns;  ///< inactive time before it; nullopt for the first
};

enum class PulseFault {
    too_short,      ///< width < width.min (a glitch, or the daemon's timing is off)
    too_long,       ///< width > width.max
    gap_too_short,  ///< started less than gap.min after the previous pulse ended
    overlap,        ///< two coin lines active at once (parallel protocol)
};

std::string_view to_string(PulseFault f);  ///< "too_short", "too_long", ...

/// A pulse the controller refused: nothing is credited.
struct PulseError {
    PulseFault fault = PulseFault::too_short;
    std::string line;
    std::int64_t start_ns = 0;
    std::int64_t width_ns = 0;
    std::optional<std::int64_t> gap_ns;
    /// One line for logs and the error log, with the measured width/gap and the limits.
    std::string describe(const Profile& p) const;
};

using PulseResult = std::variant<ValidPulse, PulseError>;

class PulseDecoder {
  public:
    explicit PulseDecoder(Profile profile);

    /// Feeds the electrical level of coin line `line` at `t_ns`. A pulse is judged when it
    /// ends, so a result comes only with an active->inactive edge. Levels equal to the
    /// current one and lines not in the profile are ignored.
    std::optional<PulseResult> on_level(std::string_view line, int level, std::int64_t t_ns);

    /// True while `line` is at its active level.
    bool active(std::string_view line) const;

    /// Forgets gap history and any pulse in progress (lines are taken as inactive).
    void reset();

    const Profile& profile() const { return profile_; }

  private:
    struct LineState {
        bool active = false;
        bool overlapped = false;
        std::int64_t start_ns = 0;
        std::optional<std::int64_t> gap_ns;
    };
    LineState* find(std::string_view line);
    const LineState* find(std::string_view line) const;

    Profile profile_;
    std::vector<LineState> states_;  // parallel to profile_.coin_lines
    // The controller sees the coin input as a whole: the gap runs from the moment every
    // coin line is inactive again, whichever line pulsed last.
    std::optional<std::int64_t> idle_since_ns_;
};

}  // namespace cashbridge::sim
