/// @file debouncer.hpp
/// Software debounce for input lines: libgpiod 1.6 speaks the kernel's uAPI v1, which has
/// no debounce, and a mechanical switch (coin return, a relay's INHIBIT) bounces for a few
/// milliseconds. Pure logic: edges and "now" are passed in, so it is tested without waiting.
#pragma once

#include <chrono>
#include <optional>

#include "cashbridge/hal/line.hpp"

namespace cashbridge::bridge {

class Debouncer {
  public:
    /// `initial` is the level read when the line was claimed; it counts as stable.
    Debouncer(hal::Level initial, std::chrono::nanoseconds window);

    /// A raw edge as the line reported it (kernel or simulator timestamp).
    void on_edge(const hal::Edge& edge);
    /// The stable level change due at `now`, if any: the raw level has differed from the
    /// stable one and held for the whole window. Its time is that of the raw edge that
    /// started the run, so a debounced edge keeps the hardware's timestamp.
    std::optional<hal::Edge> poll(hal::TimePoint now);
    /// When poll() will next have something to report, nullopt when nothing is pending.
    std::optional<hal::TimePoint> deadline() const;
    /// The debounced level.
    hal::Level level() const { return stable_; }

  private:
    hal::Level stable_;
    std::chrono::nanoseconds window_;
    std::optional<hal::Edge> pending_;  // latest raw change away from stable_
};

}  // namespace cashbridge::bridge
