// SystemClock: CLOCK_MONOTONIC with absolute-deadline sleeps.
#include <time.h>

#include <cerrno>

#include "cashbridge/hal/clock.hpp"

namespace cashbridge::hal {

TimePoint SystemClock::now() const {
    return std::chrono::steady_clock::now();
}

void SystemClock::sleep_until(TimePoint t) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch());
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(ns.count() / 1'000'000'000);
    ts.tv_nsec = static_cast<long>(ns.count() % 1'000'000'000);
    // TIMER_ABSTIME: a signal that interrupts the sleep costs no drift, we just sleep again
    // to the same deadline.
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    }
}

}  // namespace cashbridge::hal
