// Pulse decoder tables: tolerance edges, gaps, polarity and parallel coin values.
#include "cashbridge/sim/pulse_decoder.hpp"

#include <gtest/gtest.h>

#include "cashbridge/sim/machine.hpp"

namespace cashbridge::sim {
namespace {

constexpr std::int64_t ms = 1'000'000;

Profile pulse_profile(Polarity active = Polarity::active_low) {
    Profile p;
    p.protocol = Protocol::pulse;
    p.active = active;
    p.coin_lines = {{"coin", 10}};
    p.width_min_ns = 40 * ms;
    p.width_max_ns = 60 * ms;
    p.gap_min_ns = 40 * ms;
    return p;
}

Profile parallel_profile() {
    Profile p = pulse_profile();
    p.protocol = Protocol::parallel;
    p.coin_lines = {
        {"coin_10", 10}, {"coin_20", 20}, {"coin_50", 50}, {"coin_100", 100}, {"coin_200", 200}};
    return p;
}

/// An active pulse on `line` from `start` for `width` (ns).
struct Pulse {
    std::string line;
    std::int64_t start;
    std::int64_t width;
};

struct Case {
    std::string name;
    Profile profile;
    std::vector<Pulse> pulses;
    std::int64_t counted;
    std::vector<std::optional<PulseFault>> results;  // nullopt = credited
};

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.name;
}

class DecoderTable : public ::testing::TestWithParam<Case> {};

TEST_P(DecoderTable, CountsAndJudgesEveryPulse) {
    const Case& c = GetParam();
    Machine m(c.profile);
    const int act = active_level(c.profile.active);
    std::vector<std::optional<PulseFault>> got;
    // Edges are fed in time order, as the line server delivers them.
    std::vector<std::tuple<std::int64_t, std::string, int>> edges;
    for (const auto& p : c.pulses) {
        edges.emplace_back(p.start, p.line, act);
        edges.emplace_back(p.start + p.width, p.line, 1 - act);
    }
    std::stable_sort(edges.begin(), edges.end(),
                     [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
    for (const auto& [t, line, level] : edges) {
        if (auto r = m.on_coin_level(line, level, t)) {
            if (const auto* e = std::get_if<PulseError>(&*r))
                got.push_back(e->fault);
            else
                got.push_back(std::nullopt);
        }
    }
    EXPECT_EQ(m.counted(), c.counted);
    EXPECT_EQ(got, c.results);
    std::size_t errors = 0;
    for (const auto& r : c.results) errors += r.has_value();
    EXPECT_EQ(m.errors(), static_cast<std::int64_t>(errors));
    EXPECT_EQ(m.error_log().size(), errors);
}

const auto ok = std::optional<PulseFault>{};
const auto too_short = std::optional<PulseFault>{PulseFault::too_short};
const auto too_long = std::optional<PulseFault>{PulseFault::too_long};
const auto gap = std::optional<PulseFault>{PulseFault::gap_too_short};
const auto overlap = std::optional<PulseFault>{PulseFault::overlap};

INSTANTIATE_TEST_SUITE_P(
    Widths, DecoderTable,
    ::testing::Values(
        Case{"exact_50ms", pulse_profile(), {{"coin", 0, 50 * ms}}, 10, {ok}},
        Case{"at_min", pulse_profile(), {{"coin", 0, 40 * ms}}, 10, {ok}},
        Case{"at_max", pulse_profile(), {{"coin", 0, 60 * ms}}, 10, {ok}},
        Case{"just_below_min", pulse_profile(), {{"coin", 0, 40 * ms - 1}}, 0, {too_short}},
        Case{"just_above_max", pulse_profile(), {{"coin", 0, 60 * ms + 1}}, 0, {too_long}},
        Case{"glitch", pulse_profile(), {{"coin", 0, 100'000}}, 0, {too_short}},
        Case{"three_coins",
             pulse_profile(),
             {{"coin", 0, 50 * ms}, {"coin", 100 * ms, 50 * ms}, {"coin", 200 * ms, 50 * ms}},
             30,
             {ok, ok, ok}},
        Case{"gap_at_min",
             pulse_profile(),
             {{"coin", 0, 50 * ms}, {"coin", 90 * ms, 50 * ms}},
             20,
             {ok, ok}},
        Case{"gap_just_short",
             pulse_profile(),
             {{"coin", 0, 50 * ms}, {"coin", 90 * ms - 1, 50 * ms}},
             10,
             {ok, gap}},
        Case{"error_then_recovery",
             pulse_profile(),
             {{"coin", 0, 10 * ms}, {"coin", 60 * ms, 50 * ms}},
             10,
             {too_short, ok}},
        Case{"active_high",
             pulse_profile(Polarity::active_high),
             {{"coin", 0, 50 * ms}, {"coin", 100 * ms, 70 * ms}},
             10,
             {ok, too_long}}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Parallel, DecoderTable,
    ::testing::Values(Case{"each_line_counts_its_coin",
                           parallel_profile(),
                           {{"coin_200", 0, 50 * ms},
                            {"coin_50", 100 * ms, 50 * ms},
                            {"coin_20", 200 * ms, 50 * ms},
                            {"coin_10", 300 * ms, 50 * ms},
                            {"coin_100", 400 * ms, 50 * ms}},
                           380,
                           {ok, ok, ok, ok, ok}},
                      // The controller sees one coin input: the gap is measured across lines.
                      Case{"gap_across_lines",
                           parallel_profile(),
                           {{"coin_200", 0, 50 * ms}, {"coin_50", 60 * ms, 50 * ms}},
                           200,
                           {ok, gap}},
                      Case{"overlapping_lines",
                           parallel_profile(),
                           {{"coin_200", 0, 50 * ms}, {"coin_50", 20 * ms, 50 * ms}},
                           0,
                           {overlap, overlap}}),
    [](const auto& info) { return info.param.name; });

TEST(PulseDecoder, IgnoresRepeatedLevelsAndUnknownLines) {
    PulseDecoder d(pulse_profile());
    EXPECT_FALSE(d.on_level("coin", 1, 0));  // already inactive
    EXPECT_FALSE(d.on_level("other", 0, 0));
    EXPECT_FALSE(d.on_level("coin", 0, 0));
    EXPECT_TRUE(d.active("coin"));
    EXPECT_FALSE(d.on_level("coin", 0, 10 * ms));  // still active: no new pulse
    auto r = d.on_level("coin", 1, 50 * ms);
    ASSERT_TRUE(r);
    EXPECT_EQ(std::get<ValidPulse>(*r).width_ns, 50 * ms);
}

TEST(PulseDecoder, ErrorTextHasMeasuredWidthAndGap) {
    Machine m(pulse_profile());
    m.on_coin_level("coin", 0, 0);
    m.on_coin_level("coin", 1, 50 * ms);
    m.on_coin_level("coin", 0, 60 * ms);
    m.on_coin_level("coin", 1, 110 * ms);
    ASSERT_EQ(m.error_log().size(), 1u);
    EXPECT_EQ(m.error_log()[0],
              "coin: gap_too_short: width 50.000 ms, gap 10.000 ms < min 40.000 ms");
}

TEST(Machine, ResetClearsCountersButNotAPulseInProgress) {
    Machine m(pulse_profile());
    m.on_coin_level("coin", 0, 0);
    m.on_coin_level("coin", 1, 50 * ms);
    m.on_coin_level("coin", 0, 100 * ms);
    m.reset();
    EXPECT_EQ(m.counted(), 0);
    m.on_coin_level("coin", 1, 150 * ms);
    EXPECT_EQ(m.counted(), 10);
}

}  // namespace
}  // namespace cashbridge::sim
