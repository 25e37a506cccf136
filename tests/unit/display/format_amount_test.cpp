/// @file format_amount_test.cpp
/// Amounts as the customer reads them.
#include <gtest/gtest.h>

#include <limits>

#include "cashbridge/display/display.hpp"

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

}  // namespace
}  // namespace cashbridge::display
