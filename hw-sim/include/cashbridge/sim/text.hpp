/// @file text.hpp
/// Tiny parsing helpers for the sim's line-oriented protocols (no exceptions on bad input).
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cashbridge::sim {

/// Splits on runs of spaces/tabs.
inline std::vector<std::string> split_words(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        const auto start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
        if (i > start) out.emplace_back(s.substr(start, i - start));
    }
    return out;
}

/// The whole of `s` as a decimal int64, or nullopt (empty, junk, overflow).
inline std::optional<std::int64_t> parse_int64(std::string_view s) {
    std::int64_t v = 0;
    const auto* end = s.data() + s.size();
    auto [p, ec] = std::from_chars(s.data(), end, v);
    if (s.empty() || ec != std::errc() || p != end) return std::nullopt;
    return v;
}

/// "0" or "1" as a level, otherwise nullopt.
inline std::optional<int> parse_level(std::string_view s) {
    if (s == "0") return 0;
    if (s == "1") return 1;
    return std::nullopt;
}

}  // namespace cashbridge::sim
