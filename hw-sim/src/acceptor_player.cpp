// AcceptorPlayer: coins -> edges on the cash_in lines, timed like the real acceptor.
#include "cashbridge/sim/acceptor_player.hpp"

#include <algorithm>
#include <stdexcept>

namespace cashbridge::sim {

std::int64_t AcceptorPlayer::insert(const std::vector<std::int64_t>& coins, std::int64_t now_ns) {
    // Check every coin first: a bad value must not leave half a command queued.
    std::vector<std::pair<const CoinLine*, std::int64_t>> plan;  // line, pulses
    for (const auto value : coins) {
        if (out_.pulse_is_coin) {
            const auto it = std::find_if(out_.lines.begin(), out_.lines.end(),
                                         [&](const CoinLine& l) { return l.value == value; });
            if (it == out_.lines.end())
                throw std::invalid_argument("no coin line for value " + std::to_string(value));
            plan.emplace_back(&*it, 1);
        } else {
            const auto unit = out_.lines.at(0).value;
            if (value <= 0 || value % unit != 0)
                throw std::invalid_argument("coin value " + std::to_string(value) +
                                            " is not a multiple of the pulse value " +
                                            std::to_string(unit));
            plan.emplace_back(&out_.lines[0], value / unit);
        }
    }
    const int active = active_level(out_.active);
    std::int64_t t = std::max(now_ns, edges_.empty() ? now_ns : last_end_ns_ + out_.coin_gap_ns);
    for (const auto& [line, pulses] : plan) {
        const auto width = line->pulse_ns > 0 ? line->pulse_ns : out_.pulse_ns;
        for (std::int64_t k = 0; k < pulses; ++k) {
            edges_.push_back({t, line->name, active});
            edges_.push_back({t + width, line->name, 1 - active});
            last_end_ns_ = t + width;
            t = last_end_ns_ + out_.gap_ns;
        }
        t = last_end_ns_ + out_.coin_gap_ns;
    }
    return last_end_ns_;
}

std::vector<ScheduledEdge> AcceptorPlayer::due(std::int64_t now_ns) {
    std::vector<ScheduledEdge> out;
    while (!edges_.empty() && edges_.front().t_ns <= now_ns) {
        out.push_back(std::move(edges_.front()));
        edges_.pop_front();
    }
    return out;
}

std::optional<std::int64_t> AcceptorPlayer::next_ns() const {
    if (edges_.empty()) return std::nullopt;
    return edges_.front().t_ns;
}

}  // namespace cashbridge::sim
