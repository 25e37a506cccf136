// Control commands and CLI parsing; the machine side end to end through both sockets.
#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>
#include <thread>

#include "cashbridge/sim/control_server.hpp"
#include "cashbridge/sim/ctl_client.hpp"
#include "cashbridge/sim/json.hpp"
#include "cashbridge/sim/options.hpp"
#include "cashbridge/sim/simulator.hpp"
#include "sim_test_support.hpp"

namespace cashbridge::sim {
namespace {

using test::Peer;

TEST(ParseCommand, VerbWordsAndArgs) {
    const auto c = parse_command("  pay amount=200 variant=forged extra =x");
    EXPECT_EQ(c.verb, "pay");
    EXPECT_EQ(c.args.at("amount"), "200");
    EXPECT_EQ(c.args.at("variant"), "forged");
    EXPECT_EQ(c.words, (std::vector<std::string>{"extra", "=x"}));
    EXPECT_TRUE(parse_command("   ").verb.empty());
}

TEST(ParseArgs, SimCtlHelpAndErrors) {
    const auto o =
        std::get<SimOptions>(parse_args({"--profile", "p.json", "--lines=/tmp/l", "--broker",
                                         "tcp://h:1", "--machine", "m1", "--key", "k"}));
    EXPECT_EQ(o.lines, "/tmp/l");
    EXPECT_EQ(o.client_id, "cashbridge-sim-m1");
    EXPECT_EQ(o.currency, "EUR");
    const auto ctl =
        std::get<CtlOptions>(parse_args({"ctl", "--control", "/c", "wait", "counted=5"}));
    EXPECT_EQ(ctl.words, (std::vector<std::string>{"wait", "counted=5"}));
    EXPECT_TRUE(std::holds_alternative<ShowHelp>(parse_args({"--help"})));
    for (const auto& bad : std::vector<std::vector<std::string>>{
             {},
             {"--profile", "p"},
             {"--profile", "p", "--lines"},
             {"--profile", "p", "--lines", "l", "--bogus", "x"},
             {"--profile", "p", "--lines", "l", "stray"},
             {"--profile", "p", "--lines", "l", "--broker", "tcp://h:1"},
             {"--profile", "p", "--lines", "l", "--machine", "m"},
             {"--profile", "p", "--lines", "l", "--currency", "EURO"},
             {"ctl", "status"},
             {"ctl", "--control", "/c"}}) {
        EXPECT_TRUE(std::holds_alternative<UsageError>(parse_args(bad))) << bad.size();
    }
}

/// The simulator's loop on a thread, stopped through a pipe standing in for the signalfd.
class SimulatorTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(::pipe(stop_), 0);
        SimOptions o;
        o.lines = dir / "lines.sock";
        o.control = dir / "ctl.sock";
        o.vcd = dir / "out.vcd";
        sim_ = std::make_unique<Simulator>(
            o, parse_profile(R"({"protocol":"pulse","coin_lines":{"coin":10},
                "width_ms":{"min":40,"max":60},"inhibit_line":"inhibit"})"),
            nullptr);
        thread_ = std::thread([this] { sim_->run(stop_[0]); });
    }
    void TearDown() override {
        [[maybe_unused]] auto n = ::write(stop_[1], "x", 1);
        thread_.join();
        ::close(stop_[0]);
        ::close(stop_[1]);
    }
    Json ctl(const std::string& request) {
        Peer c(dir / "ctl.sock");
        c.send(request + "\n");
        return json_parse(c.read_line(5000));
    }
    static bool ok(const Json& j) { return cJSON_IsTrue(cJSON_GetObjectItem(j.get(), "ok")); }
    static double num(const Json& j, const char* k) {
        return cJSON_GetNumberValue(cJSON_GetObjectItem(j.get(), k));
    }

    test::TempDir dir;
    int stop_[2] = {-1, -1};
    std::unique_ptr<Simulator> sim_;
    std::thread thread_;
};

TEST_F(SimulatorTest, PulsesAreCountedAndWaitAnswers) {
    Peer coin(dir / "lines.sock");
    coin.send("CLAIM coin out 1\n");
    ASSERT_EQ(coin.read_line().substr(0, 3), "OK ");
    // A waiter blocks while pulses arrive on another connection.
    Peer waiter(dir / "ctl.sock");
    waiter.send("wait counted=20 timeout_ms=5000\n");
    const std::int64_t ms = 1'000'000, t = monotonic_ns();
    coin.send("SET 0 " + std::to_string(t) + "\nSET 1 " + std::to_string(t + 50 * ms) + "\n");
    coin.send("SET 0 " + std::to_string(t + 100 * ms) + "\nSET 1 " + std::to_string(t + 150 * ms) +
              "\n");
    auto reply = json_parse(waiter.read_line(5000));
    ASSERT_TRUE(reply);
    EXPECT_TRUE(ok(reply));
    EXPECT_EQ(num(reply, "counted"), 20);
    EXPECT_EQ(num(reply, "pulses"), 2);
    const cJSON* line = cJSON_GetObjectItem(cJSON_GetObjectItem(reply.get(), "lines"), "coin");
    EXPECT_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(line, "claimed")));

    auto timeout = ctl("wait counted=30 timeout_ms=50");
    EXPECT_FALSE(ok(timeout));
    EXPECT_STREQ(cJSON_GetStringValue(cJSON_GetObjectItem(timeout.get(), "error")), "timeout");
    EXPECT_EQ(num(timeout, "counted"), 20);

    EXPECT_TRUE(ok(ctl("reset")));
    EXPECT_EQ(num(ctl("status"), "counted"), 0);
}

TEST_F(SimulatorTest, InhibitDrivesTheInputLine) {
    Peer inhibit(dir / "lines.sock");
    inhibit.send("CLAIM inhibit in\n");
    ASSERT_EQ(inhibit.read_line().substr(0, 5), "OK 1 ");
    EXPECT_TRUE(ok(ctl("inhibit on")));
    EXPECT_EQ(inhibit.read_line().substr(0, 7), "EDGE 0 ");
    EXPECT_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(ctl("status").get(), "inhibit")));
    EXPECT_TRUE(ok(ctl("inhibit off")));
    EXPECT_EQ(inhibit.read_line().substr(0, 7), "EDGE 1 ");
}

TEST_F(SimulatorTest, BadCommandsGetErrorReplies) {
    for (const char* bad : {"", "frob", "status now", "inhibit maybe", "wait", "wait counted=x",
                            "wait counted=1 report=p", "wait session", "pay", "republish",
                            "wait counted=1 timeout_ms=-3", "reset please"}) {
        SCOPED_TRACE(bad);
        auto j = ctl(bad);
        ASSERT_TRUE(j);
        EXPECT_FALSE(ok(j));
        EXPECT_TRUE(cJSON_IsString(cJSON_GetObjectItem(j.get(), "error")));
    }
    EXPECT_TRUE(ok(ctl("status")));  // still alive
}

TEST_F(SimulatorTest, CtlClientExitStatus) {
    std::ostringstream out, err;
    EXPECT_EQ(run_ctl({dir / "ctl.sock", {"status"}}, out, err), 0);
    EXPECT_EQ(out.str().rfind("{\"ok\":true", 0), 0u);
    EXPECT_EQ(run_ctl({dir / "ctl.sock", {"frob"}}, out, err), 1);
    EXPECT_EQ(run_ctl({dir / "missing.sock", {"status"}}, out, err), 1);
}

}  // namespace
}  // namespace cashbridge::sim
