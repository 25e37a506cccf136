// CashInCounter: the real acceptor's pulses become coins, judged like a controller would.
#include "cashbridge/bridge/cash_in.hpp"

#include <gtest/gtest.h>

namespace cashbridge::bridge {
namespace {

using namespace std::chrono_literals;
using hal::Level;

CashInRules rules(bool parallel = false) {
    AcceptorConfig a;
    a.protocol = parallel ? AcceptorProtocol::parallel : AcceptorProtocol::pulse;
    a.pulse_width = 30ms;
    a.pulse_gap = 30ms;
    a.coin_gap = 200ms;
    a.tolerance = 6ms;
    a.cash_in_active = Level::low;
    return cash_in_rules(a);
}

std::vector<CoinLine> lines(std::vector<std::int64_t> values) {
    std::vector<CoinLine> out;
    for (auto v : values) out.push_back({hal::LineSpec::named("cash_in_" + std::to_string(v)), v});
    return out;
}

/// Feeds a pulse of `width` starting at `t` on line `i`, collecting results.
void pulse(CashInCounter& c, std::size_t i, hal::TimePoint t, std::chrono::milliseconds width,
           std::vector<CashIn>& out) {
    for (auto& r : c.on_edge(i, {Level::low, t})) out.push_back(r);
    for (auto& r : c.on_edge(i, {Level::high, t + width})) out.push_back(r);
}

TEST(CashIn, PulsesGroupIntoCoinsByTheLongerPause) {
    CashInCounter c(rules(), lines({10}));
    std::vector<CashIn> out;
    hal::TimePoint t{10s};
    for (int i = 0; i < 5; ++i, t += 60ms) pulse(c, 0, t, 30ms, out);  // a 50 coin
    EXPECT_TRUE(out.empty()) << "the coin is open until the pause says it ended";
    EXPECT_FALSE(c.on_time(t + 50ms)) << "115 ms (the midpoint of 30 and 200) has not passed";
    t += 200ms;
    for (int i = 0; i < 2; ++i, t += 60ms) pulse(c, 0, t, 31ms, out);  // a 20 coin
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].value, 50);
    EXPECT_EQ(out[0].pulses, 5);
    const auto last = c.on_time(t + 200ms);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->value, 20);
    EXPECT_EQ(last->line, "cash_in_10");
}

TEST(CashIn, APulseInProgressKeepsItsCoinOpen) {
    // 100 ms pulses 100 ms apart: a coin ends after 200 ms without a pulse, which is also
    // where the next pulse of the same coin ends.
    AcceptorConfig a;
    a.pulse_width = 100ms;
    a.pulse_gap = 100ms;
    a.tolerance = 20ms;
    CashInCounter c(cash_in_rules(a), lines({10}));
    std::vector<CashIn> out;
    pulse(c, 0, hal::TimePoint{1s}, 100ms, out);
    for (auto& r : c.on_edge(0, {Level::low, hal::TimePoint{1s} + 200ms})) out.push_back(r);
    EXPECT_FALSE(c.on_time(hal::TimePoint{1s} + 300ms)) << "the second pulse is still active";
    for (auto& r : c.on_edge(0, {Level::high, hal::TimePoint{1s} + 300ms})) out.push_back(r);
    EXPECT_TRUE(out.empty());
    const auto coin = c.on_time(hal::TimePoint{1s} + 500ms);
    ASSERT_TRUE(coin);
    EXPECT_EQ(coin->pulses, 2);
}

TEST(CashIn, PulsesOutsideTheToleranceAreErrorsNotMoney) {
    CashInCounter c(rules(), lines({10}));
    std::vector<CashIn> out;
    pulse(c, 0, hal::TimePoint{1s}, 12ms, out);
    pulse(c, 0, hal::TimePoint{2s}, 37ms, out);
    pulse(c, 0, hal::TimePoint{3s}, 36ms, out);  // 30 + 6: still counted
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].kind, CashIn::Kind::error);
    EXPECT_EQ(out[0].detail, "pulse of 12.0 ms on cash_in_10, expected 30.0 ms +/- 6.0 ms");
    EXPECT_EQ(out[1].kind, CashIn::Kind::error);
    const auto coin = c.on_time(hal::TimePoint{4s});
    ASSERT_TRUE(coin);
    EXPECT_EQ(coin->value, 10);
}

TEST(CashIn, ParallelLinesCountOneCoinPerPulse) {
    CashInCounter c(rules(true), lines({200, 50}));
    std::vector<CashIn> out;
    pulse(c, 1, hal::TimePoint{1s}, 30ms, out);
    pulse(c, 0, hal::TimePoint{1s} + 100ms, 30ms, out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].value, 50);
    EXPECT_EQ(out[1].value, 200);
    EXPECT_EQ(out[1].line, "cash_in_200");
}

TEST(CashIn, ALineWithItsOwnWidthIsJudgedByIt) {
    auto tapped = lines({200, 10});
    tapped[1].width = 100ms;  // the 10 channel pulses 100 ms; the 200 one pulse_ms (30)
    CashInCounter c(rules(true), tapped);
    std::vector<CashIn> out;
    pulse(c, 1, hal::TimePoint{1s}, 100ms, out);
    pulse(c, 0, hal::TimePoint{2s}, 30ms, out);
    pulse(c, 1, hal::TimePoint{3s}, 30ms, out);  // the 10 channel at the other width
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].value, 10);
    EXPECT_EQ(out[1].value, 200);
    EXPECT_EQ(out[2].kind, CashIn::Kind::error);
    EXPECT_EQ(out[2].detail, "pulse of 30.0 ms on cash_in_10, expected 100.0 ms +/- 6.0 ms");
}

TEST(CashIn, ALineAlreadyActiveAtStartIsNotAPulse) {
    CashInCounter c(rules(), lines({10}));
    EXPECT_TRUE(c.on_edge(0, {Level::high, hal::TimePoint{1s}}).empty());
    EXPECT_FALSE(c.on_time(hal::TimePoint{5s}));
}

}  // namespace
}  // namespace cashbridge::bridge
