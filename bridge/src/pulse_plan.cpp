// plan_pulses: amounts to pulse trains for the `pulse` and `parallel` acceptor protocols.
#include "cashbridge/bridge/pulse_plan.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace cashbridge::bridge {
namespace {

using std::chrono::microseconds;

std::vector<PlannedPulse> plan_single_line(std::int64_t amount, const AcceptorConfig& a) {
    const auto count = amount / a.pulse_value;
    std::vector<PlannedPulse> plan;
    plan.reserve(static_cast<std::size_t>(count));
    microseconds t{0};
    for (std::int64_t i = 0; i < count; ++i) {
        plan.push_back({0, a.pulse_value, t, a.pulse_width, i});
        const bool coin_done = a.pulses_per_coin > 0 && (i + 1) % a.pulses_per_coin == 0;
        t += a.pulse_width + (coin_done ? microseconds(a.coin_gap) : microseconds(a.pulse_gap));
    }
    return plan;
}

/// Fewest coins by dynamic programming over multiples of the unit: greedy is not optimal
/// for every coin set (40+40 beats 50+10+10+10), and amounts are small enough.
std::vector<std::size_t> fewest_coins(std::int64_t amount, const AcceptorConfig& a) {
    const auto unit = a.unit();
    const auto n = static_cast<std::size_t>(amount / unit);
    constexpr auto none = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> count(n + 1, none), last(n + 1, none);
    count[0] = 0;
    for (std::size_t k = 1; k <= n; ++k) {
        for (std::size_t c = 0; c < a.coins.size(); ++c) {
            const auto step = static_cast<std::size_t>(a.coins[c].value / unit);
            if (step <= k && count[k - step] != none && count[k - step] + 1 < count[k]) {
                count[k] = count[k - step] + 1;
                last[k] = c;
            }
        }
    }
    if (count[n] == none)
        throw std::invalid_argument("amount " + std::to_string(amount) +
                                    " cannot be paid with the configured coins");
    std::vector<std::size_t> coins;
    for (std::size_t k = n; k > 0; k -= static_cast<std::size_t>(a.coins[last[k]].value / unit))
        coins.push_back(last[k]);
    // Coins are sorted largest first in the config; play them in that order.
    std::sort(coins.begin(), coins.end());
    return coins;
}

std::vector<PlannedPulse> plan_parallel(std::int64_t amount, const AcceptorConfig& a) {
    std::vector<PlannedPulse> plan;
    microseconds t{0};
    for (auto line : fewest_coins(amount, a)) {
        const microseconds width = a.width_of(a.coins[line]);
        plan.push_back(
            {line, a.coins[line].value, t, width, static_cast<std::int64_t>(plan.size())});
        t += width + a.pulse_gap;
    }
    return plan;
}

}  // namespace

std::vector<PlannedPulse> plan_pulses(std::int64_t amount, const AcceptorConfig& acceptor) {
    const auto unit = acceptor.unit();
    if (amount <= 0 || unit <= 0 || amount % unit != 0)
        throw std::invalid_argument("amount " + std::to_string(amount) +
                                    " is not a positive multiple of " + std::to_string(unit));
    return acceptor.protocol == AcceptorProtocol::pulse ? plan_single_line(amount, acceptor)
                                                        : plan_parallel(amount, acceptor);
}

}  // namespace cashbridge::bridge
