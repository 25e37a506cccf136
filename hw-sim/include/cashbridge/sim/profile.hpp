/// @file profile.hpp
/// The machine profile: which lines the machine's controller has and what pulses it accepts.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cashbridge::sim {

enum class Protocol { pulse, parallel };

/// Electrical polarity of a signal: which level means "active".
enum class Polarity { active_low, active_high };

/// Electrical level (0 low, 1 high) that `p` treats as active / inactive.
inline int active_level(Polarity p) {
    return p == Polarity::active_high ? 1 : 0;
}
inline int inactive_level(Polarity p) {
    return 1 - active_level(p);
}

struct CoinLine {
    std::string name;
    std::int64_t value = 0;  ///< minor units credited per valid pulse
};

struct Profile {
    Protocol protocol = Protocol::pulse;
    Polarity active = Polarity::active_low;  ///< polarity of the coin lines
    std::vector<CoinLine> coin_lines;        ///< exactly one for `pulse`
    std::int64_t width_min_ns = 0;
    std::int64_t width_max_ns = 0;
    std::int64_t gap_min_ns = 0;
    std::string inhibit_line;  ///< empty: the machine has no inhibit output
    Polarity inhibit_active = Polarity::active_low;
};

/// A profile that cannot be used; what() starts with the offending field, e.g.
/// "width_ms.max: must be >= width_ms.min".
class ProfileError : public std::runtime_error {
  public:
    ProfileError(const std::string& field, const std::string& problem)
        : std::runtime_error(field + ": " + problem), field_(field) {}
    const std::string& field() const { return field_; }

  private:
    std::string field_;
};

/// Parses profile JSON. Throws ProfileError naming the field.
Profile parse_profile(std::string_view json);

/// Reads and parses a profile file. Throws ProfileError (field "file" if unreadable).
Profile load_profile(const std::string& path);

}  // namespace cashbridge::sim
