/// @file clock.hpp
/// The monotonic clock the pulse player times against, injectable so pulse logic can be
/// tested to the microsecond without sleeping.
#pragma once

#include "cashbridge/hal/line.hpp"

namespace cashbridge::hal {

class Clock {
  public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    /// Blocks until the absolute CLOCK_MONOTONIC deadline `t` (returns at once if past).
    /// Absolute deadlines keep errors from accumulating over a pulse train.
    virtual void sleep_until(TimePoint t) = 0;
};

/// CLOCK_MONOTONIC with clock_nanosleep(TIMER_ABSTIME), retried on EINTR.
class SystemClock final : public Clock {
  public:
    TimePoint now() const override;
    void sleep_until(TimePoint t) override;
};

}  // namespace cashbridge::hal
