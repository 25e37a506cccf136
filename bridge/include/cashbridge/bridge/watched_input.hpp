/// @file watched_input.hpp
/// An input line the daemon reacts to (INHIBIT, coin return): the claimed line, its
/// debouncer and its polarity, so the event loop sees only debounced "active" changes.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "cashbridge/bridge/debouncer.hpp"
#include "cashbridge/hal/line.hpp"

namespace cashbridge::bridge {

class WatchedInput {
  public:
    WatchedInput(std::unique_ptr<hal::InputLine> line, hal::Level active,
                 std::chrono::nanoseconds debounce);

    int fd() const { return line_->fd(); }
    /// Debounced: true while the line sits at its active level.
    bool active() const { return debouncer_.level() == active_; }
    /// Reads every pending raw edge (call when fd() polls readable). Throws
    /// std::system_error when the line is gone.
    void read_edges();
    /// Debounced changes due at `now`: true = became active.
    std::vector<bool> changes(hal::TimePoint now);
    /// When changes() next has something, for the event loop's poll timeout.
    std::optional<hal::TimePoint> deadline() const { return debouncer_.deadline(); }
    const std::string& name() const { return line_->name(); }

  private:
    std::unique_ptr<hal::InputLine> line_;
    hal::Level active_;
    Debouncer debouncer_;
};

}  // namespace cashbridge::bridge
