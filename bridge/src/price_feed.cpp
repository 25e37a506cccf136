// PriceFeedParser: frames from the serial bytes, then cancel, amount or a reported problem.
#include "cashbridge/bridge/price_feed.hpp"

#include <algorithm>

namespace cashbridge::bridge {
namespace {

constexpr std::size_t max_line = 256;  // a price line is short; more is noise

// Frames go into events: control bytes shown escaped, and long ones cut.
std::string printable(const std::string& s) {
    std::string out;
    for (const unsigned char c : s.substr(0, 64)) {
        if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            static constexpr char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return s.size() > 64 ? out + "..." : out;
}

PriceUpdate problem(PriceUpdate::Kind kind, std::string detail) {
    return {kind, 0, std::move(detail)};
}

}  // namespace

PriceFeedParser::PriceFeedParser(const PriceFeedConfig& config, int currency_exponent,
                                 std::int64_t max_amount, std::int64_t unit)
    : config_(config),
      exponent_(currency_exponent),
      max_amount_(config.max_amount > 0 ? config.max_amount : max_amount),
      unit_(std::max<std::int64_t>(unit, 1)),
      pattern_(config.pattern, true) {
    if (!config.cancel_pattern.empty()) cancel_.emplace(config.cancel_pattern, false);
}

std::vector<PriceUpdate> PriceFeedParser::feed(std::string_view bytes, hal::TimePoint now) {
    std::vector<PriceUpdate> out;
    auto stale = tick(now);  // a partial frame from long ago must not prefix this one
    out.insert(out.end(), stale.begin(), stale.end());
    last_byte_ = now;
    for (const char c : bytes) {
        if (config_.frame_length > 0) {
            partial_ += c;
            if (partial_.size() == static_cast<std::size_t>(config_.frame_length)) {
                out.push_back(frame(partial_, now));
                partial_.clear();
            }
            continue;
        }
        if (c == '\r' || c == '\n') {
            if (!partial_.empty()) out.push_back(frame(partial_, now));
            partial_.clear();
        } else if (partial_.size() < max_line) {
            partial_ += c;
        } else {
            out.push_back(problem(PriceUpdate::Kind::malformed,
                                  "line longer than " + std::to_string(max_line) + " bytes"));
            partial_.clear();
        }
    }
    return out;
}

std::vector<PriceUpdate> PriceFeedParser::tick(hal::TimePoint now) {
    std::vector<PriceUpdate> out;
    if (!partial_.empty() && now - last_byte_ >= config_.frame_timeout) {
        out.push_back(problem(PriceUpdate::Kind::malformed,
                              "incomplete frame \"" + printable(partial_) + "\" dropped"));
        partial_.clear();
    }
    if (amount_seen_ && config_.stale_after.count() > 0 &&
        now - *amount_seen_ >= config_.stale_after) {
        amount_seen_.reset();
        out.push_back(problem(
            PriceUpdate::Kind::stale,
            "amount not repeated within " + std::to_string(config_.stale_after.count()) + " ms"));
    }
    return out;
}

PriceUpdate PriceFeedParser::frame(const std::string& text, hal::TimePoint now) {
    if (cancel_ && cancel_->found_in(text)) {
        amount_seen_.reset();
        return {PriceUpdate::Kind::cancel, 0, "cancel frame"};
    }
    const auto found = pattern_.amount_in(text);
    if (!found)
        return problem(PriceUpdate::Kind::malformed,
                       "\"" + printable(text) + "\" does not match the pattern");
    const std::string& digits = *found;
    const auto amount = parse_amount(digits, config_.decimals, exponent_);
    if (!amount)
        return problem(PriceUpdate::Kind::malformed, "\"" + printable(digits) +
                                                         "\" is not an amount in the configured "
                                                         "decimal convention");
    if (*amount == 0) {
        amount_seen_.reset();
        return {PriceUpdate::Kind::cancel, 0, "zero amount"};
    }
    if (*amount > max_amount_)
        return problem(
            PriceUpdate::Kind::out_of_range,
            std::to_string(*amount) + " is above the maximum " + std::to_string(max_amount_));
    if (*amount % unit_ != 0)
        return problem(PriceUpdate::Kind::out_of_range,
                       std::to_string(*amount) + " is not a multiple of " + std::to_string(unit_) +
                           ", the smallest amount the machine credits");
    amount_seen_ = now;
    return {PriceUpdate::Kind::amount, *amount, {}};
}

}  // namespace cashbridge::bridge
