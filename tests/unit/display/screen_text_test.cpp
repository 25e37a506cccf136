/// @file screen_text_test.cpp
/// The wording of each screen state, which every backend shares.
#include "cashbridge/display/screen_text.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace cashbridge::display {
namespace {

TEST(ScreenText, ReadyWithPrice) {
    const auto t = describe(test::ready_screen(200));
    EXPECT_EQ(t.heading, "Pay 2.00 EUR");
    EXPECT_TRUE(t.shows_qr);
    ASSERT_EQ(t.details.size(), 1u);
    EXPECT_EQ(t.details[0], "Scan with your phone camera to pay");
    EXPECT_EQ(t.footer, "Vending 42 – Hall B");
}

TEST(ScreenText, ReadyWithOpenAmount) {
    auto s = test::ready_screen();
    s.amount_minor.reset();
    EXPECT_EQ(describe(s).heading, "Choose amount in the app");
}

TEST(ScreenText, ReadyWithoutQrSaysWaitInsteadOfShowingAPrice) {
    auto s = test::ready_screen();
    s.qr_content.clear();
    const auto t = describe(s);
    EXPECT_FALSE(t.shows_qr);
    EXPECT_EQ(t.heading, "Preparing payment…");
}

TEST(ScreenText, Paid) {
    auto s = test::ready_screen(200);
    s.state = ScreenState::paid;
    const auto t = describe(s);
    EXPECT_EQ(t.heading, "Paid 2.00 EUR – credited");
    EXPECT_EQ(t.tone, Tone::good);
    EXPECT_FALSE(t.shows_qr);
}

TEST(ScreenText, PartialPaymentAsksForTheRestInCoins) {
    auto s = test::ready_screen(150);
    s.state = ScreenState::paid;
    s.remaining_minor = 50;
    const auto t = describe(s);
    EXPECT_EQ(t.heading, "Paid 1.50 EUR – credited");
    ASSERT_EQ(t.details.size(), 1u);
    EXPECT_EQ(t.details[0], "Please insert 0.50 EUR in coins");
}

TEST(ScreenText, UnavailableTellsToPayWithCoins) {
    const auto t =
        describe(test::state_screen(ScreenState::unavailable, "Payment network offline"));
    EXPECT_FALSE(t.shows_qr);
    EXPECT_EQ(t.details,
              (std::vector<std::string>{"Payment network offline", "Please pay with coins"}));
}

TEST(ScreenText, FaultShowsReason) {
    const auto t = describe(test::state_screen(ScreenState::fault, "Machine not ready"));
    EXPECT_FALSE(t.shows_qr);
    EXPECT_EQ(t.tone, Tone::bad);
    EXPECT_EQ(t.details, std::vector<std::string>{"Machine not ready"});
}

}  // namespace
}  // namespace cashbridge::display
