// Durations as the tools print them: milliseconds with a fraction.
#pragma once

#include <chrono>

#include "cashbridge/hal/line.hpp"

namespace cashbridge::tools {

/// The time from `a` to `b` in milliseconds (negative if `b` is earlier).
inline double ms_between(hal::TimePoint a, hal::TimePoint b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace cashbridge::tools
