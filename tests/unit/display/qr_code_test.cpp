/// @file qr_code_test.cpp
/// The qrcodegen wrapper: sizes, quiet zone convention and the too-long error.
#include "cashbridge/display/qr_code.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace cashbridge::display {
namespace {

TEST(QrCode, PaymentUrlGivesASmallSymbol) {
    const auto qr = encode_qr(test::payment_url);
    // 67 bytes at level M need version 5 (37 modules): small enough to scan from afar.
    EXPECT_EQ(qr.size(), 37);
    // Finder pattern corners are dark; outside the symbol (quiet zone) is light.
    EXPECT_TRUE(qr.dark(0, 0));
    EXPECT_TRUE(qr.dark(qr.size() - 1, 0));
    EXPECT_TRUE(qr.dark(0, qr.size() - 1));
    EXPECT_FALSE(qr.dark(-1, 0));
    EXPECT_FALSE(qr.dark(0, qr.size()));
}

TEST(QrCode, TooLongContentSaysSo) {
    try {
        encode_qr(std::string(3000, 'x'));
        FAIL() << "expected std::length_error";
    } catch (const std::length_error& e) {
        EXPECT_NE(std::string(e.what()).find("3000 bytes"), std::string::npos) << e.what();
    }
}

TEST(QrCode, EmptyContentIsRejected) {
    EXPECT_THROW(encode_qr(""), std::invalid_argument);
}

}  // namespace
}  // namespace cashbridge::display
