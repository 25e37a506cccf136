/// @file profile.hpp
/// The machine profile: which lines the machine's controller has and what pulses it accepts.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct cJSON;

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
    /// This line's own pulse (validators that pulse each coin channel for a different
    /// time): the width the acceptor plays and the range the controller accepts. Zero: the
    /// profile's (Profile::width_min_ns/width_max_ns, AcceptorOutput::pulse_ns).
    std::int64_t pulse_ns = 0;
    std::int64_t width_min_ns = 0;
    std::int64_t width_max_ns = 0;
};

/// How the machine's own coin acceptor signals coins on its outputs: what the sim plays on
/// the daemon's `cash_in` lines when told to `insert` coins.
struct AcceptorOutput {
    std::vector<CoinLine> lines;  ///< "cash_in" (pulse: value per pulse) or "cash_in_<value>"
    Polarity active = Polarity::active_low;
    std::int64_t pulse_ns = 0;
    std::int64_t gap_ns = 0;       ///< between the pulses of one coin
    std::int64_t coin_gap_ns = 0;  ///< between two coins
    bool pulse_is_coin = false;    ///< parallel: one pulse on the coin's own line
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
    /// Set for profiles from profiles/ (shared with the daemon): the real acceptor.
    std::optional<AcceptorOutput> acceptor;
    /// The coin-return button the customer presses (an input of the daemon); "" for none.
    std::string coin_return_line = "coin_return";
    Polarity coin_return_active = Polarity::active_low;

    /// The widths the controller accepts on `line`, {min, max} in ns: its own if it has
    /// them, else the profile's.
    std::pair<std::int64_t, std::int64_t> widths_of(std::string_view line) const;
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

/// Parses profile JSON: a hw-sim profile (hw-sim/profiles/) or a shared machine profile
/// (profiles/, with an "acceptor" object in the daemon's config format), from which the
/// controller's tolerances and the acceptor's outputs are derived. Throws ProfileError
/// naming the field.
Profile parse_profile(std::string_view json);

/// The profile a shared machine profile's "acceptor" object describes (profile.cpp calls
/// it for documents that have one). Throws ProfileError naming the field.
Profile profile_from_acceptor(const cJSON* acceptor);

/// Reads and parses a profile file. Throws ProfileError (field "file" if unreadable).
Profile load_profile(const std::string& path);

}  // namespace cashbridge::sim
