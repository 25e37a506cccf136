// Shared machine profiles (profiles/): the sim derives the controller's tolerances and the
// real acceptor's outputs from the daemon's acceptor fields, and plays inserted coins.
#include <gtest/gtest.h>

#include <filesystem>
#include <variant>

#include "cashbridge/sim/acceptor_player.hpp"
#include "cashbridge/sim/profile.hpp"
#include "cashbridge/sim/pulse_decoder.hpp"

namespace cashbridge::sim {
namespace {

const std::filesystem::path shared = CASHBRIDGE_SHARED_PROFILES;
constexpr std::int64_t ms = 1'000'000;

TEST(SharedProfile, EveryShippedProfileLoads) {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(shared)) {
        if (e.path().extension() != ".json") continue;
        SCOPED_TRACE(e.path().string());
        const auto p = load_profile(e.path().string());
        ASSERT_TRUE(p.acceptor);
        EXPECT_EQ(p.inhibit_line, "inhibit");
        EXPECT_EQ(p.acceptor->lines.size(), p.coin_lines.size());
        ++n;
    }
    EXPECT_GE(n, 5);
}

TEST(SharedProfile, TolerancesComeFromTheAcceptorFields) {
    const auto p = load_profile((shared / "pulse-100ms-active-low.json").string());
    EXPECT_EQ(p.protocol, Protocol::pulse);
    EXPECT_EQ(p.width_min_ns, 80 * ms);
    EXPECT_EQ(p.width_max_ns, 120 * ms);
    EXPECT_EQ(p.gap_min_ns, 80 * ms);
    ASSERT_EQ(p.coin_lines.size(), 1u);
    EXPECT_EQ(p.coin_lines[0].name, "coin");
    EXPECT_EQ(p.coin_lines[0].value, 10);
    EXPECT_EQ(p.acceptor->lines[0].name, "cash_in");
    const auto par = load_profile((shared / "parallel-6-line.json").string());
    EXPECT_EQ(par.coin_lines.back().name, "coin_200");
    EXPECT_EQ(par.acceptor->lines.back().name, "cash_in_200");
}

TEST(SharedProfile, EachCoinChannelIsJudgedAndPlayedAtItsOwnWidth) {
    const auto p = load_profile((shared / "parallel-coin-widths.json").string());
    EXPECT_EQ(p.widths_of("coin_10"), std::make_pair(20 * ms, 30 * ms));
    EXPECT_EQ(p.widths_of("coin_200"), std::make_pair(95 * ms, 105 * ms));
    EXPECT_EQ(p.gap_min_ns, 95 * ms);
    PulseDecoder d(p);
    // A 50 ms pulse is a coin on the 50 channel and refused on the 10 and 200 channels.
    d.on_level("coin_50", 0, 0);
    EXPECT_TRUE(std::holds_alternative<ValidPulse>(*d.on_level("coin_50", 1, 50 * ms)));
    d.on_level("coin_10", 0, 200 * ms);
    const auto too_long = d.on_level("coin_10", 1, 250 * ms);
    ASSERT_TRUE(std::holds_alternative<PulseError>(*too_long));
    EXPECT_EQ(std::get<PulseError>(*too_long).fault, PulseFault::too_long);
    EXPECT_NE(std::get<PulseError>(*too_long).describe(p).find("> max 30.000 ms"),
              std::string::npos);
    d.on_level("coin_200", 0, 400 * ms);
    const auto too_short = d.on_level("coin_200", 1, 450 * ms);
    ASSERT_TRUE(std::holds_alternative<PulseError>(*too_short));
    EXPECT_EQ(std::get<PulseError>(*too_short).fault, PulseFault::too_short);
    d.on_level("coin_200", 0, 600 * ms);
    EXPECT_TRUE(std::holds_alternative<ValidPulse>(*d.on_level("coin_200", 1, 700 * ms)));

    // The real acceptor plays each inserted coin at its channel's width.
    AcceptorPlayer player(*p.acceptor);
    player.insert({10, 200}, 0);
    const auto edges = player.due(10'000 * ms);
    ASSERT_EQ(edges.size(), 4u);
    EXPECT_EQ(edges[1].t_ns - edges[0].t_ns, 25 * ms);
    EXPECT_EQ(edges[1].line, "cash_in_10");
    EXPECT_EQ(edges[3].t_ns - edges[2].t_ns, 100 * ms);
    EXPECT_EQ(edges[3].line, "cash_in_200");
}

TEST(SharedProfile, BadFieldsAreNamed) {
    try {
        parse_profile(
            R"({"acceptor": {"pulse_ms": 20, "gap_ms": 20, "tolerance_ms": 25, "pulse_value": 10}})");
        FAIL();
    } catch (const ProfileError& e) {
        EXPECT_EQ(e.field(), "acceptor.tolerance_ms");
    }
    try {
        parse_profile(R"({"acceptor": {"pulse_ms": 20}})");
        FAIL();
    } catch (const ProfileError& e) {
        EXPECT_EQ(e.field(), "acceptor.pulse_value");
    }
    try {
        parse_profile(R"({"acceptor": {"protocol": "parallel", "tolerance_ms": 5,
                          "coins": [{"value": 10, "pulse_ms": 0}]}})");
        FAIL();
    } catch (const ProfileError& e) {
        EXPECT_EQ(e.field(), "acceptor.coins[].pulse_ms");
    }
    try {  // the tolerance must stay under the shortest channel's pulse
        parse_profile(R"({"acceptor": {"protocol": "parallel", "tolerance_ms": 5,
                          "coins": [{"value": 10, "pulse_ms": 5}, {"value": 20}]}})");
        FAIL();
    } catch (const ProfileError& e) {
        EXPECT_EQ(e.field(), "acceptor.tolerance_ms");
    }
}

TEST(AcceptorPlayer, CoinsBecomePulseTrainsWithTheCoinGapBetween) {
    const auto p = load_profile((shared / "pulse-train-30ms.json").string());
    AcceptorPlayer player(*p.acceptor);
    const auto until = player.insert({20, 10}, 1000 * ms);
    // 20: two pulses 30 ms wide, 30 ms apart; then 200 ms; then 10: one pulse.
    const std::vector<std::pair<std::int64_t, int>> expected = {{1000, 0}, {1030, 1}, {1060, 0},
                                                                {1090, 1}, {1290, 0}, {1320, 1}};
    EXPECT_EQ(until, 1320 * ms);
    const auto edges = player.due(until);
    ASSERT_EQ(edges.size(), expected.size());
    for (std::size_t i = 0; i < edges.size(); ++i) {
        EXPECT_EQ(edges[i].t_ns, expected[i].first * ms) << i;
        EXPECT_EQ(edges[i].level, expected[i].second) << i;
        EXPECT_EQ(edges[i].line, "cash_in");
    }
    EXPECT_FALSE(player.next_ns());
}

TEST(AcceptorPlayer, RefusesWhatTheAcceptorCannotSignal) {
    const auto p = load_profile((shared / "pulse-50ms-active-low.json").string());
    AcceptorPlayer player(*p.acceptor);
    EXPECT_THROW(player.insert({10, 15}, 0), std::invalid_argument);
    EXPECT_EQ(player.pending(), 0u) << "nothing of a refused command is queued";
    const auto par = load_profile((shared / "parallel-6-line.json").string());
    AcceptorPlayer parallel(*par.acceptor);
    EXPECT_THROW(parallel.insert({30}, 0), std::invalid_argument);
    parallel.insert({50}, 0);
    EXPECT_EQ(parallel.due(1'000 * ms).at(0).line, "cash_in_50");
}

}  // namespace
}  // namespace cashbridge::sim
