// PriceFeedParser and its helpers: patterns, decimal conventions, frames, limits, staleness.
#include "cashbridge/bridge/price_feed.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace cashbridge::bridge {
namespace {

using Kind = PriceUpdate::Kind;
using std::chrono::milliseconds;
const hal::TimePoint t0{};

PriceFeedConfig line_config() {
    PriceFeedConfig c;
    c.pattern = R"(^PRICE (?<amount>[0-9.]+)$)";
    c.cancel_pattern = "^CANCEL$";
    c.decimals = DecimalConvention::point;
    return c;
}

TEST(PricePattern, TheAmountGroupKeepsItsNumber) {
    const Pattern p(R"(^(?:P|Q)(\d)-(?<amount>\d+)(?=;);[(]x\()", true);
    EXPECT_EQ(p.amount_group(), 2u);
    EXPECT_EQ(p.amount_in("P1-250;(x("), "250");
    EXPECT_EQ(p.amount_in("P1-250;(y("), std::nullopt);
    EXPECT_TRUE(Pattern("^CANCEL$", false).found_in("CANCEL"));
}

TEST(PricePattern, BadPatternsAreClearErrors) {
    const std::pair<const char*, const char*> cases[] = {
        {"PRICE (\\d+)", "no (?<amount>"},
        {"(?<total>\\d+)", "only named group"},
        {"(?<amount>\\d+)(?<amount>\\d+)", "twice"},
        {"(?<amount>\\d+", "not a valid regular expression"},
    };
    for (const auto& [pattern, message] : cases) {
        try {
            Pattern(pattern, true);
            ADD_FAILURE() << pattern << " compiled";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
        }
    }
}

TEST(ParseAmount, DecimalConventions) {
    using D = DecimalConvention;
    EXPECT_EQ(parse_amount("250", D::minor, 2), 250);
    EXPECT_EQ(parse_amount("2.50", D::point, 2), 250);
    EXPECT_EQ(parse_amount("2.5", D::point, 2), 250);
    EXPECT_EQ(parse_amount("2", D::point, 2), 200);
    EXPECT_EQ(parse_amount("2,50", D::comma, 2), 250);
    EXPECT_EQ(parse_amount("500", D::point, 0), 500);
    EXPECT_EQ(parse_amount("2.505", D::point, 2), std::nullopt);  // finer than a cent
    EXPECT_EQ(parse_amount("2,50", D::point, 2), std::nullopt);
    EXPECT_EQ(parse_amount("2.50", D::minor, 2), std::nullopt);
    EXPECT_EQ(parse_amount("", D::minor, 2), std::nullopt);
    EXPECT_EQ(parse_amount(".", D::point, 2), std::nullopt);
    EXPECT_EQ(parse_amount("99999999999999999999999", D::minor, 2), std::nullopt);
}

TEST(PriceFeedParser, LinesBecomeAmountsCancelsAndReportedProblems) {
    PriceFeedParser p(line_config(), 2, 1000, 50);
    const auto u = p.feed(
        "PRICE 2.50\r\nPRICE 2.5\nCANCEL\r\nPRICE 0\r\nhello\r\n"
        "PRICE 20.00\r\nPRICE 2.55\r\nPRICE 2.x\r\n\r\n",
        t0);
    ASSERT_EQ(u.size(), 8u);
    EXPECT_EQ(u[0].kind, Kind::amount);
    EXPECT_EQ(u[0].amount, 250);
    EXPECT_EQ(u[1].amount, 250);
    EXPECT_EQ(u[2].kind, Kind::cancel);
    EXPECT_EQ(u[3].kind, Kind::cancel);  // zero closes the session
    EXPECT_EQ(u[4].kind, Kind::malformed);
    EXPECT_NE(u[4].detail.find("hello"), std::string::npos);
    EXPECT_EQ(u[5].kind, Kind::out_of_range);  // above max_amount
    EXPECT_EQ(u[6].kind, Kind::out_of_range);  // not a multiple of the coin
    EXPECT_EQ(u[7].kind, Kind::malformed);
}

TEST(PriceFeedParser, FramesSplitAcrossReadsAreJoined) {
    PriceFeedParser p(line_config(), 2, 1000, 50);
    EXPECT_TRUE(p.feed("PRI", t0).empty());
    const auto u = p.feed("CE 1.00\r\n", t0 + milliseconds(10));
    ASSERT_EQ(u.size(), 1u);
    EXPECT_EQ(u[0].amount, 100);
}

TEST(PriceFeedParser, FixedLengthFrames) {
    PriceFeedConfig c;
    c.pattern = R"(^\x02(?<amount>\d{6})\x03$)";
    c.frame_length = 8;
    PriceFeedParser p(c, 2, 100000, 10);
    const auto u = p.feed(
        "\x02"
        "000250\x03\x02"
        "0001",
        t0);
    ASSERT_EQ(u.size(), 1u);
    EXPECT_EQ(u[0].amount, 250);
    // The rest of the second frame never comes: dropped once the frame timeout passes.
    const auto late = p.tick(t0 + milliseconds(1500));
    ASSERT_EQ(late.size(), 1u);
    EXPECT_EQ(late[0].kind, Kind::malformed);
    EXPECT_NE(late[0].detail.find("\\x02"), std::string::npos) << late[0].detail;
}

TEST(PriceFeedParser, AnAmountNotRepeatedGoesStaleOnce) {
    auto c = line_config();
    c.stale_after = milliseconds(3000);
    PriceFeedParser p(c, 2, 1000, 50);
    p.feed("PRICE 1.00\n", t0);
    EXPECT_TRUE(p.tick(t0 + milliseconds(2000)).empty());
    p.feed("PRICE 1.00\n", t0 + milliseconds(2500));  // a repeat keeps it fresh
    EXPECT_TRUE(p.tick(t0 + milliseconds(5000)).empty());
    const auto u = p.tick(t0 + milliseconds(5600));
    ASSERT_EQ(u.size(), 1u);
    EXPECT_EQ(u[0].kind, Kind::stale);
    EXPECT_TRUE(p.tick(t0 + milliseconds(9000)).empty());
}

}  // namespace
}  // namespace cashbridge::bridge
