/// @file price_feed.hpp
/// The price feed's bytes to amounts: framing, the configured pattern, the decimal
/// convention and the limits. Pure logic with the time passed in.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cashbridge/bridge/serial_devices_config.hpp"
#include "cashbridge/hal/line.hpp"

namespace cashbridge::bridge {

/// A compiled ECMAScript regular expression. With `amount` set it must hold one
/// `(?<amount>...)` group, which std::regex cannot parse (it has no named groups): the name
/// is removed and the group's number kept. std::regex stays inside price_pattern.cpp.
/// Throws std::invalid_argument naming the problem (no amount group, another named group,
/// not a valid regular expression).
class Pattern {
  public:
    Pattern(const std::string& pattern, bool amount);
    Pattern(Pattern&&) noexcept;
    Pattern& operator=(Pattern&&) noexcept;
    ~Pattern();

    bool found_in(const std::string& text) const;
    /// The amount group's text when the pattern is found in `text`.
    std::optional<std::string> amount_in(const std::string& text) const;
    std::size_t amount_group() const { return amount_group_; }

  private:
    struct Compiled;
    std::unique_ptr<Compiled> compiled_;
    std::size_t amount_group_ = 0;
};

/// Digits (and the separator the convention allows) to minor units; nullopt if malformed,
/// e.g. "2.505" with two minor digits or "12a".
std::optional<std::int64_t> parse_amount(std::string_view text, DecimalConvention decimals,
                                         int currency_exponent);

struct PriceUpdate {
    enum class Kind { amount, cancel, malformed, out_of_range, stale };
    Kind kind = Kind::malformed;
    std::int64_t amount = 0;  ///< Kind::amount
    std::string detail;       ///< what was wrong, for the event; frames are shown escaped
};

class PriceFeedParser {
  public:
    /// `max_amount` and `unit` (the smallest creditable amount) bound what is accepted.
    PriceFeedParser(const PriceFeedConfig& config, int currency_exponent, std::int64_t max_amount,
                    std::int64_t unit);

    /// Bytes as they arrived; one update per complete frame (empty lines are skipped).
    std::vector<PriceUpdate> feed(std::string_view bytes, hal::TimePoint now);
    /// Timers: a partial frame left too long, an amount not repeated within stale_after.
    std::vector<PriceUpdate> tick(hal::TimePoint now);

  private:
    PriceUpdate frame(const std::string& text, hal::TimePoint now);

    PriceFeedConfig config_;
    int exponent_;
    std::int64_t max_amount_;
    std::int64_t unit_;
    Pattern pattern_;
    std::optional<Pattern> cancel_;
    std::string partial_;
    hal::TimePoint last_byte_{};
    std::optional<hal::TimePoint> amount_seen_;  // set while an amount is current
};

}  // namespace cashbridge::bridge
