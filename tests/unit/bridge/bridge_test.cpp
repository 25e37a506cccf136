// Bridge: sessions, crediting, duplicates, inhibit and delivery timeouts, end to end within
// the core (bus, display and lines are doubles; the integration tests use the real ones).
#include "bridge_fixture.hpp"

namespace cashbridge::bridge {
namespace {

using display::ScreenState;

class BridgeTest : public BridgeFixture {
  protected:
    void SetUp() override {
        bridge.start(now());
        bridge.on_bus_event(mqtt::Connected{false}, now());
    }
};

TEST_F(BridgeTest, StartsUnavailableUntilTheBrokerAnswers) {
    ASSERT_GE(display.shown.size(), 2u);
    EXPECT_EQ(display.shown[0].state, ScreenState::unavailable);
    EXPECT_EQ(display.shown[0].reason, "Payment network offline");
}

TEST_F(BridgeTest, ConnectedOpensASessionAndShowsItsQr) {
    EXPECT_EQ(bus.on(topics.availability, "online").size(), 1u);
    ASSERT_TRUE(bridge.session());
    const auto opens = bus.on(topics.up_session, "session.open");
    ASSERT_EQ(opens.size(), 1u);
    EXPECT_NE(opens[0].find(bridge.session()->id), std::string::npos);
    EXPECT_EQ(display.shown.back().state, ScreenState::ready);
    EXPECT_EQ(display.shown.back().qr_content,
              "https://pay.example/p?m=vend-7&s=" + bridge.session()->id + "&a=200");
    EXPECT_EQ(display.shown.back().amount_minor, 200);
}

TEST_F(BridgeTest, ValidPaymentIsAcceptedAndPulsedExactlyOnce) {
    const auto payload = mqtt::make_payment_completed(claims(200), config.payment.key);
    deliver(payload);
    EXPECT_EQ(bus.on(topics.up_credit, "payment.accepted").size(), 1u);
    EXPECT_EQ(display.shown.back().state, ScreenState::paid);
    settle();
    EXPECT_EQ(board.edges().size(), 40u);  // 20 pulses of 10 cents
    ASSERT_EQ(bus.on(topics.up_credit, "credit.delivered").size(), 1u);
    EXPECT_EQ(counter("amount_credited"), 200);

    deliver(payload);  // the broker delivers it again
    settle();
    EXPECT_EQ(bus.on(topics.up_credit, "payment.accepted").size(), 2u);
    EXPECT_EQ(counter("payments_duplicate"), 1);
    EXPECT_EQ(board.edges().size(), 40u);
    EXPECT_EQ(counter("amount_credited"), 200);
}

TEST_F(BridgeTest, PaidScreenGivesWayToANewSession) {
    const auto first = bridge.session()->id;
    deliver(mqtt::make_payment_completed(claims(200), config.payment.key));
    settle();
    EXPECT_FALSE(bridge.session());
    clock.advance(std::chrono::seconds(4));
    bridge.tick(now());
    ASSERT_TRUE(bridge.session());
    EXPECT_NE(bridge.session()->id, first);
    EXPECT_EQ(display.shown.back().state, ScreenState::ready);
}

TEST_F(BridgeTest, SessionRotatesAfterItsLifetime) {
    const auto first = bridge.session()->id;
    wall += config.payment.session_lifetime + std::chrono::seconds(1);
    bridge.tick(now());
    ASSERT_TRUE(bridge.session());
    EXPECT_NE(bridge.session()->id, first);
    EXPECT_EQ(bus.on(topics.up_session, "\"reason\":\"expired\"").size(), 1u);
}

TEST_F(BridgeTest, InhibitClosesTheSessionAndHoldsCredit) {
    bridge.on_inhibit(true, now());
    EXPECT_FALSE(bridge.session());
    EXPECT_EQ(bus.on(topics.up_session, "\"reason\":\"inhibited\"").size(), 1u);
    EXPECT_EQ(display.shown.back().state, ScreenState::unavailable);
    EXPECT_EQ(display.shown.back().reason, "Machine not ready");

    // A payment already made is accepted but waits for the machine.
    deliver(mqtt::make_payment_completed(claims(100, "late-1"), config.payment.key));
    settle();
    EXPECT_TRUE(board.edges().empty());
    bridge.on_inhibit(false, now());
    settle();
    EXPECT_EQ(board.edges().size(), 20u);
    EXPECT_EQ(bus.on(topics.up_credit, "credit.delivered").size(), 1u);
}

TEST_F(BridgeTest, CreditHeldPastTheTimeoutIsReportedFailedWithWhatIsOwed) {
    bridge.on_inhibit(true, now());
    deliver(mqtt::make_payment_completed(claims(150, "stuck-1"), config.payment.key));
    clock.advance(config.acceptor.delivery_timeout + std::chrono::seconds(1));
    bridge.tick(now());
    settle();
    const auto failed = bus.on(topics.up_credit, "credit.failed");
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_NE(failed[0].find("\"owed\":150"), std::string::npos) << failed[0];
    EXPECT_NE(failed[0].find("\"delivered\":0"), std::string::npos) << failed[0];
    EXPECT_EQ(counter("credits_failed"), 1);
    EXPECT_TRUE(board.edges().empty());
}

TEST_F(BridgeTest, ACreditQueuedBehindOneBeingPaidOutWaitsInsteadOfFailing) {
    bridge.on_inhibit(true, now());
    deliver(mqtt::make_payment_completed(claims(100, "first"), config.payment.key));
    deliver(mqtt::make_payment_completed(claims(50, "second"), config.payment.key));
    // 50 s on, the first credit's pulses are going out (as the pulse thread reports them).
    clock.advance(std::chrono::seconds(50));
    PulseReport progress;
    progress.credit_id = "first";
    progress.pulses_done = 1;
    progress.value_done = 10;
    bridge.on_pulse_report(progress, now());
    // Past the timeout since both were queued, but not since the last pulse: no failure.
    clock.advance(std::chrono::seconds(20));
    bridge.tick(now());
    EXPECT_TRUE(bus.on(topics.up_credit, "credit.failed").empty());
    // No pulse for longer than the timeout: now both are stuck and reported.
    clock.advance(config.acceptor.delivery_timeout);
    bridge.tick(now());
    settle();
    EXPECT_EQ(bus.on(topics.up_credit, "credit.failed").size(), 2u);
}

TEST_F(BridgeTest, CoinReturnCancelsTheSessionAndOffersANewOne) {
    const auto first = bridge.session()->id;
    bridge.on_coin_return(now());
    const auto cancels = bus.on(topics.up_session, "session.cancel");
    ASSERT_EQ(cancels.size(), 1u);
    EXPECT_NE(cancels[0].find("\"session\":\"" + first + "\""), std::string::npos) << cancels[0];
    EXPECT_NE(cancels[0].find("\"reason\":\"coin_return\""), std::string::npos) << cancels[0];
    ASSERT_TRUE(bridge.session());
    EXPECT_NE(bridge.session()->id, first);
    EXPECT_EQ(display.shown.back().state, ScreenState::ready);
    EXPECT_EQ(display.shown.back().qr_content,
              "https://pay.example/p?m=vend-7&s=" + bridge.session()->id + "&a=200");
    EXPECT_EQ(counter("coin_returns"), 1);
    EXPECT_TRUE(board.edges().empty());
}

TEST_F(BridgeTest, PaymentForACanceledSessionIsStillCreditedAsForced) {
    // The customer paid, then pressed coin return before the completion arrived: the
    // money was taken, so it is credited, flagged for audit.
    auto late = claims(200, "raced-1");
    bridge.on_coin_return(now());
    deliver(mqtt::make_payment_completed(late, config.payment.key));
    settle();
    const auto acks = bus.on(topics.up_credit, "payment.accepted");
    ASSERT_EQ(acks.size(), 1u);
    EXPECT_NE(acks[0].find("\"forced\":\"session_canceled\""), std::string::npos) << acks[0];
    EXPECT_EQ(board.edges().size(), 40u);
    EXPECT_EQ(counter("credits_forced"), 1);
}

TEST_F(BridgeTest, CoinReturnNeverStopsACreditInProgress) {
    deliver(mqtt::make_payment_completed(claims(200), config.payment.key));
    EXPECT_FALSE(bridge.session());
    bridge.on_coin_return(now());
    settle();
    EXPECT_EQ(board.edges().size(), 40u);
    EXPECT_EQ(bus.on(topics.up_credit, "credit.delivered").size(), 1u);
    EXPECT_EQ(bus.on(topics.up_session, "\"reason\":\"coin_return\"").size(), 0u);
}

TEST_F(BridgeTest, BrokerLossShowsUnavailableAndKeepsTheSession) {
    const auto id = bridge.session()->id;
    const auto queries = bus.on(topics.up_session, "session.query").size();
    bridge.on_bus_event(mqtt::Disconnected{"test"}, now());
    EXPECT_EQ(display.shown.back().state, ScreenState::unavailable);
    EXPECT_EQ(display.shown.back().reason, "Payment network offline");
    bridge.on_bus_event(mqtt::Connected{true}, now());
    ASSERT_TRUE(bridge.session());
    EXPECT_EQ(bridge.session()->id, id);
    // Reconciliation: the server is asked about the open session after every reconnect.
    EXPECT_EQ(bus.on(topics.up_session, "session.query").size(), queries + 1);
    EXPECT_NE(bus.on(topics.up_session, "session.query").back().find(id), std::string::npos);
    EXPECT_EQ(display.shown.back().state, ScreenState::ready);
}

TEST_F(BridgeTest, StateIsRetainedAndCarriesCounters) {
    deliver(mqtt::make_payment_completed(claims(200), config.payment.key));
    settle();
    const auto& last = bus.published.back();
    bool found = false;
    for (const auto& p : bus.published)
        if (p.topic == topics.state) {
            EXPECT_TRUE(p.retain);
            found = p.payload.find("\"amount_credited\":200") != std::string::npos || found;
        }
    EXPECT_TRUE(found) << last.payload;
}

}  // namespace
}  // namespace cashbridge::bridge
