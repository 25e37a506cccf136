/// @file fake_board.hpp
/// An in-memory board and clock for unit tests: records every edge, lets a test drive
/// inputs, and never sleeps.
#pragma once

#include <map>
#include <mutex>
#include <vector>

#include "cashbridge/hal/clock.hpp"
#include "cashbridge/hal/line.hpp"

namespace cashbridge::hal {

/// A clock whose time moves only when someone sleeps on it or calls advance().
class FakeClock final : public Clock {
  public:
    TimePoint now() const override;
    void sleep_until(TimePoint t) override;
    void advance(std::chrono::nanoseconds d);

  private:
    mutable std::mutex mutex_;
    TimePoint now_{std::chrono::seconds(1000)};
};

struct RecordedEdge {
    std::string line;
    Level level;
    TimePoint at;
};

class FakeBoard final : public Board {
  public:
    explicit FakeBoard(const Clock& clock) : clock_(clock) {}
    std::unique_ptr<OutputLine> claim_output(const LineSpec& spec, Level initial) override;
    std::unique_ptr<InputLine> claim_input(const LineSpec& spec) override;

    /// Every output edge so far, in order (the initial level of a claim is not an edge).
    std::vector<RecordedEdge> edges() const;
    /// The current level of a claimed or driven line.
    Level level(const std::string& line) const;
    /// Drives input line `line` as the machine would; claimed inputs see an edge.
    void drive_input(const std::string& line, Level level);

    struct Wire;  // shared between the board and the line objects it hands out

  private:
    const Clock& clock_;
    std::shared_ptr<std::mutex> mutex_ = std::make_shared<std::mutex>();
    std::shared_ptr<std::vector<RecordedEdge>> edges_ =
        std::make_shared<std::vector<RecordedEdge>>();
    std::map<std::string, std::shared_ptr<Wire>> wires_;
};

}  // namespace cashbridge::hal
