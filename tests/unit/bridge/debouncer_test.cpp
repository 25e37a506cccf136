// Debouncer and WatchedInput: a level change counts only once it has held for the window;
// bounces inside the window are nothing. Times are explicit, so nothing sleeps.
#include "cashbridge/bridge/debouncer.hpp"

#include <gtest/gtest.h>

#include "cashbridge/bridge/watched_input.hpp"
#include "cashbridge/hal/fake_board.hpp"

namespace cashbridge::bridge {
namespace {

using namespace std::chrono_literals;
using hal::Level;

const hal::TimePoint t0{std::chrono::seconds(100)};

hal::Edge edge(Level l, std::chrono::nanoseconds after) {
    return {l, t0 + after};
}

TEST(Debouncer, ChangeCountsOnlyAfterHoldingForTheWindow) {
    Debouncer d(Level::high, 5ms);
    d.on_edge(edge(Level::low, 0ms));
    EXPECT_EQ(d.deadline(), t0 + 5ms);
    EXPECT_FALSE(d.poll(t0 + 4ms));
    EXPECT_EQ(d.level(), Level::high);
    const auto e = d.poll(t0 + 5ms);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->level, Level::low);
    EXPECT_EQ(e->at, t0);  // the hardware's time of the change, not the poll's
    EXPECT_EQ(d.level(), Level::low);
    EXPECT_FALSE(d.deadline());
    EXPECT_FALSE(d.poll(t0 + 1s));  // reported once
}

TEST(Debouncer, BounceBackInsideTheWindowIsNothing) {
    Debouncer d(Level::high, 5ms);
    d.on_edge(edge(Level::low, 0ms));
    d.on_edge(edge(Level::high, 1ms));
    EXPECT_FALSE(d.deadline());
    EXPECT_FALSE(d.poll(t0 + 1s));
    EXPECT_EQ(d.level(), Level::high);
}

TEST(Debouncer, EveryBounceRestartsTheWindow) {
    // A switch closing with bounces: low, high, low, high, low, then stays low.
    Debouncer d(Level::high, 5ms);
    for (int i = 0; i < 5; ++i) d.on_edge(edge(i % 2 ? Level::high : Level::low, i * 1ms));
    EXPECT_FALSE(d.poll(t0 + 8ms));  // last bounce at 4 ms: stable only from 9 ms
    const auto e = d.poll(t0 + 9ms);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->level, Level::low);
    EXPECT_EQ(e->at, t0 + 4ms);
}

TEST(Debouncer, ARepeatedLevelMeansALostBounceAndRestartsTheWindow) {
    Debouncer d(Level::high, 5ms);
    d.on_edge(edge(Level::low, 0ms));
    d.on_edge(edge(Level::low, 3ms));  // the rising edge in between was dropped
    EXPECT_FALSE(d.poll(t0 + 7ms));
    EXPECT_TRUE(d.poll(t0 + 8ms));
}

TEST(Debouncer, ZeroWindowPassesEveryChangeAtOnce) {
    Debouncer d(Level::low, 0ms);
    d.on_edge(edge(Level::high, 0ms));
    ASSERT_TRUE(d.poll(t0));
    d.on_edge(edge(Level::low, 1ms));
    const auto e = d.poll(t0 + 1ms);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->level, Level::low);
}

TEST(WatchedInput, ReportsDebouncedActiveChangesOfARealLine) {
    hal::FakeClock clock;
    hal::FakeBoard board(clock);
    board.drive_input("coin_return", Level::high);
    WatchedInput in(board.claim_input(hal::LineSpec::named("coin_return")), Level::low, 5ms);
    EXPECT_FALSE(in.active());

    board.drive_input("coin_return", Level::low);  // pressed, bounces once
    clock.advance(1ms);
    board.drive_input("coin_return", Level::high);
    clock.advance(1ms);
    board.drive_input("coin_return", Level::low);
    in.read_edges();
    EXPECT_TRUE(in.changes(clock.now()).empty());
    ASSERT_TRUE(in.deadline());
    EXPECT_EQ(*in.deadline(), clock.now() + 5ms);
    clock.advance(5ms);
    EXPECT_EQ(in.changes(clock.now()), std::vector<bool>{true});
    EXPECT_TRUE(in.active());
}

}  // namespace
}  // namespace cashbridge::bridge
