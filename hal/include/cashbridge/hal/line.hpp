/// @file line.hpp
/// The HAL's line interfaces: what the bridge may do with a GPIO (or simulated) line.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace cashbridge::hal {

/// Electrical level on the wire. Polarity (active-low/high) is the bridge's business, so a
/// backend never inverts: what is set here is what a probe on the pin would read.
enum class Level : std::uint8_t { low = 0, high = 1 };

inline constexpr Level opposite(Level l) {
    return l == Level::low ? Level::high : Level::low;
}

/// How an output pin drives the wire.
enum class Drive : std::uint8_t { push_pull, open_drain, open_source };

/// Every timestamp in the HAL is CLOCK_MONOTONIC, which std::chrono::steady_clock is on
/// Linux; processes on one host (daemon and simulator) therefore share one time base.
using TimePoint = std::chrono::steady_clock::time_point;

/// Where a line lives. `chip` and `offset` matter to the libgpiod backend; the simulator and
/// the fake identify lines by `name` alone.
struct LineSpec {
    std::string name;     ///< the config's role name: "coin", "coin_50", "inhibit", ...
    std::string chip;     ///< e.g. "gpiochip0"; empty for backends without chips
    unsigned offset = 0;  ///< line offset on the chip
    Drive drive = Drive::push_pull;

    /// A spec for backends that know lines by name alone (simulator, fake).
    static LineSpec named(std::string n) {
        LineSpec s;
        s.name = std::move(n);
        return s;
    }
};

/// An edge seen on an input line, timestamped by whoever saw it (kernel or simulator).
struct Edge {
    Level level;   ///< level after the edge
    TimePoint at;  ///< when it happened
};

/// A claimed output line, owned through unique_ptr; destruction releases it. The owner
/// drives it inactive before releasing, and the wiring must keep a released line inactive.
class OutputLine {
  public:
    virtual ~OutputLine() = default;
    /// Drives the wire to `level` now and returns the time the backend set it. Does not
    /// block beyond the system call. Throws std::system_error if the line is gone.
    virtual TimePoint set(Level level) = 0;
    virtual const std::string& name() const = 0;
};

/// A claimed input line with edge events.
class InputLine {
  public:
    virtual ~InputLine() = default;
    /// The level as last known (updated by read_edge()).
    virtual Level level() const = 0;
    /// A file descriptor that polls readable (POLLIN) when an edge may be pending.
    virtual int fd() const = 0;
    /// Returns the next pending edge without blocking, or nullopt when none is pending.
    /// Throws std::system_error if the line is gone.
    virtual std::optional<Edge> read_edge() = 0;
    virtual const std::string& name() const = 0;
};

/// A backend: the thing that hands out lines (libgpiod chips, the simulator, the fake).
/// The composition root picks one from the config at run time.
class Board {
  public:
    virtual ~Board() = default;
    /// Claims `spec` as an output already at `initial`. Throws std::system_error naming the
    /// line (and chip/offset where relevant) if it cannot be claimed.
    virtual std::unique_ptr<OutputLine> claim_output(const LineSpec& spec, Level initial) = 0;
    /// Claims `spec` as an input reporting both edges.
    virtual std::unique_ptr<InputLine> claim_input(const LineSpec& spec) = 0;
};

}  // namespace cashbridge::hal
