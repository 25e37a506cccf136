// Line server over a real Unix socket: claims, refusals, SET/EDGE and release semantics.
#include "cashbridge/sim/line_server.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <system_error>

#include "cashbridge/sim/text.hpp"
#include "cashbridge/sim/unique_fd.hpp"
#include "sim_test_support.hpp"

namespace cashbridge::sim {
namespace {

using test::Peer;
using K = LineEvent::Kind;

class LineServerTest : public ::testing::Test {
  protected:
    test::TempDir dir;
    std::string path = dir / "lines.sock";
    LineServer server{path, {{"coin", Direction::out, 1}, {"inhibit", Direction::in, 1}}};

    std::vector<LineEvent> service() { return server.service(); }
    /// Sends `request` and returns the sim's reply line.
    std::string exchange(Peer& p, const std::string& request) {
        p.send(request);
        events = service();
        return p.read_line();
    }
    std::vector<LineEvent> events;
};

TEST(ListenUnix, ThePathAppearsListeningAndNeverReplacesAFile) {
    test::TempDir dir;
    const auto path = dir / "control.sock";
    {
        const auto stale = listen_unix(path);  // a crashed run's socket stays behind
    }
    const auto fd = listen_unix(path);
    EXPECT_TRUE(std::filesystem::is_socket(path));
    EXPECT_FALSE(std::filesystem::exists(path + ".new")) << "the staging name is renamed away";
    EXPECT_TRUE(connect_unix(path));

    const auto file = dir / "notes.txt";
    std::ofstream(file) << "keep me";
    try {
        listen_unix(file);
        FAIL() << "a regular file was replaced";
    } catch (const std::system_error& e) {
        EXPECT_NE(std::string(e.what()).find("exists and is not a socket"), std::string::npos);
    }
    std::ifstream in(file);
    std::string text;
    std::getline(in, text);
    EXPECT_EQ(text, "keep me");
}

TEST_F(LineServerTest, ClaimOutputReportsLevelAndTime) {
    Peer p(path);
    const auto before = monotonic_ns();
    const auto words = split_words(exchange(p, "CLAIM coin out 1\n"));
    ASSERT_EQ(words.size(), 3u);
    EXPECT_EQ(words[0], "OK");
    EXPECT_EQ(words[1], "1");
    EXPECT_GE(*parse_int64(words[2]), before);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, K::claimed);
    EXPECT_TRUE(server.status()[0].claimed);
}

TEST_F(LineServerTest, SetBecomesChangedEventWithClientTime) {
    Peer p(path);
    exchange(p, "CLAIM coin out 1\n");
    p.send("SET 0 1000\nSET 0 1500\nSET 1 51000\n");
    auto ev = service();
    ASSERT_EQ(ev.size(), 2u);  // the repeated 0 is not an edge
    EXPECT_EQ(ev[0].kind, K::changed);
    EXPECT_EQ(ev[0].line, "coin");
    EXPECT_EQ(ev[0].level, 0);
    EXPECT_EQ(ev[0].t_ns, 1000);
    EXPECT_EQ(ev[1].level, 1);
    EXPECT_EQ(ev[1].t_ns, 51000);
}

TEST_F(LineServerTest, UnknownAndDuplicateClaimsAreRefusedAndClosed) {
    Peer a(path), b(path), c(path), d(path);
    EXPECT_EQ(exchange(a, "CLAIM coin out 1\n").substr(0, 3), "OK ");
    EXPECT_EQ(exchange(b, "CLAIM coin out 1\n"), "ERR line coin already claimed");
    EXPECT_EQ(b.read_line(), "<closed>");
    EXPECT_EQ(exchange(c, "CLAIM motor out 0\n"), "ERR unknown line motor");
    EXPECT_EQ(c.read_line(), "<closed>");
    EXPECT_EQ(exchange(d, "CLAIM inhibit out 1\n"), "ERR line inhibit is an input of the daemon");
    EXPECT_TRUE(server.status()[0].claimed);  // the first claimant keeps its line
}

TEST_F(LineServerTest, BadMessagesGetErrNeverCrash) {
    Peer p(path);
    EXPECT_EQ(exchange(p, "SET 1 5\n"), "ERR SET before CLAIM");
    Peer q(path);
    exchange(q, "CLAIM coin out 1\n");
    EXPECT_EQ(exchange(q, "SET 2 5\n").substr(0, 4), "ERR ");
    EXPECT_EQ(exchange(q, "SET 0 -1\n").substr(0, 4), "ERR ");
    EXPECT_EQ(exchange(q, "SET 0\n").substr(0, 4), "ERR ");
    EXPECT_EQ(exchange(q, "HELLO\n"), "ERR unknown message 'HELLO'");
    EXPECT_EQ(exchange(q, "CLAIM inhibit in\n"), "ERR this connection already holds coin");
    EXPECT_EQ(exchange(q, "CLAIM\n").substr(0, 4), "ERR ");  // ignored: still holds coin
    q.send("SET 0 7\n");
    auto ev = service();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].t_ns, 7);
    Peer r(path);
    r.send(std::string(5000, 'x'));
    service();
    EXPECT_EQ(r.read_line(), "ERR message too long");
}

TEST_F(LineServerTest, DriveInputSendsEdge) {
    Peer p(path);
    EXPECT_EQ(split_words(exchange(p, "CLAIM inhibit in\n"))[1], "1");
    auto ev = server.drive("inhibit", 0);
    ASSERT_TRUE(ev);
    const auto words = split_words(p.read_line());
    ASSERT_EQ(words.size(), 3u);
    EXPECT_EQ(words[0], "EDGE");
    EXPECT_EQ(words[1], "0");
    EXPECT_EQ(*parse_int64(words[2]), ev->t_ns);
    EXPECT_FALSE(server.drive("inhibit", 0));  // no change, no edge
    EXPECT_THROW(server.drive("coin", 0), std::invalid_argument);
    EXPECT_THROW(server.drive("nope", 0), std::invalid_argument);
    // A new claimant sees the current level.
    p.close();
    service();
    Peer q(path);
    EXPECT_EQ(split_words(exchange(q, "CLAIM inhibit in\n"))[1], "0");
}

TEST_F(LineServerTest, ReleasedActiveOutputReadsInactive) {
    {
        Peer p(path);
        exchange(p, "CLAIM coin out 1\n");
        p.send("SET 0 100\n");
        service();
        EXPECT_EQ(server.level("coin"), 0);
    }  // the daemon dies mid-pulse
    auto ev = service();
    ASSERT_EQ(ev.size(), 2u);
    EXPECT_EQ(ev[0].kind, K::changed);
    EXPECT_EQ(ev[0].level, 1);
    EXPECT_EQ(ev[1].kind, K::released);
    EXPECT_EQ(server.level("coin"), 1);
    EXPECT_FALSE(server.status()[0].claimed);
    Peer again(path);  // and the line can be claimed again
    EXPECT_EQ(exchange(again, "CLAIM coin out 1\n").substr(0, 3), "OK ");
}

TEST_F(LineServerTest, ClaimAtActiveLevelIsAnEdge) {
    Peer p(path);
    exchange(p, "CLAIM coin out 0\n");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].kind, K::changed);
    EXPECT_EQ(events[1].level, 0);
}

}  // namespace
}  // namespace cashbridge::sim
