// The milliseconds left until a deadline, as poll() takes them (never negative).
#pragma once

#include <chrono>

namespace cashbridge::peripherals {

using PortClock = std::chrono::steady_clock;

inline int ms_left(PortClock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - PortClock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace cashbridge::peripherals
