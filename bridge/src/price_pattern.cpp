// The price pattern's named amount group, and amounts in the configured decimal convention.
#include <regex>
#include <stdexcept>

#include "cashbridge/bridge/price_feed.hpp"

namespace cashbridge::bridge {

struct Pattern::Compiled {
    std::regex regex;
};

Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;
Pattern::~Pattern() = default;

bool Pattern::found_in(const std::string& text) const {
    return std::regex_search(text, compiled_->regex);
}

std::optional<std::string> Pattern::amount_in(const std::string& text) const {
    std::smatch m;
    if (!std::regex_search(text, m, compiled_->regex) || !m[amount_group_].matched)
        return std::nullopt;
    return m[amount_group_].str();
}

Pattern::Pattern(const std::string& pattern, bool want_amount) {
    // Walk the pattern as ECMAScript does to number the capturing groups: escapes and
    // character classes hold no groups, "(?" opens a non-capturing group or an assertion.
    static constexpr std::string_view named = "(?<amount>";
    std::string out;
    std::size_t groups = 0;
    std::size_t amount = 0;
    bool in_class = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\' && i + 1 < pattern.size()) {
            out += pattern.substr(i, 2);
            ++i;
            continue;
        }
        if (in_class) {
            in_class = c != ']';
        } else if (c == '[') {
            in_class = true;
        } else if (want_amount && c == '(' && pattern.compare(i, named.size(), named) == 0) {
            if (amount != 0) throw std::invalid_argument("(?<amount>...) appears twice");
            amount = ++groups;
            out += '(';
            i += named.size() - 1;
            continue;
        } else if (c == '(' && pattern.compare(i, 3, "(?<") == 0 && i + 3 < pattern.size() &&
                   pattern[i + 3] != '=' && pattern[i + 3] != '!') {
            throw std::invalid_argument("the only named group supported is (?<amount>...)");
        } else if (c == '(' && (i + 1 >= pattern.size() || pattern[i + 1] != '?')) {
            ++groups;
        }
        out += c;
    }
    if (want_amount && amount == 0) throw std::invalid_argument("no (?<amount>...) group");
    amount_group_ = amount;
    try {
        compiled_ = std::make_unique<Compiled>(Compiled{std::regex(out, std::regex::ECMAScript)});
    } catch (const std::regex_error& e) {
        throw std::invalid_argument(std::string("not a valid regular expression: ") + e.what());
    }
}

std::optional<std::int64_t> parse_amount(std::string_view text, DecimalConvention decimals,
                                         int exponent) {
    const char separator = decimals == DecimalConvention::point   ? '.'
                           : decimals == DecimalConvention::comma ? ','
                                                                  : '\0';
    std::int64_t whole = 0;
    std::int64_t fraction = 0;
    int fraction_digits = 0;
    bool seen_separator = false;
    bool any_digit = false;
    for (const char c : text) {
        if (separator != '\0' && c == separator && !seen_separator) {
            seen_separator = true;
            continue;
        }
        if (c < '0' || c > '9') return std::nullopt;
        any_digit = true;
        if (seen_separator) {
            if (++fraction_digits > exponent) return std::nullopt;  // finer than a cent
            fraction = fraction * 10 + (c - '0');
        } else {
            if (whole > 1'000'000'000'000) return std::nullopt;  // no machine asks that much
            whole = whole * 10 + (c - '0');
        }
    }
    if (!any_digit) return std::nullopt;
    if (decimals == DecimalConvention::minor) return whole;
    for (int i = fraction_digits; i < exponent; ++i) fraction *= 10;
    std::int64_t scale = 1;
    for (int i = 0; i < exponent; ++i) scale *= 10;
    return whole * scale + fraction;
}

}  // namespace cashbridge::bridge
