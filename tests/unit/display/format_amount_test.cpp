/// @file format_amount_test.cpp
/// Amounts as the customer reads them, and the wording of each screen state.
#include <gtest/gtest.h>

#include <limits>

#include "cashbridge/display/display.hpp"
#include "cashbridge/display/screen_text.hpp"
#include "test_support.hpp"

namespace cashbridge::display {
namespace {

TEST(FormatAmount, EuroCents) {
    EXPECT_EQ(format_amount(200, "EUR", 2), "2.00 EUR");
    EXPECT_EQ(format_amount(5, "EUR", 2), "0.05 EUR");
    EXPECT_EQ(format_amount(0, "EUR", 2), "0.00 EUR");
    EXPECT_EQ(format_amount(123456, "EUR", 2), "1234.56 EUR");
}

TEST(FormatAmount, ZeroExponentHasNoDecimalPoint) {
    EXPECT_EQ(format_amount(500, "JPY", 0), "500 JPY");
    EXPECT_EQ(format_amount(0, "JPY", 0), "0 JPY");
}

TEST(FormatAmount, ThreeDigitExponent) {
    EXPECT_EQ(format_amount(1500, "KWD", 3), "1.500 KWD");
}

TEST(FormatAmount, NegativeAndExtremes) {
    EXPECT_EQ(format_amount(-5, "EUR", 2), "-0.05 EUR");
    EXPECT_EQ(format_amount(std::numeric_limits<std::int64_t>::min(), "EUR", 2),
              "-92233720368547758.08 EUR");
}

TEST(FormatAmount, EmptyCurrencyHasNoTrailingSpace) {
    EXPECT_EQ(format_amount(200, "", 2), "2.00");
}

TEST(FormatAmount, RejectsNonsenseExponent) {
    EXPECT_THROW(format_amount(1, "EUR", -1), std::invalid_argument);
    EXPECT_THROW(format_amount(1, "EUR", 10), std::invalid_argument);
}

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
