/// @file machine.hpp
/// The vending machine's coin input: decoded pulses become a counted total and an error log.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "cashbridge/sim/pulse_decoder.hpp"

namespace cashbridge::sim {

class Machine {
  public:
    explicit Machine(Profile profile) : decoder_(std::move(profile)) {}

    /// A coin line changed level. Returns the judged pulse, if one ended.
    std::optional<PulseResult> on_coin_level(const std::string& line, int level, std::int64_t t_ns);

    bool is_coin_line(const std::string& line) const;

    std::int64_t counted() const { return counted_; }
    std::int64_t pulses() const { return pulses_; }
    std::int64_t errors() const { return errors_; }
    /// The most recent error descriptions (bounded: a stuck daemon must not eat memory).
    const std::deque<std::string>& error_log() const { return error_log_; }

    /// Clears counters and logs; claims and line levels are untouched.
    void reset();

    const Profile& profile() const { return decoder_.profile(); }

    static constexpr std::size_t max_error_log = 100;

  private:
    PulseDecoder decoder_;
    std::int64_t counted_ = 0;
    std::int64_t pulses_ = 0;
    std::int64_t errors_ = 0;
    std::deque<std::string> error_log_;
};

}  // namespace cashbridge::sim
