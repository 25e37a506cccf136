// Sessions: QR content from the template and ids nobody can guess.
#include "cashbridge/bridge/session.hpp"

#include <gtest/gtest.h>

#include <set>

namespace cashbridge::bridge {
namespace {

TEST(Session, TemplateFillsEveryPlaceholder) {
    EXPECT_EQ(fill_qr_template(
                  "https://p.example/{machine}/{session}?a={amount}&c={currency}&s={session}",
                  "vend-1", "abc", 200, "EUR"),
              "https://p.example/vend-1/abc?a=200&c=EUR&s=abc");
    EXPECT_EQ(fill_qr_template("x?s={session}&a={amount}", "m", "s1", std::nullopt, "EUR"),
              "x?s=s1&a=");
}

TEST(Session, FixedPriceSessionsCarryTheAmountAndExpire) {
    Config c;
    c.machine_id = "vend-1";
    c.payment.price_mode = PriceMode::fixed;
    c.payment.price = 150;
    c.payment.session_lifetime = std::chrono::seconds(120);
    c.payment.qr_template = "https://p.example/?s={session}&a={amount}";
    SessionFactory f(c);
    const WallTime now{std::chrono::seconds(1'700'000'000)};
    const auto s = f.open(now);
    EXPECT_EQ(s.amount, 150);
    EXPECT_EQ(s.expires, now + std::chrono::seconds(120));
    EXPECT_EQ(s.qr_content, "https://p.example/?s=" + s.id + "&a=150");
}

TEST(Session, IdsAre128BitHexAndDistinct) {
    Config c;
    c.payment.price_mode = PriceMode::open;
    c.payment.qr_template = "{session}";
    SessionFactory f(c);
    std::set<std::string> ids;
    for (int i = 0; i < 1000; ++i) {
        const auto s = f.open(WallTime{});
        EXPECT_EQ(s.id.size(), 32u);
        EXPECT_EQ(s.id.find_first_not_of("0123456789abcdef"), std::string::npos);
        EXPECT_FALSE(s.amount);
        ids.insert(s.id);
    }
    EXPECT_EQ(ids.size(), 1000u);
}

}  // namespace
}  // namespace cashbridge::bridge
