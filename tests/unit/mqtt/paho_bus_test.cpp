// PahoBus against a real Mosquitto: round trip, Last Will, late broker, broker restart.
#include "cashbridge/mqtt/paho_bus.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <set>
#include <thread>

#include "cashbridge/mqtt/topics.hpp"
#include "mosquitto_broker.hpp"

namespace cashbridge::mqtt {
namespace {

using namespace std::chrono_literals;
using test::MosquittoBroker;

PahoBusOptions options(const MosquittoBroker& b, std::string id,
                       std::vector<std::string> subs = {}) {
    PahoBusOptions o;
    o.server_uri = b.uri();
    o.client_id = std::move(id);
    o.subscriptions = std::move(subs);
    o.keepalive = 2s;
    return o;
}

// Polls the bus fd like the bridge's event loop would, until `want` matches an event.
template <class T>
std::optional<T> wait_for(
    MessageBus& bus, std::chrono::milliseconds timeout,
    const std::function<bool(const T&)>& want = [](const T&) { return true; }) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd p{bus.fd(), POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(left.count()));
        for (auto& ev : bus.drain()) {
            if (auto* t = std::get_if<T>(&ev); t != nullptr && want(*t)) return *t;
        }
    }
}

std::function<bool(const Message&)> on(const std::string& topic) {
    return [topic](const Message& m) { return m.topic == topic; };
}

// Collects Delivered ids until all of `want` arrived or `timeout` passed; returns every id
// seen (so a test can also check that some never came).
std::set<std::uint64_t> delivered(MessageBus& bus, const std::set<std::uint64_t>& want,
                                  std::chrono::milliseconds timeout) {
    std::set<std::uint64_t> seen;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const bool all = std::includes(seen.begin(), seen.end(), want.begin(), want.end());
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if ((all && !want.empty()) || left.count() <= 0) return seen;
        pollfd p{bus.fd(), POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(left.count()));
        for (auto& ev : bus.drain()) {
            if (auto* d = std::get_if<Delivered>(&ev)) {
                EXPECT_TRUE(seen.insert(d->id).second) << "Delivered twice: " << d->id;
            }
        }
    }
}

TEST(PahoBus, PublishesAndReceivesThroughBroker) {
    MosquittoBroker broker;
    const Topics t{"vm-01"};
    PahoBus daemon{options(broker, "daemon", {t.down_payment})};
    PahoBus server{options(broker, "server", {t.up_credit})};
    ASSERT_TRUE(wait_for<Connected>(daemon, 3s));
    ASSERT_TRUE(wait_for<Connected>(server, 3s));
    EXPECT_TRUE(daemon.connected());

    server.publish(t.down_payment, "hello daemon", false);
    const auto m = wait_for<Message>(daemon, 3s, on(t.down_payment));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->payload, "hello daemon");
    EXPECT_FALSE(m->retained);

    daemon.publish(t.up_credit, std::string("bin\0ary", 7), false);
    const auto r = wait_for<Message>(server, 3s, on(t.up_credit));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->payload, std::string("bin\0ary", 7));
}

TEST(PahoBus, RetainedMessageReachesLateSubscriber) {
    MosquittoBroker broker;
    const Topics t{"vm-01"};
    {
        PahoBus daemon{options(broker, "daemon")};
        ASSERT_TRUE(wait_for<Connected>(daemon, 3s));
        daemon.publish(t.state, "{\"state\":\"ready\"}", true);
        EXPECT_TRUE(daemon.close(2s));
    }
    PahoBus observer{options(broker, "observer", {t.state})};
    const auto m = wait_for<Message>(observer, 3s, on(t.state));
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->retained);
}

TEST(PahoBus, BrokerPublishesLastWillWhenClientDies) {
    MosquittoBroker broker;
    const Topics t{"vm-01"};
    // A crash is a process dying without DISCONNECT, so the client lives in a child process
    // forked before any Paho thread exists here.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        auto o = options(broker, "dying-daemon");
        o.will_topic = t.availability;
        PahoBus bus{o};
        if (!wait_for<Connected>(bus, 3s)) ::_exit(2);
        bus.publish(t.availability, "online", true);
        std::this_thread::sleep_for(300ms);
        ::_exit(0);  // no destructors: the socket just closes
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

    PahoBus observer{options(broker, "observer", {t.availability})};
    const auto m = wait_for<Message>(observer, 3s, on(t.availability));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->payload, "offline");
    EXPECT_TRUE(m->retained);
}

TEST(PahoBus, CleanCloseDeliversOwnOfflineMessage) {
    MosquittoBroker broker;
    const Topics t{"vm-01"};
    PahoBus observer{options(broker, "observer", {t.availability})};
    ASSERT_TRUE(wait_for<Connected>(observer, 3s));
    {
        auto o = options(broker, "daemon");
        o.will_topic = t.availability;
        o.will_payload = "will";
        PahoBus daemon{o};
        ASSERT_TRUE(wait_for<Connected>(daemon, 3s));
        daemon.publish(t.availability, "offline", true);
        EXPECT_TRUE(daemon.close(2s));
        daemon.publish(t.availability, "after close", true);  // dropped, no throw
    }
    const auto m = wait_for<Message>(observer, 3s, on(t.availability));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->payload, "offline");
    // The will must not follow a clean disconnect.
    EXPECT_FALSE(wait_for<Message>(observer, 500ms, on(t.availability)));
}

TEST(PahoBus, ConnectsWhenBrokerStartsLater) {
    MosquittoBroker broker{false};
    const Topics t{"vm-01"};
    PahoBus daemon{options(broker, "daemon")};
    daemon.publish(t.state, "buffered while down", true);  // must not throw
    std::this_thread::sleep_for(1500ms);
    EXPECT_FALSE(daemon.connected());
    broker.start();
    ASSERT_TRUE(wait_for<Connected>(daemon, 6s));

    PahoBus observer{options(broker, "observer", {t.state})};
    const auto m = wait_for<Message>(observer, 3s, on(t.state));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->payload, "buffered while down");
}

TEST(PahoBus, ResubscribesAfterBrokerRestart) {
    MosquittoBroker broker;
    const Topics t{"vm-01"};
    PahoBus daemon{options(broker, "daemon", {t.down_payment})};
    ASSERT_TRUE(wait_for<Connected>(daemon, 3s));
    broker.stop();  // no persistence: the session and its subscriptions are lost
    ASSERT_TRUE(wait_for<Disconnected>(daemon, 4s));
    broker.start();
    ASSERT_TRUE(wait_for<Connected>(daemon, 5s));

    PahoBus server{options(broker, "server")};
    ASSERT_TRUE(wait_for<Connected>(server, 3s));
    server.publish(t.down_payment, "after restart", false);
    const auto m = wait_for<Message>(daemon, 3s, on(t.down_payment));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->payload, "after restart");
}

TEST(PahoBus, ConfirmsEachPublishOnceWithItsOwnId) {
    MosquittoBroker broker;
    const Topics t{"vm-01"};
    PahoBus daemon{options(broker, "daemon")};
    ASSERT_TRUE(wait_for<Connected>(daemon, 3s));
    std::set<std::uint64_t> ids;
    for (int i = 0; i < 5; ++i) ids.insert(daemon.publish(t.events, std::to_string(i), false));
    EXPECT_EQ(ids.size(), 5u);
    EXPECT_EQ(ids.count(0), 0u);
    EXPECT_EQ(delivered(daemon, ids, 3s), ids);
    // Nothing more: each id is confirmed exactly once.
    EXPECT_TRUE(delivered(daemon, {}, 300ms).empty());
}

TEST(PahoBus, ConfirmsMessageBufferedBeforeFirstConnect) {
    MosquittoBroker broker{false};
    const Topics t{"vm-01"};
    PahoBus daemon{options(broker, "daemon")};
    const auto id = daemon.publish(t.state, "buffered before connect", true);
    EXPECT_TRUE(delivered(daemon, {}, 1200ms).empty());
    broker.start();
    EXPECT_EQ(delivered(daemon, {id}, 6s), std::set<std::uint64_t>{id});
}

TEST(PahoBus, ConfirmsMessageBufferedWhileBrokerWasDown) {
    MosquittoBroker broker;
    const Topics t{"vm-01"};
    PahoBus daemon{options(broker, "daemon")};
    ASSERT_TRUE(wait_for<Connected>(daemon, 3s));
    broker.stop();
    ASSERT_TRUE(wait_for<Disconnected>(daemon, 4s));
    const auto id = daemon.publish(t.state, "buffered while down", true);
    EXPECT_TRUE(delivered(daemon, {}, 500ms).empty());
    broker.start();
    EXPECT_EQ(delivered(daemon, {id}, 6s), std::set<std::uint64_t>{id});

    // Confirmed means the broker has it.
    PahoBus observer{options(broker, "observer", {t.state})};
    const auto m = wait_for<Message>(observer, 3s, on(t.state));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->payload, "buffered while down");
}

TEST(PahoBus, DroppedMessagesAreNeverConfirmed) {
    MosquittoBroker broker{false};
    const Topics t{"vm-01"};
    auto o = options(broker, "daemon");
    o.max_buffered = 2;
    PahoBus daemon{o};
    const auto first = daemon.publish(t.events, "1", false);  // pushed out by the third
    const auto second = daemon.publish(t.events, "2", false);  // pushed out by the fourth
    const auto third = daemon.publish(t.events, "3", false);
    const auto fourth = daemon.publish(t.events, "4", false);
    EXPECT_EQ(std::set<std::uint64_t>({first, second, third, fourth}).size(), 4u);
    broker.start();
    const auto seen = delivered(daemon, {third, fourth}, 6s);
    EXPECT_EQ(delivered(daemon, {}, 300ms).size(), 0u);
    EXPECT_EQ(seen, std::set<std::uint64_t>({third, fourth}));

    // Paho never completes the tokens of messages it pushed out of the buffer, so close()
    // truthfully reports that not everything was delivered (after waiting out its timeout).
    EXPECT_FALSE(daemon.close(300ms));
    const auto after = daemon.publish(t.events, "after close", false);
    EXPECT_NE(after, 0u);
    EXPECT_NE(after, fourth);
    EXPECT_TRUE(delivered(daemon, {}, 300ms).empty());
}


}  // namespace
}  // namespace cashbridge::mqtt
