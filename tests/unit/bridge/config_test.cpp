// Config: the shipped examples are valid, and every mistake names the field to fix.
#include "cashbridge/bridge/config.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>

namespace cashbridge::bridge {
namespace {

const std::filesystem::path config_dir = std::filesystem::path(CASHBRIDGE_SOURCE_DIR) / "config";

std::string read(const std::filesystem::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// The sim example with one substring replaced, parsed against the config dir.
std::vector<std::string> problems_after(const std::string& from, const std::string& to) {
    auto text = read(config_dir / "sim.json");
    const auto at = text.find(from);
    if (at == std::string::npos) throw std::logic_error("test text not found: " + from);
    text.replace(at, from.size(), to);
    try {
        parse_config(text, config_dir);
    } catch (const ConfigError& e) {
        return e.problems();
    }
    return {};
}

TEST(Config, SimExampleIsValid) {
    const auto c = load_config(config_dir / "sim.json");
    EXPECT_EQ(c.machine_id, "vend-0042");
    EXPECT_EQ(c.payment.price, 200);
    EXPECT_EQ(c.acceptor.unit(), 10);
    EXPECT_EQ(c.acceptor.coins.size(), 1u);
    EXPECT_EQ(c.acceptor.coins[0].line.name, "coin");
    ASSERT_TRUE(c.acceptor.inhibit);
    EXPECT_GE(c.payment.key.size(), 16u);
    EXPECT_EQ(c.acceptor.pulse_tolerance, std::chrono::milliseconds(10));  // a fifth of 50 ms
}

TEST(Config, RaspberryPiExampleIsValidGivenItsKey) {
    auto text = read(config_dir / "raspberry-pi.json");
    const std::string key_path = "/etc/cashbridge/key";
    text.replace(text.find(key_path), key_path.size(), (config_dir / "demo.key").string());
    const auto c = parse_config(text, config_dir);
    EXPECT_EQ(c.hal.backend, HalBackend::gpiod);
    EXPECT_EQ(c.acceptor.coins[0].line.offset, 17u);
    EXPECT_EQ(c.acceptor.coins[0].line.drive, hal::Drive::open_drain);
    EXPECT_EQ(c.payment.price_mode, PriceMode::open);
}

struct BadField {
    const char* legend;
    const char* from;
    const char* to;
    const char* expected_problem;
};

class ConfigErrors : public testing::TestWithParam<BadField> {};

TEST_P(ConfigErrors, NameTheFieldAndWhatIsAllowed) {
    const auto& p = GetParam();
    const auto problems = problems_after(p.from, p.to);
    ASSERT_FALSE(problems.empty()) << p.legend << ": config was accepted";
    bool found = false;
    for (const auto& s : problems) found |= s.find(p.expected_problem) != std::string::npos;
    EXPECT_TRUE(found) << p.legend << ": got " << testing::PrintToString(problems);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ConfigErrors,
    testing::Values(
        BadField{"currency", R"("currency": "EUR")", R"("currency": "eu")",
                 R"(payment.currency: expected a 3-letter ISO 4217 code, got "eu")"},
        BadField{"machine id missing", R"("id": "vend-0042", )", "",
                 "machine.id: required, missing"},
        BadField{"machine id with a slash", R"("id": "vend-0042")", R"("id": "vend/42")",
                 "machine.id: use 1-64"},
        BadField{"typo", R"("pulse_ms": 50)", R"("pulse_msec": 50)",
                 "acceptor.pulse_msec: unknown field"},
        BadField{"negative width", R"("pulse_ms": 50)", R"("pulse_ms": -5)",
                 "acceptor.pulse_ms: expected a whole number from 1 to 10000, got -5"},
        BadField{"fractional width", R"("pulse_ms": 50)", R"("pulse_ms": 50.5)",
                 "acceptor.pulse_ms: expected a whole number"},
        BadField{"tolerance as wide as the pulse", R"("pulse_ms": 50)",
                 R"("pulse_ms": 50, "pulse_tolerance_ms": 50)",
                 "acceptor.pulse_tolerance_ms: must be less than pulse_ms"},
        BadField{"protocol", R"("protocol": "pulse")", R"("protocol": "serial")",
                 R"(acceptor.protocol: expected one of "pulse", "parallel", got "serial")"},
        BadField{"price not payable", R"("amount": 200)", R"("amount": 205)",
                 "payment.price.amount: not a multiple of the smallest amount the acceptor can "
                 "credit (10)"},
        BadField{"empty key file", R"("key_file": "demo.key")", R"("key_file": "")",
                 "payment.key_file: required, got an empty string"},
        BadField{"empty machine id", R"("id": "vend-0042")", R"("id": "")",
                 "machine.id: required, got an empty string"},
        BadField{"duplicate field", R"("pulse_ms": 50)", R"("pulse_ms": 50, "pulse_ms": 60)",
                 "acceptor.pulse_ms: appears twice"},
        BadField{"key file", R"("key_file": "demo.key")", R"("key_file": "missing.key")",
                 "payment.key_file: cannot read"},
        BadField{"broker scheme", R"("broker": "tcp://127.0.0.1:1883")", R"("broker": "127.0.0.1")",
                 "mqtt.broker: expected tcp://HOST:PORT"},
        BadField{"template", "s={session}&", "", "payment.qr_url_template: must contain {session}"},
        BadField{"gpiod needs offsets", R"("backend": "sim")", R"("backend": "gpiod")",
                 "acceptor.line: required section, missing"},
        BadField{"parallel coins", R"("protocol": "pulse")",
                 R"("protocol": "parallel", "coins": [{"value": 20}, {"value": 50}])",
                 "acceptor.coins: coin value 50 is not a multiple of the smallest coin value 20"},
        BadField{"coin_return debounce", R"("inhibit": { "active": "low" })",
                 R"("inhibit": { "active": "low" }, "coin_return": { "debounce_ms": 5000 })",
                 "acceptor.coin_return.debounce_ms: expected a whole number from 0 to 1000, got "
                 "5000"},
        BadField{"realtime priority", R"("log": {)", R"("realtime": { "priority": 100 }, "log": {)",
                 "realtime.priority: expected a whole number from 0 to 99, got 100"},
        BadField{
            "display", R"("backend": "png")", R"("backend": "lcd")",
            R"(display.backend: expected one of "png", "framebuffer", "terminal", "none", got "lcd")"}),
    [](const auto& info) {
        std::string n = info.param.legend;
        for (auto& ch : n)
            if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
        return n;
    });

TEST(Config, InputLinesAndRealtimeDefaults) {
    auto c = load_config(config_dir / "sim.json");
    EXPECT_EQ(c.acceptor.inhibit_debounce, std::chrono::milliseconds(5));
    EXPECT_FALSE(c.acceptor.coin_return);
    EXPECT_EQ(c.acceptor.coins[0].field, "acceptor.line");
    EXPECT_EQ(c.realtime.priority, 50);
    EXPECT_TRUE(c.realtime.lock_memory);

    auto text = read(config_dir / "sim.json");
    const std::string inhibit = R"("inhibit": { "active": "low" })";
    text.replace(text.find(inhibit), inhibit.size(),
                 R"("inhibit": { "active": "low", "debounce_ms": 20 },)"
                 R"( "coin_return": { "active": "high", "offset": 5, "debounce_ms": 0 })");
    c = parse_config(text, config_dir);
    EXPECT_EQ(c.acceptor.inhibit_debounce, std::chrono::milliseconds(20));
    ASSERT_TRUE(c.acceptor.coin_return);
    EXPECT_EQ(c.acceptor.coin_return->name, "coin_return");
    EXPECT_EQ(c.acceptor.coin_return->offset, 5u);
    EXPECT_EQ(c.acceptor.coin_return_active, hal::Level::high);
    EXPECT_EQ(c.acceptor.coin_return_debounce, std::chrono::milliseconds(0));
}

TEST(Config, ParallelCoinLinesKeepTheirFieldPathAfterSorting) {
    auto text = read(config_dir / "sim.json");
    const std::string from = R"("protocol": "pulse")";
    text.replace(text.find(from), from.size(),
                 R"("protocol": "parallel", "coins": [{"value": 10}, {"value": 50}])");
    const std::string value = R"("pulse_value": 10,)";
    text.erase(text.find(value), value.size());
    const auto c = parse_config(text, config_dir);
    ASSERT_EQ(c.acceptor.coins.size(), 2u);
    EXPECT_EQ(c.acceptor.coins[0].value, 50);  // largest first
    EXPECT_EQ(c.acceptor.coins[0].field, "acceptor.coins[1]");
    EXPECT_EQ(c.acceptor.coins[1].field, "acceptor.coins[0]");
}

TEST(Config, NotJsonSaysWhere) {
    try {
        parse_config("{ \"machine\": ", config_dir);
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("not a JSON object"), std::string::npos);
    }
}

TEST(Config, EveryProblemIsReportedAtOnce) {
    const auto problems =
        problems_after(R"("currency": "EUR")", R"("currency": "eu", "currency_exponent": 9)");
    ASSERT_EQ(problems.size(), 2u) << testing::PrintToString(problems);
    EXPECT_EQ(problems[0].rfind("payment.currency:", 0), 0u);
    EXPECT_EQ(problems[1].rfind("payment.currency_exponent:", 0), 0u);
}

}  // namespace
}  // namespace cashbridge::bridge
