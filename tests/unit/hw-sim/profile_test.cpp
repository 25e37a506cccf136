// Profile parsing: the shipped profiles load, and every error names its field.
#include "cashbridge/sim/profile.hpp"

#include <gtest/gtest.h>

#include <cctype>

namespace cashbridge::sim {
namespace {

constexpr const char* good_pulse = R"({"protocol":"pulse","active":"low","coin_lines":{"coin":10},
  "width_ms":{"min":40,"max":60},"gap_ms":{"min":40},"inhibit_line":"inhibit",
  "inhibit_active":"high"})";

TEST(Profile, ParsesPulseProfile) {
    const auto p = parse_profile(good_pulse);
    EXPECT_EQ(p.protocol, Protocol::pulse);
    EXPECT_EQ(p.active, Polarity::active_low);
    ASSERT_EQ(p.coin_lines.size(), 1u);
    EXPECT_EQ(p.coin_lines[0].name, "coin");
    EXPECT_EQ(p.coin_lines[0].value, 10);
    EXPECT_EQ(p.width_min_ns, 40'000'000);
    EXPECT_EQ(p.width_max_ns, 60'000'000);
    EXPECT_EQ(p.gap_min_ns, 40'000'000);
    EXPECT_EQ(p.inhibit_line, "inhibit");
    EXPECT_EQ(p.inhibit_active, Polarity::active_high);
}

TEST(Profile, FractionalMillisecondsAndDefaults) {
    const auto p = parse_profile(
        R"({"protocol":"pulse","coin_lines":{"c":5},"width_ms":{"min":2.5,"max":4}})");
    EXPECT_EQ(p.width_min_ns, 2'500'000);
    EXPECT_EQ(p.gap_min_ns, 2'500'000);  // defaults to the minimum width
    EXPECT_EQ(p.active, Polarity::active_low);
    EXPECT_TRUE(p.inhibit_line.empty());
    EXPECT_EQ(p.coin_return_line, "coin_return");  // every machine has the button
    EXPECT_EQ(p.coin_return_active, Polarity::active_low);
}

TEST(Profile, ShippedProfilesLoad) {
    for (const char* name : {"pulse-50ms.json", "parallel-5.json", "pulse-fast.json"}) {
        SCOPED_TRACE(name);
        const auto p = load_profile(std::string(CASHBRIDGE_SIM_PROFILES) + "/" + name);
        EXPECT_FALSE(p.coin_lines.empty());
    }
    EXPECT_EQ(
        load_profile(std::string(CASHBRIDGE_SIM_PROFILES) + "/parallel-5.json").coin_lines.size(),
        5u);
}

struct BadCase {
    std::string json;
    std::string field;
};

void PrintTo(const BadCase& c, std::ostream* os) {
    *os << c.field << ": " << c.json;
}

class BadProfile : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadProfile, ErrorNamesTheField) {
    try {
        parse_profile(GetParam().json);
        FAIL() << "accepted " << GetParam().json;
    } catch (const ProfileError& e) {
        EXPECT_EQ(e.field(), GetParam().field) << e.what();
        EXPECT_EQ(std::string(e.what()).rfind(GetParam().field + ": ", 0), 0u) << e.what();
    }
}

#define BASE_WIDTH R"("width_ms":{"min":40,"max":60})"
INSTANTIATE_TEST_SUITE_P(
    Fields, BadProfile,
    ::testing::Values(
        BadCase{"not json", "(document)"}, BadCase{"[1]", "(document)"},
        BadCase{R"({"coin_lines":{"c":1},)" BASE_WIDTH "}", "protocol"},
        BadCase{R"({"protocol":"serial","coin_lines":{"c":1},)" BASE_WIDTH "}", "protocol"},
        BadCase{R"({"protocol":"pulse","active":"up","coin_lines":{"c":1},)" BASE_WIDTH "}",
                "active"},
        BadCase{R"({"protocol":"pulse",)" BASE_WIDTH "}", "coin_lines"},
        BadCase{R"({"protocol":"pulse","coin_lines":{},)" BASE_WIDTH "}", "coin_lines"},
        BadCase{R"({"protocol":"pulse","coin_lines":{"a":1,"b":2},)" BASE_WIDTH "}", "coin_lines"},
        BadCase{R"({"protocol":"pulse","coin_lines":{"coin":-5},)" BASE_WIDTH "}",
                "coin_lines.coin"},
        BadCase{R"({"protocol":"pulse","coin_lines":{"coin":1.5},)" BASE_WIDTH "}",
                "coin_lines.coin"},
        BadCase{R"({"protocol":"pulse","coin_lines":{"c":1}})", "width_ms"},
        BadCase{R"({"protocol":"pulse","coin_lines":{"c":1},"width_ms":{"max":60}})",
                "width_ms.min"},
        BadCase{R"({"protocol":"pulse","coin_lines":{"c":1},"width_ms":{"min":40}})",
                "width_ms.max"},
        BadCase{R"({"protocol":"pulse","coin_lines":{"c":1},"width_ms":{"min":"40","max":60}})",
                "width_ms.min"},
        BadCase{R"({"protocol":"pulse","coin_lines":{"c":1},"width_ms":{"min":60,"max":40}})",
                "width_ms.max"},
        BadCase{R"({"protocol":"pulse","coin_lines":{"c":1},)" BASE_WIDTH R"(,"gap_ms":{"min":0}})",
                "gap_ms.min"},
        BadCase{R"({"protocol":"pulse","coin_lines":{"c":1},)" BASE_WIDTH R"(,"gap_ms":5})",
                "gap_ms"},
        BadCase{R"({"protocol":"pulse","coin_lines":{"c":1},)" BASE_WIDTH R"(,"inhibit_line":"c"})",
                "inhibit_line"},
        BadCase{R"({"protocol":"pulse","coin_lines":{"c":1},)" BASE_WIDTH
                R"(,"inhibit_active":"hi"})",
                "inhibit_active"},
        BadCase{R"({"protocol":"pulse","coin_lines":{"c":1},)" BASE_WIDTH
                R"(,"coin_return_line":"c"})",
                "coin_return_line"},
        BadCase{R"({"protocol":"pulse","coin_lines":{"c":1},)" BASE_WIDTH
                R"(,"coin_return_active":"hi"})",
                "coin_return_active"}),
    [](const auto& info) {
        std::string name = std::to_string(info.index) + "_" + info.param.field;
        for (auto& ch : name)
            if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
        return name;
    });

TEST(Profile, UnreadableFileNamesFile) {
    try {
        load_profile("/nonexistent/profile.json");
        FAIL();
    } catch (const ProfileError& e) {
        EXPECT_EQ(e.field(), "file");
    }
}

}  // namespace
}  // namespace cashbridge::sim
