/// @file display.cpp
/// format_amount and the display that shows nothing.
#include "cashbridge/display/display.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace cashbridge::display {

std::string format_amount(std::int64_t minor, std::string_view currency, int exponent) {
    if (exponent < 0 || exponent > 9)
        throw std::invalid_argument("currency exponent " + std::to_string(exponent) +
                                    " is outside 0..9");
    // Unsigned magnitude so INT64_MIN does not overflow on negation.
    const bool negative = minor < 0;
    const std::uint64_t magnitude =
        negative ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
    std::string digits = std::to_string(magnitude);
    const auto exp = static_cast<std::size_t>(exponent);
    if (digits.size() <= exp) digits.insert(0, exp + 1 - digits.size(), '0');
    if (exp > 0) digits.insert(digits.size() - exp, 1, '.');
    std::string out = negative ? "-" + digits : digits;
    if (!currency.empty()) {
        out += ' ';
        out += currency;
    }
    return out;
}

namespace {
class NullDisplay final : public Display {
  public:
    void show(const Screen&) override {}
};
}  // namespace

std::unique_ptr<Display> make_null_display() {
    return std::make_unique<NullDisplay>();
}

}  // namespace cashbridge::display
