// PulsePlayer: edges land exactly on the planned absolute deadlines, with polarity applied.
#include "cashbridge/bridge/pulse_player.hpp"

#include <gtest/gtest.h>
#include <poll.h>

#include <functional>

#include "cashbridge/hal/fake_board.hpp"

namespace cashbridge::bridge {
namespace {

using namespace std::chrono_literals;
using hal::Level;

std::vector<PulseReport> wait_for_final(PulsePlayer& p) {
    std::vector<PulseReport> all;
    for (int i = 0; i < 200; ++i) {
        pollfd fd{p.fd(), POLLIN, 0};
        ::poll(&fd, 1, 10);
        for (auto& r : p.drain()) all.push_back(r);
        if (!all.empty() && all.back().finished) return all;
    }
    ADD_FAILURE() << "no final report";
    return all;
}

TEST(PulsePlayer, PlaysActiveLowPulsesOnAbsoluteDeadlines) {
    hal::FakeClock clock;
    hal::FakeBoard board(clock);
    auto coin = board.claim_output(hal::LineSpec::named("coin"), Level::high);
    const auto t0 = clock.now();
    PulsePlayer player(clock, {coin.get()}, Level::low, 50ms, 10ms);
    const std::vector<PlannedPulse> plan = {{0, 10, 0us, 50'000us}, {0, 10, 100'000us, 50'000us}};
    const auto report = player.play({"p1", plan}, [] { return false; });
    EXPECT_TRUE(report.finished);
    EXPECT_EQ(report.pulses_done, 2u);
    EXPECT_EQ(report.value_done, 20);
    EXPECT_EQ(report.pulses_uncertain, 0u);
    const auto edges = board.edges();
    ASSERT_EQ(edges.size(), 4u);
    // The first pulse waits a whole gap after start-up: a previous process may have
    // released the line mid-pulse just before, and the machine must see a gap.
    EXPECT_EQ(edges[0].level, Level::low);
    EXPECT_EQ(edges[0].at, t0 + 50ms);
    EXPECT_EQ(edges[1].level, Level::high);
    EXPECT_EQ(edges[1].at, t0 + 100ms);
    EXPECT_EQ(edges[2].at, t0 + 150ms);
    EXPECT_EQ(edges[3].at, t0 + 200ms);
    EXPECT_EQ(board.level("coin"), Level::high);  // released inactive
}

TEST(PulsePlayer, ActiveHighInvertsLevels) {
    hal::FakeClock clock;
    hal::FakeBoard board(clock);
    auto coin = board.claim_output(hal::LineSpec::named("coin"), Level::low);
    PulsePlayer player(clock, {coin.get()}, Level::high, 50ms, 10ms);
    player.play({"p", {{0, 10, 0us, 20'000us}}}, [] { return false; });
    const auto edges = board.edges();
    ASSERT_EQ(edges.size(), 2u);
    EXPECT_EQ(edges[0].level, Level::high);
    EXPECT_EQ(edges[1].level, Level::low);
}

TEST(PulsePlayer, KeepsTheGapBetweenBackToBackJobs) {
    hal::FakeClock clock;
    hal::FakeBoard board(clock);
    auto coin = board.claim_output(hal::LineSpec::named("coin"), Level::high);
    PulsePlayer player(clock, {coin.get()}, Level::low, 70ms, 10ms);
    player.play({"a", {{0, 10, 0us, 50'000us}}}, [] { return false; });
    player.play({"b", {{0, 10, 0us, 50'000us}}}, [] { return false; });
    const auto edges = board.edges();
    ASSERT_EQ(edges.size(), 4u);
    EXPECT_EQ(edges[2].at - edges[1].at, 70ms);
}

TEST(PulsePlayer, StopBetweenPulsesReportsWhatWasDelivered) {
    hal::FakeClock clock;
    hal::FakeBoard board(clock);
    auto coin = board.claim_output(hal::LineSpec::named("coin"), Level::high);
    PulsePlayer player(clock, {coin.get()}, Level::low, 50ms, 10ms);
    int checks = 0;
    const std::vector<PlannedPulse> plan = {
        {0, 10, 0us, 50'000us}, {0, 10, 100'000us, 50'000us}, {0, 10, 200'000us, 50'000us}};
    const auto report = player.play({"p", plan}, [&] { return ++checks > 2; });
    EXPECT_TRUE(report.cancelled);
    EXPECT_EQ(report.pulses_done, 2u);
    EXPECT_EQ(report.value_done, 20);
    EXPECT_EQ(board.edges().size(), 4u);
}

TEST(PulsePlayer, ThreadReportsProgressAndCompletion) {
    hal::FakeClock clock;
    hal::FakeBoard board(clock);
    auto coin = board.claim_output(hal::LineSpec::named("coin"), Level::high);
    PulsePlayer player(clock, {coin.get()}, Level::low, 50ms, 10ms);
    player.enqueue({"p", {{0, 10, 0us, 50'000us}, {0, 10, 100'000us, 50'000us}}});
    const auto reports = wait_for_final(player);
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_FALSE(reports[0].finished);
    EXPECT_EQ(reports[0].pulses_done, 1u);
    EXPECT_TRUE(reports[1].finished);
    EXPECT_EQ(reports[1].value_done, 20);
}

TEST(PulsePlayer, HoldDelaysJobsAndCancelEndsThem) {
    hal::FakeClock clock;
    hal::FakeBoard board(clock);
    auto coin = board.claim_output(hal::LineSpec::named("coin"), Level::high);
    PulsePlayer player(clock, {coin.get()}, Level::low, 50ms, 10ms);
    player.set_hold(true);
    player.enqueue({"held", {{0, 10, 0us, 50'000us}}});
    std::this_thread::sleep_for(50ms);  // give a wrong implementation time to play it
    EXPECT_TRUE(board.edges().empty());
    player.cancel("held");
    const auto reports = wait_for_final(player);
    EXPECT_TRUE(reports.back().cancelled);
    EXPECT_EQ(reports.back().value_done, 0);
    EXPECT_TRUE(board.edges().empty());
}

/// A line whose set() is preceded by a stall (the thread held off the CPU) on chosen calls.
class StallingLine final : public hal::OutputLine {
  public:
    StallingLine(hal::OutputLine& line, hal::FakeClock& clock, int stall_call,
                 std::chrono::microseconds stall)
        : line_(line), clock_(clock), stall_call_(stall_call), stall_(stall) {}
    hal::TimePoint set(Level level) override {
        if (++calls_ == stall_call_) clock_.advance(stall_);
        return line_.set(level);
    }
    const std::string& name() const override { return line_.name(); }

  private:
    hal::OutputLine& line_;
    hal::FakeClock& clock_;
    int stall_call_;
    std::chrono::microseconds stall_;
    int calls_ = 0;
};

struct RecordingObserver final : PulseObserver {
    std::vector<std::string> calls;
    void pulse_starting(const std::string&, const PlannedPulse& p) override {
        calls.push_back("start " + std::to_string(p.index));
    }
    void pulse_ended(const std::string&, const PlannedPulse& p) override {
        calls.push_back("end " + std::to_string(p.index));
    }
    void pulse_uncertain(const std::string&, const PlannedPulse& p) override {
        calls.push_back("uncertain " + std::to_string(p.index));
    }
    void pulse_withdrawn(const std::string&, const PlannedPulse& p) override {
        calls.push_back("withdrawn " + std::to_string(p.index));
    }
};

/// A clock that runs a hook when someone sleeps on it: lets a test act "during the gap".
class HookClock final : public hal::Clock {
  public:
    explicit HookClock(hal::FakeClock& clock) : clock_(clock) {}
    hal::TimePoint now() const override { return clock_.now(); }
    void sleep_until(hal::TimePoint t) override {
        clock_.sleep_until(t);
        if (hook) hook();
    }
    std::function<void()> hook;

  private:
    hal::FakeClock& clock_;
};

struct HoldRun {
    PulseReport report;
    std::size_t edges;
    std::vector<std::string> calls;
    std::vector<std::string> at_checks;  ///< the journal's last call at each stop check
};

/// Plays two pulses; INHIBIT arrives after the `hold_after`th sleep (1: the gap before
/// pulse 0, 2: its width, 3: the gap before pulse 1). The first `passing` stop checks
/// pass; the next, made while held, is where a cancel (delivery timeout) ends the job.
HoldRun play_with_hold(int hold_after, int passing) {
    hal::FakeClock fake;
    HookClock clock(fake);
    hal::FakeBoard board(fake);
    auto coin = board.claim_output(hal::LineSpec::named("coin"), Level::high);
    RecordingObserver observer;
    PulsePlayer player(clock, {coin.get()}, Level::low, 50ms, 10ms, &observer);
    int sleeps = 0;
    clock.hook = [&] {
        if (++sleeps == hold_after) player.set_hold(true);
    };
    std::vector<PlannedPulse> plan = {{0, 10, 0us, 50'000us, 0}, {0, 10, 100'000us, 50'000us, 1}};
    int stops = 0;
    std::vector<std::string> at_checks;
    auto report = player.play({"p", plan}, [&] {
        at_checks.push_back(observer.calls.empty() ? "" : observer.calls.back());
        return ++stops > passing;
    });
    return {std::move(report), board.edges().size(), observer.calls, at_checks};
}

TEST(PulsePlayer, AHoldThatComesDuringTheGapStopsTheNextPulse) {
    const auto run = play_with_hold(3, 2);
    EXPECT_TRUE(run.report.cancelled);
    EXPECT_EQ(run.report.pulses_done, 1u);
    EXPECT_EQ(run.edges, 2u);  // pulse 1 never went out
    EXPECT_EQ(run.calls, (std::vector<std::string>{"start 0", "end 0", "start 1", "withdrawn 1"}));
    EXPECT_EQ(run.at_checks, (std::vector<std::string>{"", "start 1", "withdrawn 1"}));
}

TEST(PulsePlayer, AHoldDuringAPulseWithdrawsTheAnnouncedNextOne) {
    const auto run = play_with_hold(2, 1);
    EXPECT_TRUE(run.report.cancelled);
    EXPECT_EQ(run.report.pulses_done, 1u);
    EXPECT_EQ(run.edges, 2u);
    EXPECT_EQ(run.calls, (std::vector<std::string>{"start 0", "end 0", "start 1", "withdrawn 1"}));
    // Pulse 1 was announced with the end of pulse 0 and withdrawn before the wait for the
    // hold to end, not only once the job was cancelled.
    EXPECT_EQ(run.at_checks, (std::vector<std::string>{"", "withdrawn 1"}));
}

TEST(PulsePlayer, ACancelBetweenPulsesWithdrawsTheAnnouncedNextOne) {
    hal::FakeClock clock;
    hal::FakeBoard board(clock);
    auto coin = board.claim_output(hal::LineSpec::named("coin"), Level::high);
    RecordingObserver observer;
    PulsePlayer player(clock, {coin.get()}, Level::low, 50ms, 10ms, &observer);
    std::vector<PlannedPulse> plan = {{0, 10, 0us, 50'000us, 0}, {0, 10, 100'000us, 50'000us, 1}};
    int stops = 0;
    const auto report = player.play({"p", plan}, [&] { return ++stops > 1; });
    EXPECT_TRUE(report.cancelled);
    EXPECT_EQ(report.value_done, 10);
    EXPECT_EQ(observer.calls,
              (std::vector<std::string>{"start 0", "end 0", "start 1", "withdrawn 1"}));
}

TEST(PulsePlayer, APulseStretchedPastTheToleranceIsUncertainNotDelivered) {
    hal::FakeClock clock;
    hal::FakeBoard board(clock);
    auto coin = board.claim_output(hal::LineSpec::named("coin"), Level::high);
    // Call 4 is the end of the second pulse: it lands 11 ms late (tolerance 10 ms).
    StallingLine stalling(*coin, clock, 4, 11ms);
    RecordingObserver observer;
    PulsePlayer player(clock, {&stalling}, Level::low, 50ms, 10ms, &observer);
    std::vector<PlannedPulse> plan = {{0, 10, 0us, 50'000us, 0},
                                      {0, 10, 100'000us, 50'000us, 1},
                                      {0, 10, 200'000us, 50'000us, 2}};
    const auto report = player.play({"p", plan}, [] { return false; });
    EXPECT_EQ(report.pulses_done, 2u);
    EXPECT_EQ(report.value_done, 20);
    EXPECT_EQ(report.pulses_uncertain, 1u);
    EXPECT_EQ(report.value_uncertain, 10);
    EXPECT_EQ(observer.calls, (std::vector<std::string>{"start 0", "end 0", "start 1",
                                                        "uncertain 1", "start 2", "end 2"}));
    const auto edges = board.edges();
    ASSERT_EQ(edges.size(), 6u);
    EXPECT_EQ(edges[3].at - edges[2].at, 61ms);  // what the machine saw
}

TEST(PulsePlayer, AStallWithinTheToleranceStillDelivers) {
    hal::FakeClock clock;
    hal::FakeBoard board(clock);
    auto coin = board.claim_output(hal::LineSpec::named("coin"), Level::high);
    StallingLine stalling(*coin, clock, 2, 9ms);
    PulsePlayer player(clock, {&stalling}, Level::low, 50ms, 10ms);
    const auto report = player.play({"p", {{0, 10, 0us, 50'000us}}}, [] { return false; });
    EXPECT_EQ(report.pulses_done, 1u);
    EXPECT_EQ(report.pulses_uncertain, 0u);
}

}  // namespace
}  // namespace cashbridge::bridge
