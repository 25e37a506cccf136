// learn's analysis: known pulse trains (as an acceptor sends them) come back as their
// parameters, whatever the polarity, jitter or grouping.
#include "learn_analysis.hpp"

#include <gtest/gtest.h>

namespace cashbridge::tools {
namespace {

using namespace std::chrono_literals;

/// Edges of coins of `per_coin[i]` pulses each.
std::vector<hal::Edge> train(hal::Level active, std::chrono::microseconds width,
                             std::chrono::microseconds gap, std::chrono::microseconds coin_gap,
                             std::vector<int> per_coin, std::chrono::microseconds jitter = 0us) {
    std::vector<hal::Edge> edges;
    hal::TimePoint t{1s};
    int k = 0;
    // Start edges on time, end edges alternately late and early: widths and pauses wobble
    // by `jitter` both ways, as a real acceptor's do.
    const auto j = [&] {
        constexpr int pattern[4] = {0, 1, 0, -1};
        return pattern[k++ % 4] * jitter;
    };
    for (std::size_t c = 0; c < per_coin.size(); ++c) {
        for (int p = 0; p < per_coin[c]; ++p) {
            edges.push_back({active, t + j()});
            t += width;
            edges.push_back({hal::opposite(active), t + j()});
            t += p + 1 < per_coin[c] ? gap : coin_gap;
        }
    }
    return edges;
}

TEST(LearnAnalysis, RecoversWidthGapsAndPulsesPerCoin) {
    const auto e = train(hal::Level::low, 30ms, 30ms, 200ms, {5, 5, 5}, 300us);
    const auto l = analyse(hal::Level::high, e, 3);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->active, hal::Level::low);
    EXPECT_EQ(l->pulses, 15u);
    EXPECT_NEAR(l->width.median, 30.0, 0.7);
    ASSERT_TRUE(l->gap);
    EXPECT_NEAR(l->gap->median, 30.0, 0.7);
    ASSERT_TRUE(l->coin_gap);
    EXPECT_NEAR(l->coin_gap->median, 200.0, 0.7);
    EXPECT_EQ(l->pulses_per_coin, (std::vector<int>{5, 5, 5}));
    const auto json = proposal_json(*l, "");
    EXPECT_NE(json.find("\"pulse_ms\": 30,"), std::string::npos) << json;
    EXPECT_NE(json.find("\"pulses_per_coin\": 5,"), std::string::npos) << json;
    EXPECT_NE(json.find("\"coin_gap_ms\": 200,"), std::string::npos) << json;
}

TEST(LearnAnalysis, ActiveHighAndCoinSpecificCounts) {
    const auto e = train(hal::Level::high, 100ms, 100ms, 500ms, {2, 5, 10});
    const auto l = analyse(hal::Level::low, e, std::nullopt);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->active, hal::Level::high);
    EXPECT_EQ(l->pulses_per_coin, (std::vector<int>{2, 5, 10}));
    const auto json = proposal_json(*l, "");
    EXPECT_NE(json.find("\"active\": \"high\""), std::string::npos);
    EXPECT_EQ(json.find("pulses_per_coin"), std::string::npos) << "counts differ per coin";
}

TEST(LearnAnalysis, OnePulsePerCoinNeedsTheCoinCount) {
    const auto e = train(hal::Level::low, 50ms, 50ms, 400ms, {1, 1, 1, 1});
    const auto told = analyse(hal::Level::high, e, 4);
    ASSERT_TRUE(told);
    EXPECT_EQ(told->pulses_per_coin.size(), 4u);
    EXPECT_FALSE(told->gap);
    // Without the count, evenly spaced pulses are read as one coin.
    const auto guessed = analyse(hal::Level::high, e, std::nullopt);
    ASSERT_TRUE(guessed);
    EXPECT_EQ(guessed->pulses_per_coin, (std::vector<int>{4}));
}

TEST(LearnAnalysis, NoCompletePulseIsNothing) {
    EXPECT_FALSE(analyse(hal::Level::high, {}, 1));
    EXPECT_FALSE(analyse(hal::Level::high, {{hal::Level::low, hal::TimePoint{1s}}}, 1));
}

TEST(LearnAnalysis, ProposalNamesAMatchingProfile) {
    const auto l = analyse(hal::Level::high, train(hal::Level::low, 50ms, 50ms, 400ms, {2}), 1);
    ASSERT_TRUE(l);
    EXPECT_NE(
        proposal_json(*l, "pulse-50ms-active-low").find(R"("profile": "pulse-50ms-active-low")"),
        std::string::npos);
}

}  // namespace
}  // namespace cashbridge::tools
