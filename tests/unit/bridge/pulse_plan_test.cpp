// plan_pulses: the pulse trains each acceptor protocol asks for, to the microsecond.
#include "cashbridge/bridge/pulse_plan.hpp"

#include <gtest/gtest.h>

namespace cashbridge::bridge {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

AcceptorConfig single_line(int width_ms, int gap_ms, std::int64_t value) {
    AcceptorConfig a;
    a.protocol = AcceptorProtocol::pulse;
    a.pulse_width = milliseconds(width_ms);
    a.pulse_gap = milliseconds(gap_ms);
    a.pulse_value = value;
    a.coins = {{hal::LineSpec::named("coin"), value}};
    return a;
}

AcceptorConfig parallel(std::vector<std::int64_t> values) {
    AcceptorConfig a;
    a.protocol = AcceptorProtocol::parallel;
    a.pulse_width = milliseconds(100);
    a.pulse_gap = milliseconds(150);
    std::sort(values.rbegin(), values.rend());
    for (auto v : values) a.coins.push_back({hal::LineSpec::named("coin_" + std::to_string(v)), v});
    return a;
}

TEST(PulsePlan, OnePulsePerUnitValueWithWidthAndGap) {
    const auto plan = plan_pulses(200, single_line(50, 50, 10));
    ASSERT_EQ(plan.size(), 20u);
    for (std::size_t i = 0; i < plan.size(); ++i) {
        EXPECT_EQ(plan[i].line, 0u);
        EXPECT_EQ(plan[i].value, 10);
        EXPECT_EQ(plan[i].start, microseconds(100'000 * i)) << i;
        EXPECT_EQ(plan[i].width, microseconds(50'000));
    }
    EXPECT_EQ(plan.back().end(), microseconds(1'950'000));
}

TEST(PulsePlan, LongerGapAfterEveryCoin) {
    auto a = single_line(30, 70, 5);
    a.pulses_per_coin = 4;  // a controller that wants 4 pulses per 20-cent "coin"
    a.coin_gap = milliseconds(300);
    const auto plan = plan_pulses(40, a);
    ASSERT_EQ(plan.size(), 8u);
    EXPECT_EQ(plan[3].start, microseconds(300'000));
    // After the 4th pulse (ends at 330 ms) comes the 300 ms coin gap.
    EXPECT_EQ(plan[4].start, microseconds(630'000));
    EXPECT_EQ(plan[5].start, microseconds(730'000));
}

TEST(PulsePlan, ParallelPaysFewestCoinsLargestFirst) {
    const auto a = parallel({10, 20, 50, 100, 200});
    const auto plan = plan_pulses(380, a);  // 200 + 100 + 50 + 20 + 10
    ASSERT_EQ(plan.size(), 5u);
    const std::vector<std::int64_t> values = {200, 100, 50, 20, 10};
    for (std::size_t i = 0; i < plan.size(); ++i) {
        EXPECT_EQ(plan[i].value, values[i]);
        EXPECT_EQ(a.coins[plan[i].line].value, values[i]);
        EXPECT_EQ(plan[i].start, microseconds(250'000 * i));
    }
}

TEST(PulsePlan, ParallelCoinsPulseForTheirOwnWidth) {
    auto a = parallel({10, 20, 200});  // sorted: 200, 20, 10
    a.coins[0].width = milliseconds(100);
    a.coins[2].width = milliseconds(25);  // 20 keeps pulse_ms (100 ms)
    const auto plan = plan_pulses(230, a);
    ASSERT_EQ(plan.size(), 3u);
    EXPECT_EQ(plan[0].width, microseconds(100'000));
    EXPECT_EQ(plan[1].width, microseconds(100'000));
    EXPECT_EQ(plan[2].width, microseconds(25'000));
    // Each gap (150 ms) starts where the coin before it ended.
    EXPECT_EQ(plan[1].start, microseconds(250'000));
    EXPECT_EQ(plan[2].start, microseconds(500'000));
    EXPECT_EQ(plan[2].end(), microseconds(525'000));
}

TEST(PulsePlan, ParallelBeatsGreedyWhereGreedyIsNotOptimal) {
    const auto plan = plan_pulses(80, parallel({10, 40, 50}));
    ASSERT_EQ(plan.size(), 2u);  // 40 + 40, not 50 + 10 + 10 + 10
    EXPECT_EQ(plan[0].value, 40);
    EXPECT_EQ(plan[1].value, 40);
}

TEST(PulsePlan, RefusesAmountsThatCannotBePaid) {
    EXPECT_THROW(plan_pulses(0, single_line(50, 50, 10)), std::invalid_argument);
    EXPECT_THROW(plan_pulses(-10, single_line(50, 50, 10)), std::invalid_argument);
    EXPECT_THROW(plan_pulses(205, single_line(50, 50, 10)), std::invalid_argument);
    EXPECT_THROW(plan_pulses(15, parallel({10, 20})), std::invalid_argument);
}

}  // namespace
}  // namespace cashbridge::bridge
