// FakeBoard and FakeClock: the fake must behave like a board, or unit tests built on it lie.
#include "cashbridge/hal/fake_board.hpp"

#include <gtest/gtest.h>
#include <poll.h>

namespace cashbridge::hal {
namespace {

using namespace std::chrono_literals;

TEST(FakeClock, SleepUntilMovesTimeForwardOnly) {
    FakeClock clock;
    const auto t0 = clock.now();
    clock.sleep_until(t0 + 5ms);
    EXPECT_EQ(clock.now(), t0 + 5ms);
    clock.sleep_until(t0 + 1ms);
    EXPECT_EQ(clock.now(), t0 + 5ms);
}

TEST(FakeBoard, RecordsOutputEdgesWithClockTimes) {
    FakeClock clock;
    FakeBoard board(clock);
    auto coin = board.claim_output(LineSpec::named("coin"), Level::high);
    const auto t0 = clock.now();
    coin->set(Level::low);
    clock.advance(50ms);
    coin->set(Level::high);
    coin->set(Level::high);  // no change, no edge
    const auto edges = board.edges();
    ASSERT_EQ(edges.size(), 2u);
    EXPECT_EQ(edges[0].level, Level::low);
    EXPECT_EQ(edges[0].at, t0);
    EXPECT_EQ(edges[1].at, t0 + 50ms);
}

TEST(FakeBoard, RefusesASecondClaim) {
    FakeClock clock;
    FakeBoard board(clock);
    auto coin = board.claim_output(LineSpec::named("coin"), Level::high);
    EXPECT_THROW(board.claim_output(LineSpec::named("coin"), Level::high), std::runtime_error);
    coin.reset();
    EXPECT_NO_THROW(board.claim_output(LineSpec::named("coin"), Level::high));
}

TEST(FakeBoard, InputEdgesWakePollAndAreReadInOrder) {
    FakeClock clock;
    FakeBoard board(clock);
    auto inhibit = board.claim_input(LineSpec::named("inhibit"));
    EXPECT_EQ(inhibit->level(), Level::high);
    pollfd p{inhibit->fd(), POLLIN, 0};
    EXPECT_EQ(::poll(&p, 1, 0), 0);
    board.drive_input("inhibit", Level::low);
    board.drive_input("inhibit", Level::high);
    EXPECT_EQ(::poll(&p, 1, 0), 1);
    EXPECT_EQ(inhibit->read_edge()->level, Level::low);
    EXPECT_EQ(inhibit->read_edge()->level, Level::high);
    EXPECT_FALSE(inhibit->read_edge());
    EXPECT_EQ(::poll(&p, 1, 0), 0);
}

}  // namespace
}  // namespace cashbridge::hal
