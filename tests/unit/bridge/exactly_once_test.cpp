// Exactly-once crediting within the core: restarts (a second Bridge on the same journal),
// ambiguous pulses, late and forced completions, partial payments, and the outbox.
#include "bridge_fixture.hpp"

namespace cashbridge::bridge {
namespace {

using display::ScreenState;

/// A second daemon on the first one's journal file: what a restart sees.
struct Restarted {
    Restarted(BridgeFixture& f, const Config& config)
        : clock(f.clock),
          journal(f.journal_file.file, 100),
          observer(journal),
          player(clock, {coin.get()}, hal::Level::low, std::chrono::milliseconds(50),
                 std::chrono::milliseconds(10), &observer),
          bridge(config, bus, display, player, journal, log) {}

    void settle(Now now) {
        for (int i = 0; i < 100; ++i) {
            pollfd p{player.fd(), POLLIN, 0};
            ::poll(&p, 1, 10);
            for (auto& r : player.drain()) bridge.on_pulse_report(r, now);
            if (player.idle() && ::poll(&p, 1, 0) == 0) return;
        }
    }

    hal::FakeClock& clock;
    hal::FakeBoard board{clock};
    std::unique_ptr<hal::OutputLine> coin =
        board.claim_output(hal::LineSpec::named("coin"), hal::Level::high);
    testing_doubles::RecordingBus bus;
    testing_doubles::RecordingDisplay display;
    Journal journal;
    JournalObserver observer;
    PulsePlayer player;
    Logger log{std::cerr, LogLevel::warn};
    Bridge bridge;
};

class ExactlyOnce : public BridgeFixture {
  protected:
    void SetUp() override {
        bridge.start(now());
        bridge.on_bus_event(mqtt::Connected{false}, now());
    }
    std::string completion(std::int64_t amount, const std::string& jti) {
        return mqtt::make_payment_completed(claims(amount, jti), config.payment.key);
    }
};

TEST_F(ExactlyOnce, DuplicateAfterARestartIsAcknowledgedNotCredited) {
    const auto payload = completion(200, "pay-r1");
    deliver(payload);
    settle();
    ASSERT_EQ(board.edges().size(), 40u);

    Restarted again(*this, config);
    again.bridge.start(now());
    again.bridge.on_bus_event(mqtt::Connected{true}, now());
    again.bridge.on_bus_event(mqtt::Message{topics.down_payment, payload, false}, now());
    again.settle(now());
    EXPECT_TRUE(again.board.edges().empty());
    EXPECT_EQ(again.bus.on(topics.up_credit, "payment.accepted").size(), 1u);
    EXPECT_EQ(again.bridge.counters().at("payments_duplicate"), 1);
}

TEST_F(ExactlyOnce, RestartReportsTheCutPulseAmbiguousAndDeliversTheRest) {
    // What a crash mid-pulse leaves: 50 accepted, one pulse ended, the second started.
    JournalCredit c;
    c.payment = "cut-1";
    c.session = "s-old";
    c.amount = 50;
    c.currency = "EUR";
    c.token_exp =
        std::chrono::duration_cast<std::chrono::seconds>(wall.time_since_epoch()).count() + 300;
    journal.accept(c);
    journal.pulse_started("cut-1", {0, 0, 10});
    journal.pulse_ended("cut-1", 0);
    journal.pulse_started("cut-1", {1, 0, 10});

    Restarted again(*this, config);
    again.bridge.start(now());
    again.bridge.on_bus_event(mqtt::Connected{true}, now());
    again.settle(now());
    const auto ambiguous = again.bus.on(topics.up_credit, "credit.ambiguous");
    ASSERT_EQ(ambiguous.size(), 1u);
    EXPECT_NE(ambiguous[0].find("\"value\":10"), std::string::npos) << ambiguous[0];
    EXPECT_EQ(again.board.edges().size(), 6u);  // 30 more: never the cut pulse again
    const auto delivered = again.bus.on(topics.up_credit, "credit.delivered");
    ASSERT_EQ(delivered.size(), 1u);
    EXPECT_NE(delivered[0].find("\"ambiguous\":10"), std::string::npos) << delivered[0];
    const auto record = again.journal.find("cut-1");
    EXPECT_EQ(record->status, CreditStatus::delivered);
    EXPECT_EQ(record->delivered, 40);
    EXPECT_EQ(record->ambiguous, 10);
    EXPECT_EQ(again.bridge.counters().at("ambiguous_value"), 10);
}

TEST_F(ExactlyOnce, ExpiredButRecentTokenIsCreditedAsForced) {
    auto late = claims(100, "late-tok");
    late.iat -= 600;
    late.exp -= 420;  // two minutes past, beyond the 30 s clock leeway
    deliver(mqtt::make_payment_completed(late, config.payment.key));
    settle();
    const auto acks = bus.on(topics.up_credit, "payment.accepted");
    ASSERT_EQ(acks.size(), 1u);
    EXPECT_NE(acks[0].find("\"forced\":\"token_expired\""), std::string::npos) << acks[0];
    EXPECT_EQ(board.edges().size(), 20u);
    EXPECT_EQ(counter("credits_forced"), 1);
}

TEST_F(ExactlyOnce, PaymentForAnExpiredSessionIsCreditedAsForced) {
    const auto old_session = bridge.session()->id;
    wall += config.payment.session_lifetime + std::chrono::seconds(1);
    bridge.tick(now());  // rotates
    auto c = claims(100, "late-session");
    c.sid = old_session;
    deliver(mqtt::make_payment_completed(c, config.payment.key));
    settle();
    EXPECT_NE(
        bus.on(topics.up_credit, "payment.accepted").at(0).find("\"forced\":\"session_expired\""),
        std::string::npos);
    EXPECT_EQ(board.edges().size(), 20u);
}

TEST_F(ExactlyOnce, CreditHeldPastTheTokensExpiryIsFlagged) {
    player.set_hold(true);  // the pulse thread is held, as INHIBIT or a slow machine would
    deliver(completion(100, "held-1"));
    wall += std::chrono::seconds(400);  // the token's exp (now + 300) passes while held
    player.set_hold(false);
    settle();
    const auto delivered = bus.on(topics.up_credit, "credit.delivered");
    ASSERT_EQ(delivered.size(), 1u);
    EXPECT_NE(delivered[0].find("\"forced\":\"held_past_expiry\""), std::string::npos)
        << delivered[0];
}

TEST_F(ExactlyOnce, ReportsWaitInTheOutboxWhileTheBrokerIsAway) {
    bridge.on_bus_event(mqtt::Disconnected{"test"}, now());
    deliver(completion(100, "offline-1"));  // queued by the broker, delivered meanwhile
    settle();
    EXPECT_TRUE(bus.on(topics.up_credit, "credit.delivered").empty());
    EXPECT_GE(journal.outbox_size(), 2);  // payment.accepted and credit.delivered at least

    bridge.on_bus_event(mqtt::Connected{true}, now());
    const auto sent = bus.on(topics.up_credit);
    ASSERT_GE(sent.size(), 2u);
    EXPECT_NE(sent[0].find("payment.accepted"), std::string::npos);  // in order
    EXPECT_NE(sent[1].find("credit.delivered"), std::string::npos);
    // The broker acknowledges everything: the outbox empties.
    for (std::size_t id = 1; id <= bus.published.size(); ++id)
        bridge.on_bus_event(mqtt::Delivered{id}, now());
    EXPECT_EQ(journal.outbox_size(), 0);
}

class PartialPayment : public ExactlyOnce {
  protected:
    void SetUp() override {
        config.payment.allow_partial = true;  // the bridge reads its config by reference
        ExactlyOnce::SetUp();
    }
};

TEST_F(PartialPayment, AsksForTheRestInCoins) {
    deliver(completion(150, "part-1"));
    const auto acks = bus.on(topics.up_credit, "payment.accepted");
    ASSERT_EQ(acks.size(), 1u);
    EXPECT_NE(acks[0].find("\"remaining\":50"), std::string::npos) << acks[0];
    EXPECT_EQ(display.shown.back().state, ScreenState::paid);
    EXPECT_EQ(display.shown.back().remaining_minor, 50);
    settle();
    EXPECT_EQ(board.edges().size(), 30u);
}

}  // namespace
}  // namespace cashbridge::bridge
