// `insert`: the sim plays the machine's real coin acceptor on the cash_in lines.
#include <stdexcept>

#include "cashbridge/sim/log.hpp"
#include "cashbridge/sim/simulator.hpp"
#include "cashbridge/sim/text.hpp"

namespace cashbridge::sim {

std::string Simulator::cmd_insert(const Command& c) {
    if (!acceptor_)
        throw std::invalid_argument(
            "the profile has no acceptor outputs: use a shared profile from profiles/");
    if (!c.args.empty())
        throw std::invalid_argument("unknown argument '" + c.args.begin()->first + "' for insert");
    if (c.words.empty()) throw std::invalid_argument("usage: insert VALUE... (minor units)");
    std::vector<std::int64_t> coins;
    for (const auto& w : c.words) {
        const auto v = parse_int64(w);
        if (!v || *v <= 0 || *v > 1'000'000)
            throw std::invalid_argument("coin value must be an integer in [1, 1000000], got '" + w +
                                        "'");
        coins.push_back(*v);
    }
    const auto until = acceptor_->insert(coins, monotonic_ns());
    log_line("insert " + std::to_string(coins.size()) + " coin(s) on the cash_in lines");
    auto j = json_object();
    cJSON_AddTrueToObject(j.get(), "ok");
    json_int(j.get(), "coins", static_cast<std::int64_t>(coins.size()));
    json_int(j.get(), "until_ns", until);
    return json_print(j.get());
}

void Simulator::play_acceptor() {
    if (!acceptor_) return;
    // Stamped with the scheduled time, as a kernel stamps a hardware edge: the sim's own
    // wake-up latency is not part of the acceptor's timing.
    for (const auto& e : acceptor_->due(monotonic_ns()))
        if (auto ev = lines_.drive(e.line, e.level, e.t_ns)) on_line_event(*ev);
}

}  // namespace cashbridge::sim
