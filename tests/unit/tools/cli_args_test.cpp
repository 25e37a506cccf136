// The subcommands' flag parser: every mistake is a UsageError that names the flag.
#include "cli_args.hpp"

#include <gtest/gtest.h>

namespace cashbridge::tools {
namespace {

std::string error_of(const std::vector<std::string>& words) {
    try {
        const auto a = parse_args(words, {"--count", "--line"}, 0);
        a.integer("--count", 1, 1000);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "";
}

TEST(CliArgs, ReadsBothSpellings) {
    const auto a = parse_args({"--line", "coin", "--count=5"}, {"--count", "--line"}, 0);
    EXPECT_EQ(a.text("--line"), "coin");
    EXPECT_EQ(a.integer("--count", 1, 1000), 5);
    EXPECT_FALSE(a.help);
}

TEST(CliArgs, MistakesNameTheFlag) {
    EXPECT_EQ(error_of({"--lines", "coin"}), "unknown option '--lines'");
    EXPECT_EQ(error_of({"--count"}), "option --count needs a value");
    EXPECT_EQ(error_of({"--count", "0"}), "--count must be a whole number from 1 to 1000, got '0'");
    EXPECT_EQ(error_of({"--count", "5x"}),
              "--count must be a whole number from 1 to 1000, got '5x'");
    EXPECT_EQ(error_of({"--count", "1", "--count", "2"}), "option --count given twice");
    EXPECT_EQ(error_of({"stray"}), "unexpected argument 'stray'");
}

}  // namespace
}  // namespace cashbridge::tools
