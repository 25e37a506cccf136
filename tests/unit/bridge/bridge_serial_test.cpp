// Bridge with the price feed and the scanner: amounts to sessions, codes to orders, and a
// canceled order never credited, not even by a bridge restarted on the same journal.
#include "bridge_fixture.hpp"
#include "cashbridge/mqtt/scan_messages.hpp"

namespace cashbridge::bridge {
namespace {

using display::ScreenState;
using Kind = PriceUpdate::Kind;
constexpr auto wechat = "134567890123456789";

class BridgeSerialTest : public BridgeFixture {
  protected:
    void SetUp() override {
        config.payment.price_mode = PriceMode::external;  // read live through the reference
        bridge.start(now());
        bridge.on_bus_event(mqtt::Connected{false}, now());
    }
    void price(std::int64_t amount) { bridge.on_price({Kind::amount, amount, {}}, now()); }
};

TEST_F(BridgeSerialTest, AnAmountOpensASessionForItAndCancelClosesIt) {
    EXPECT_FALSE(bridge.session());
    EXPECT_EQ(display.shown.back().reason, "Waiting for the amount");
    price(250);
    ASSERT_TRUE(bridge.session());
    EXPECT_EQ(bridge.session()->amount, 250);
    const auto id = bridge.session()->id;
    price(250);  // feeds repeat the amount: same session
    EXPECT_EQ(bridge.session()->id, id);
    price(300);
    ASSERT_TRUE(bridge.session());
    EXPECT_NE(bridge.session()->id, id);
    EXPECT_EQ(display.shown.back().amount_minor, 300);
    bridge.on_price({Kind::malformed, 0, "\"x\" does not match"}, now());
    EXPECT_EQ(counter("prices_malformed"), 1);
    EXPECT_EQ(bridge.session()->amount, 300);
    bridge.on_price({Kind::cancel, 0, "cancel frame"}, now());
    EXPECT_FALSE(bridge.session());
    EXPECT_EQ(bus.on(topics.up_session, "session.cancel").size(), 2u);
}

TEST_F(BridgeSerialTest, AValidCodeBecomesAPaymentScanAndIsNeverLoggedInFull) {
    price(250);
    bridge.on_scan(wechat, now());
    const auto scans = bus.on(topics.up_payment, "payment.scan");
    ASSERT_EQ(scans.size(), 1u);
    const auto d = mqtt::decode_payment_request(scans[0]);
    ASSERT_TRUE(d);
    const auto& scan = std::get<mqtt::PaymentScan>(*d);
    EXPECT_EQ(scan.session, bridge.session()->id);
    EXPECT_EQ(scan.amount, 250);
    EXPECT_EQ(scan.code_type, "wechat_pay");
    EXPECT_EQ(scan.code, wechat);
    const auto events = bus.on(topics.events, "scan_sent");
    ASSERT_EQ(events.size(), 1u);
    for (const auto& e : events) {
        EXPECT_EQ(e.find(wechat), std::string::npos);
        EXPECT_NE(e.find("****6789"), std::string::npos);
    }
}

TEST_F(BridgeSerialTest, AnUnknownCodeIsRejectedOnTheScreenAndNotSent) {
    price(250);
    bridge.on_scan("9912345678901234", now());
    EXPECT_TRUE(bus.on(topics.up_payment, "payment.scan").empty());
    EXPECT_EQ(counter("scans_rejected"), 1);
    EXPECT_EQ(display.shown.back().reason, "Unknown payment code");
    EXPECT_FALSE(display.shown.back().qr_content.empty());
}

TEST_F(BridgeSerialTest, AnUnreadableScanIsCountedReportedAndNotSent) {
    price(250);
    bridge.on_scan_unreadable("2 key(s) with no character", now());
    EXPECT_TRUE(bus.on(topics.up_payment, "payment.scan").empty());
    EXPECT_EQ(counter("scans_unreadable"), 1);
    EXPECT_EQ(bus.on(topics.events, "scan_unreadable").size(), 1u);
    EXPECT_EQ(display.shown.back().reason, "Could not read the code, please scan again");
}

TEST_F(BridgeSerialTest, ACanceledOrderIsRefusedEvenAfterARestart) {
    price(250);
    bridge.on_scan(wechat, now());
    const auto paid = claims(250, "pay-late");  // for the session the order paid
    bridge.on_price({Kind::cancel, 0, "zero amount"}, now());
    const auto cancels = bus.on(topics.up_payment, "payment.cancel");
    ASSERT_EQ(cancels.size(), 1u);
    EXPECT_NE(cancels[0].find("\"reason\":\"price_cancel\""), std::string::npos);

    deliver(mqtt::make_payment_completed(paid, config.payment.key));
    settle();
    EXPECT_TRUE(board.edges().empty());
    EXPECT_EQ(counter("payments_after_cancel"), 1);
    const auto rejected = bus.on(topics.up_credit, "payment.rejected");
    ASSERT_EQ(rejected.size(), 1u);
    EXPECT_NE(rejected[0].find("order_canceled"), std::string::npos);

    // A daemon restarted on the same journal refuses it too.
    Bridge again{config, bus, display, player, journal, log};
    again.start(now());
    again.on_bus_event(mqtt::Connected{false}, now());
    again.on_bus_event(mqtt::Message{topics.down_payment,
                                     mqtt::make_payment_completed(paid, config.payment.key), false},
                       now());
    EXPECT_TRUE(board.edges().empty());
    EXPECT_EQ(again.counters().at("payments_after_cancel"), 1);
}

}  // namespace
}  // namespace cashbridge::bridge
