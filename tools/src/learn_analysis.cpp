// analyse(): edges -> pulse width, pauses and grouping into coins.
#include "learn_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "durations.hpp"

namespace cashbridge::tools {
namespace {

Spread spread(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    const double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return {median, v.front(), v.back()};
}

/// The pause length above which a pause ends a coin; nullopt when every pause is alike.
std::optional<double> coin_threshold(std::vector<double> pauses) {
    std::sort(pauses.begin(), pauses.end());
    double best_ratio = 1.5;
    std::optional<double> threshold;
    for (std::size_t i = 1; i < pauses.size(); ++i) {
        const double ratio = pauses[i] / std::max(pauses[i - 1], 0.001);
        if (ratio >= best_ratio) {
            best_ratio = ratio;
            threshold = std::sqrt(pauses[i] * std::max(pauses[i - 1], 0.001));
        }
    }
    return threshold;
}

}  // namespace

std::optional<Learned> analyse(hal::Level idle, const std::vector<hal::Edge>& edges,
                               std::optional<int> coins_hint) {
    Learned l;
    l.active = hal::opposite(idle);
    std::vector<double> widths, pauses;
    // Plain time points with flags: GCC 12 misreads std::optional<time_point> here as
    // maybe-uninitialized.
    hal::TimePoint start{}, last_end{};
    bool in_pulse = false, ended = false;
    for (const auto& e : edges) {
        if (e.level == l.active && !in_pulse) {
            if (ended) pauses.push_back(ms_between(last_end, e.at));
            start = e.at;
            in_pulse = true;
        } else if (e.level == idle && in_pulse) {
            widths.push_back(ms_between(start, e.at));
            last_end = e.at;
            in_pulse = false;
            ended = true;
        }
    }
    if (widths.empty()) return std::nullopt;
    l.pulses = widths.size();
    l.width = spread(widths);

    auto threshold = coin_threshold(pauses);
    if (!threshold && !pauses.empty() && coins_hint &&
        static_cast<std::size_t>(*coins_hint) == widths.size())
        threshold = 0.0;  // one pulse per coin: every pause is between coins
    std::vector<double> inside, between;
    l.pulses_per_coin = {1};
    for (const double p : pauses) {
        if (threshold && p > *threshold) {
            between.push_back(p);
            l.pulses_per_coin.push_back(1);
        } else {
            inside.push_back(p);
            ++l.pulses_per_coin.back();
        }
    }
    if (!inside.empty()) l.gap = spread(inside);
    if (!between.empty()) l.coin_gap = spread(between);
    return l;
}

std::string proposal_json(const Learned& l, const std::string& profile) {
    const auto whole = [](double v) { return std::to_string(std::llround(v)); };
    std::ostringstream o;
    const auto width = std::llround(l.width.median);
    // A controller's tolerance must cover what was measured; a fifth of the width is the
    // usual margin (the profiles in profiles/ use it).
    const double seen = std::max(l.width.max - l.width.median, l.width.median - l.width.min);
    const auto tolerance =
        std::max<long long>(std::llround(std::ceil(seen)), std::max(1LL, width / 5));
    o << "{\n  \"acceptor\": {\n";
    if (!profile.empty()) o << "    \"profile\": \"" << profile << "\",\n";
    o << "    \"protocol\": \"pulse\",\n";
    o << "    \"active\": \"" << (l.active == hal::Level::low ? "low" : "high") << "\",\n";
    o << "    \"pulse_ms\": " << width << ",\n";
    // One pulse per coin has no pause inside a coin: the pause between coins is the gap.
    const auto gap = l.gap ? l.gap->median : l.coin_gap ? l.coin_gap->median : l.width.median;
    o << "    \"gap_ms\": " << whole(gap) << ",\n";
    const bool same = std::all_of(l.pulses_per_coin.begin(), l.pulses_per_coin.end(),
                                  [&](int n) { return n == l.pulses_per_coin.front(); });
    if (same && l.pulses_per_coin.size() > 1 && l.pulses_per_coin.front() > 1)
        o << "    \"pulses_per_coin\": " << l.pulses_per_coin.front() << ",\n";
    if (l.coin_gap && l.gap) o << "    \"coin_gap_ms\": " << whole(l.coin_gap->median) << ",\n";
    o << "    \"tolerance_ms\": " << tolerance << "\n  }\n}\n";
    return o.str();
}

}  // namespace cashbridge::tools
