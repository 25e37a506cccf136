// Control commands and CLI parsing; the machine side end to end through both sockets.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "cashbridge/sim/control_server.hpp"
#include "cashbridge/sim/ctl_client.hpp"
#include "cashbridge/sim/json.hpp"
#include "cashbridge/sim/options.hpp"
#include "cashbridge/sim/simulator.hpp"
#include "fake_bus.hpp"
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
    EXPECT_EQ(o.resend_ms, 1000);
    EXPECT_FALSE(o.persistent_session);
    const auto r = std::get<SimOptions>(
        parse_args({"--profile", "p", "--lines", "l", "--resend-ms", "0", "--persistent-session"}));
    EXPECT_EQ(r.resend_ms, 0);
    EXPECT_TRUE(r.persistent_session);
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
             {"--profile", "p", "--lines", "l", "--resend-ms", "-1"},
             {"--profile", "p", "--lines", "l", "--resend-ms", "1s"},
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
    /// The daemon's view of a sim input line: claimed, it sees EDGE 0 on `active_cmd` and
    /// EDGE 1 on `inactive_cmd` (the test profile's inputs are active low).
    void expect_command_drives(const std::string& line, const std::string& active_cmd,
                               const std::string& inactive_cmd) {
        SCOPED_TRACE(line);
        Peer daemon(dir / "lines.sock");
        daemon.send("CLAIM " + line + " in\n");
        ASSERT_EQ(daemon.read_line().substr(0, 5), "OK 1 ");
        EXPECT_TRUE(ok(ctl(active_cmd)));
        EXPECT_EQ(daemon.read_line().substr(0, 7), "EDGE 0 ");
        EXPECT_TRUE(ok(ctl(inactive_cmd)));
        EXPECT_EQ(daemon.read_line().substr(0, 7), "EDGE 1 ");
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

// A daemon killed mid-pulse: its connection closes while the coin line is active. The line
// floats back to inactive at that moment and the machine judges the truncated pulse on its
// width, as a real controller input would.
TEST_F(SimulatorTest, KilledMidPulseTruncatedPulseIsJudgedOnItsWidth) {
    const std::int64_t ms = 1'000'000;
    {
        Peer coin(dir / "lines.sock");
        coin.send("CLAIM coin out 1\n");
        ASSERT_EQ(coin.read_line().substr(0, 3), "OK ");
        coin.send("SET 0 " + std::to_string(monotonic_ns()) + "\n");
        coin.read_line(20);  // let the sim see the SET before the close
    }                        // killed ~20 ms into a 40-60 ms pulse: too short, no credit
    for (int i = 0; i < 200 && num(ctl("status"), "errors") < 1; ++i) ::usleep(5000);
    auto s = ctl("status");
    EXPECT_EQ(num(s, "errors"), 1);
    EXPECT_EQ(num(s, "counted"), 0);
    const cJSON* log = cJSON_GetObjectItem(s.get(), "error_log");
    ASSERT_EQ(cJSON_GetArraySize(log), 1);
    EXPECT_NE(std::string(cJSON_GetStringValue(cJSON_GetArrayItem(log, 0))).find("too_short"),
              std::string::npos);
    const cJSON* line = cJSON_GetObjectItem(cJSON_GetObjectItem(s.get(), "lines"), "coin");
    EXPECT_EQ(cJSON_GetNumberValue(cJSON_GetObjectItem(line, "level")), 1);  // reads inactive
    EXPECT_FALSE(cJSON_IsTrue(cJSON_GetObjectItem(line, "claimed")));

    ::usleep(100'000);  // the daemon restarts: well past the gap minimum
    {
        Peer coin(dir / "lines.sock");  // the restarted daemon
        coin.send("CLAIM coin out 1\n");
        ASSERT_EQ(coin.read_line().substr(0, 3), "OK ");
        // The pulse started 45 ms ago; killed now: its width is within [40, 60] ms.
        coin.send("SET 0 " + std::to_string(monotonic_ns() - 45 * ms) + "\n");
    }
    s = ctl("wait counted=10 timeout_ms=3000");
    EXPECT_TRUE(ok(s)) << json_print(cJSON_GetObjectItem(s.get(), "error_log"));
    EXPECT_EQ(num(s, "pulses"), 1);
    EXPECT_EQ(num(s, "errors"), 1);
}

TEST_F(SimulatorTest, InhibitDrivesTheInputLine) {
    expect_command_drives("inhibit", "inhibit on", "inhibit off");
    EXPECT_TRUE(ok(ctl("inhibit on")));
    EXPECT_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(ctl("status").get(), "inhibit")));
}

TEST_F(SimulatorTest, CoinReturnPressesAndReleasesTheButton) {
    expect_command_drives("coin_return", "coin_return press", "coin_return release");
    EXPECT_FALSE(ok(ctl("coin_return hold")));
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

/// The simulator with a payment side on a fake bus: pay, re-sends on the loop's timer,
/// the books in status, and `wait settled`.
class SimulatorBusTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_EQ(::pipe(stop_), 0);
        {
            std::ofstream key(dir / "key");
            key << "secret\n";
        }
        SimOptions o;
        o.lines = dir / "lines.sock";
        o.control = dir / "ctl.sock";
        o.machine = "m1";
        o.key_file = dir / "key";
        o.resend_ms = 50;
        sim_ = std::make_unique<Simulator>(
            o, parse_profile(R"({"protocol":"pulse","coin_lines":{"coin":10},
                "width_ms":{"min":40,"max":60}})"),
            &bus);
        thread_ = std::thread([this] { sim_->run(stop_[0]); });
        bus.deliver("cashbridge/v1/m1/up/session",
                    R"({"v":1,"type":"session.open","session":"s-1","amount":200,)"
                    R"("currency":"EUR","expires":1,"qr":"q"})");
        ASSERT_TRUE(ok(ctl("wait session timeout_ms=2000")));
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
    void credit(const std::string& json) { bus.deliver("cashbridge/v1/m1/up/credit", json); }
    static bool ok(const Json& j) { return cJSON_IsTrue(cJSON_GetObjectItem(j.get(), "ok")); }
    static double num(const cJSON* j, const char* k) {
        return cJSON_GetNumberValue(cJSON_GetObjectItem(j, k));
    }
    static const cJSON* payment(const Json& status, const std::string& id) {
        const cJSON* p = nullptr;
        cJSON_ArrayForEach(p, cJSON_GetObjectItem(status.get(), "payments")) {
            if (cJSON_GetStringValue(cJSON_GetObjectItem(p, "payment")) == id) return p;
        }
        return nullptr;
    }

    test::TempDir dir;
    test::FakeBus bus;
    int stop_[2] = {-1, -1};
    std::unique_ptr<Simulator> sim_;
    std::thread thread_;
};

TEST_F(SimulatorBusTest, ResendsOnTheLoopTimerUntilAcceptedAndWaitSettled) {
    const std::string down = "cashbridge/v1/m1/down/payment";
    auto pay = ctl("pay payment=p1 iat_age_s=100 exp_s=60");
    ASSERT_TRUE(ok(pay)) << json_print(pay.get());
    EXPECT_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(pay.get(), "resend")));
    ASSERT_TRUE(ok(ctl("pay payment=p-once resend=no amount=100")));
    ASSERT_TRUE(ok(ctl("pay payment=p-forged variant=forged")));
    // Nothing acknowledged by the broker: the first resend comes after 5 intervals.
    bus.confirm_all();
    for (int i = 0; i < 100 && bus.count(down) < 5; ++i) ::usleep(10'000);
    EXPECT_GE(bus.count(down), 5u);  // p1 re-sent, the others never
    const auto sent = bus.published();
    for (std::size_t i = 3; i < sent.size(); ++i) EXPECT_EQ(sent[i].payload, sent[0].payload);

    auto unsettled = ctl("wait settled timeout_ms=50");
    EXPECT_FALSE(ok(unsettled));
    EXPECT_EQ(num(unsettled.get(), "paid_total"), 300);
    EXPECT_EQ(num(unsettled.get(), "unsettled"), 2);

    Peer waiter(dir / "ctl.sock");
    waiter.send("wait settled timeout_ms=5000\n");
    credit(R"({"v":1,"type":"payment.accepted","payment":"p1","session":"s-1","amount":200,)"
           R"("currency":"EUR","forced":"token_expired","remaining":null})");
    credit(R"({"v":1,"type":"credit.ambiguous","payment":"p1","value":10,"pulses":1})");
    credit(R"({"v":1,"type":"credit.delivered","payment":"p1","amount":200,"pulses":19,)"
           R"("ambiguous":10,"forced":null})");
    credit(R"({"v":1,"type":"payment.accepted","payment":"p-once","session":"s-1",)"
           R"("amount":100,"currency":"EUR","forced":null,"remaining":null})");
    credit(R"({"v":1,"type":"credit.failed","payment":"p-once","amount":100,"delivered":30,)"
           R"("owed":70,"reason":"line_fault"})");
    auto settled = json_parse(waiter.read_line(5000));
    ASSERT_TRUE(settled);
    EXPECT_TRUE(ok(settled)) << json_print(settled.get());
    EXPECT_EQ(num(settled.get(), "paid_total"), 300);
    EXPECT_EQ(num(settled.get(), "delivered_total"), 230);
    EXPECT_EQ(num(settled.get(), "ambiguous_total"), 10);
    EXPECT_EQ(num(settled.get(), "failed_owed_total"), 70);
    EXPECT_EQ(num(settled.get(), "rejected_total"), 0);
    EXPECT_EQ(num(settled.get(), "unsettled"), 0);
    EXPECT_EQ(num(settled.get(), "records_dropped"), 0);

    const cJSON* p1 = payment(settled, "p1");
    ASSERT_TRUE(p1);
    EXPECT_STREQ(cJSON_GetStringValue(cJSON_GetObjectItem(p1, "final")), "delivered");
    EXPECT_STREQ(cJSON_GetStringValue(cJSON_GetObjectItem(p1, "forced")), "token_expired");
    EXPECT_STREQ(cJSON_GetStringValue(cJSON_GetObjectItem(p1, "session")), "s-1");
    EXPECT_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(p1, "acked")));
    EXPECT_GE(num(p1, "resends"), 1);
    EXPECT_EQ(num(p1, "accepted"), 1);
    EXPECT_EQ(num(p1, "ambiguous"), 10);
    EXPECT_EQ(num(p1, "paid"), 200);
    const cJSON* forged = payment(settled, "p-forged");
    ASSERT_TRUE(forged);
    EXPECT_TRUE(cJSON_IsNull(cJSON_GetObjectItem(forged, "paid")));
    EXPECT_TRUE(cJSON_IsNull(cJSON_GetObjectItem(forged, "final")));
    EXPECT_EQ(num(forged, "resends"), 0);
    const cJSON* once = payment(settled, "p-once");
    ASSERT_TRUE(once);
    EXPECT_STREQ(cJSON_GetStringValue(cJSON_GetObjectItem(once, "final")), "failed");
    EXPECT_EQ(num(once, "delivered_amount"), 30);
    EXPECT_EQ(num(once, "owed"), 70);

    // Acknowledged: the re-sending has stopped.
    const auto before = bus.count(down);
    ::usleep(300'000);
    EXPECT_EQ(bus.count(down), before);

    // The daemon asks about s-1 after a restart: p1 (the good one) is sent again.
    bus.deliver("cashbridge/v1/m1/up/session", R"({"v":1,"type":"session.query","session":"s-1"})");
    for (int i = 0; i < 100 && bus.count(down) == before; ++i) ::usleep(10'000);
    EXPECT_EQ(bus.count(down), before + 2);  // p1 and p-once: both good, both for s-1
    EXPECT_EQ(num(ctl("status").get(), "session_queries_answered"), 1);
}

TEST_F(SimulatorBusTest, BadPayArgumentsAreErrors) {
    for (const char* bad : {"pay resend=maybe", "pay iat_age_s=-1", "pay exp_s=x",
                            "pay variant=expired iat_age_s=10", "wait settled new"}) {
        SCOPED_TRACE(bad);
        EXPECT_FALSE(ok(ctl(bad)));
    }
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
