// Machine profiles: every shipped profile makes a valid config, the config's own fields win,
// and mistakes name the field and the profile they came from.
#include "cashbridge/bridge/profiles.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "cashbridge/bridge/config.hpp"

namespace cashbridge::bridge {
namespace {

namespace fs = std::filesystem;
const fs::path source_dir = CASHBRIDGE_SOURCE_DIR;
const fs::path config_dir = source_dir / "config";

std::string read(const fs::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// config/sim.json with its acceptor section replaced by `acceptor` (JSON object text).
std::string sim_with_acceptor(const std::string& acceptor, const std::string& backend = "sim") {
    auto text = read(config_dir / "sim.json");
    const auto start = text.find("\"acceptor\": {") + 12;
    int depth = 0;
    auto end = start;
    do {
        depth += text[end] == '{' ? 1 : text[end] == '}' ? -1 : 0;
        ++end;
    } while (depth > 0);
    text.replace(start, end - start, acceptor);
    text.replace(text.find("\"fixed\", \"amount\": 200"), 22, "\"open\"");
    if (backend != "sim")
        text.replace(text.find("\"backend\": \"sim\""), 16, "\"backend\": \"" + backend + "\"");
    return text;
}

std::vector<std::string> problems_of(const std::string& text, const fs::path& dir = config_dir) {
    try {
        parse_config(text, dir);
    } catch (const ConfigError& e) {
        return e.problems();
    }
    return {};
}

bool has_problem(const std::vector<std::string>& problems, const std::string& text) {
    for (const auto& p : problems)
        if (p.find(text) != std::string::npos) return true;
    return false;
}

TEST(Profiles, EveryShippedProfileMakesAValidConfig) {
    const auto names = available_profiles({source_dir / "profiles"});
    ASSERT_GE(names.size(), 5u);
    for (const auto& name : names) {
        SCOPED_TRACE(name);
        const auto c =
            parse_config(sim_with_acceptor(R"({"profile": ")" + name + "\"}"), config_dir);
        EXPECT_EQ(c.acceptor.profile, name);
        EXPECT_FALSE(c.acceptor.coins.empty());
        EXPECT_LT(c.acceptor.tolerance, c.acceptor.pulse_width);
    }
}

TEST(Profiles, FieldsComeFromTheProfileAndTheConfigWins) {
    const auto c = parse_config(
        sim_with_acceptor(R"({"profile": "pulse-100ms-active-low", "gap_ms": 150})"), config_dir);
    EXPECT_EQ(c.acceptor.pulse_width, std::chrono::milliseconds(100));
    EXPECT_EQ(c.acceptor.pulse_gap, std::chrono::milliseconds(150));
    EXPECT_EQ(c.acceptor.tolerance, std::chrono::milliseconds(20));
    EXPECT_EQ(c.acceptor.coins.at(0).line.drive, hal::Drive::open_drain);
    EXPECT_EQ(c.acceptor.unit(), 10);
}

TEST(Profiles, UnknownNameListsTheAvailableOnes) {
    const auto p = problems_of(sim_with_acceptor(R"({"profile": "pulse-9ms"})"));
    EXPECT_TRUE(has_problem(p, R"(acceptor.profile: no profile "pulse-9ms"; available: )"))
        << testing::PrintToString(p);
    EXPECT_TRUE(has_problem(p, "pulse-100ms-active-low")) << testing::PrintToString(p);
}

TEST(Profiles, AProfileByPathAndItsBadFieldsAreBlamedOnIt) {
    const auto dir =
        fs::temp_directory_path() / ("cashbridge-profile-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    fs::copy_file(config_dir / "demo.key", dir / "demo.key", fs::copy_options::overwrite_existing);
    std::ofstream(dir / "odd.json") << R"({"acceptor": {"pulse_ms": 0, "pulse_value": 10}})";
    const auto p = problems_of(sim_with_acceptor(R"({"profile": "odd.json"})"), dir);
    fs::remove_all(dir);
    EXPECT_TRUE(has_problem(p,
                            "acceptor.pulse_ms: expected a whole number from 1 to 10000, got 0 "
                            "(from profile \"odd.json\""))
        << testing::PrintToString(p);
}

TEST(Profiles, GpiodNeedsTheMachinesOwnCoinLines) {
    const auto p = problems_of(sim_with_acceptor(R"({"profile": "parallel-6-line"})", "gpiod"));
    EXPECT_TRUE(has_problem(p,
                            "acceptor.coins[0].offset: required, missing (from profile "
                            "\"parallel-6-line\""))
        << testing::PrintToString(p);
}

TEST(Profiles, CashInLinesFollowTheProtocol) {
    const auto pulse = parse_config(
        sim_with_acceptor(R"({"profile": "pulse-train-30ms", "cash_in": {}})"), config_dir);
    ASSERT_EQ(pulse.acceptor.cash_in.size(), 1u);
    EXPECT_EQ(pulse.acceptor.cash_in[0].line.name, "cash_in");
    EXPECT_EQ(pulse.acceptor.cash_in[0].value, 10);
    const auto parallel = parse_config(
        sim_with_acceptor(R"({"profile": "parallel-6-line", "cash_in": {"active": "high"}})"),
        config_dir);
    ASSERT_EQ(parallel.acceptor.cash_in.size(), 6u);
    EXPECT_EQ(parallel.acceptor.cash_in[0].line.name, "cash_in_200");
    EXPECT_EQ(parallel.acceptor.cash_in_active, hal::Level::high);
    const auto p = problems_of(sim_with_acceptor(
        R"({"profile": "parallel-6-line", "coins": [{"value": 50, "offset": 5}], "cash_in": {}})",
        "gpiod"));
    EXPECT_TRUE(has_problem(p, "acceptor.cash_in.coins: required with the gpiod backend"))
        << testing::PrintToString(p);
}

TEST(Profiles, ToleranceMustBeSmallerThanThePulse) {
    const auto p = problems_of(
        sim_with_acceptor(R"({"profile": "pulse-50ms-active-low", "tolerance_ms": 50})"));
    EXPECT_TRUE(has_problem(p, "acceptor.tolerance_ms: must be less than pulse_ms and gap_ms"))
        << testing::PrintToString(p);
}

TEST(Profiles, EachCoinChannelKeepsItsOwnWidth) {
    const auto c = parse_config(
        sim_with_acceptor(R"({"profile": "parallel-coin-widths", "cash_in": {}})"), config_dir);
    const auto& a = c.acceptor;
    std::vector<std::pair<std::int64_t, long>> widths;  // coins are sorted largest first
    for (const auto& coin : a.coins) widths.emplace_back(coin.value, a.width_of(coin).count());
    EXPECT_EQ(widths, (std::vector<std::pair<std::int64_t, long>>{
                          {200, 100}, {100, 75}, {50, 50}, {20, 40}, {10, 25}}));
    EXPECT_EQ(a.shortest_width(), std::chrono::milliseconds(25));
    // The tolerances default to a fifth of the shortest pulse, not of pulse_ms.
    EXPECT_EQ(a.pulse_tolerance, std::chrono::milliseconds(5));
    // The tapped channels (cash sales) are judged by the same per-coin widths.
    ASSERT_EQ(a.cash_in.size(), 5u);
    EXPECT_EQ(a.cash_in.back().line.name, "cash_in_10");
    EXPECT_EQ(a.cash_in.back().width, std::chrono::milliseconds(25));
}

TEST(Profiles, ATappedChannelInheritsItsCoinsWidth) {
    const auto c = parse_config(sim_with_acceptor(R"({"profile": "parallel-coin-widths",
        "cash_in": {"coins": [{"value": 10}, {"value": 200, "pulse_ms": 90}]}})"),
                                config_dir);
    ASSERT_EQ(c.acceptor.cash_in.size(), 2u);
    EXPECT_EQ(c.acceptor.cash_in[0].width, std::chrono::milliseconds(25));
    EXPECT_EQ(c.acceptor.cash_in[1].width, std::chrono::milliseconds(90));
}

TEST(Profiles, ATolerancePastTheShortestCoinPulseNamesIt) {
    const auto p = problems_of(sim_with_acceptor(
        R"({"profile": "parallel-coin-widths", "pulse_tolerance_ms": 30, "tolerance_ms": 26})"));
    EXPECT_TRUE(has_problem(p,
                            "acceptor.pulse_tolerance_ms: must be less than the shortest pulse, "
                            "25 ms (pulse_ms, coins[].pulse_ms)"))
        << testing::PrintToString(p);
    EXPECT_TRUE(
        has_problem(p, "acceptor.tolerance_ms: must be less than the shortest pulse, 25 ms"))
        << testing::PrintToString(p);
    const auto bad = problems_of(sim_with_acceptor(
        R"({"profile": "parallel-coin-widths", "coins": [{"value": 10, "pulse_ms": 0}]})"));
    EXPECT_TRUE(has_problem(bad, "acceptor.coins[0].pulse_ms: expected a whole number from 1"))
        << testing::PrintToString(bad);
}

}  // namespace
}  // namespace cashbridge::bridge
