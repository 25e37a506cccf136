// cashbridge learn: watches the line tapped from the real acceptor while the installer
// inserts coins, and proposes the acceptor section (and a matching profile) for the config.
#include <cjson/cJSON.h>
#include <poll.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cashbridge/bridge/board.hpp"
#include "cashbridge/bridge/profiles.hpp"
#include "cashbridge/hal/unique_fd.hpp"
#include "cli_args.hpp"
#include "commands.hpp"
#include "durations.hpp"
#include "learn_analysis.hpp"

namespace cashbridge::tools {
namespace {

constexpr const char* usage =
    "usage: cashbridge learn --line LINE [--coins N | --seconds S] [--config FILE]\n"
    "\n"
    "Watches the input LINE tapped from the machine's own coin acceptor (\"cash_in\", or\n"
    "\"cash_in_<value>\" for a parallel acceptor; acceptor.cash_in in the config says where\n"
    "it is wired) while you insert coins. Prints every pulse, then the measured pulse width,\n"
    "pauses, pulses per coin and polarity as a proposed acceptor section for the config.\n"
    "Insert coins of one value to learn pulses per coin; leave a second or so between coins.\n"
    "\n"
    "  --line LINE    the input line's name\n"
    "  --coins N      stop once N coins were seen and the line has been quiet (max 10 min)\n"
    "  --seconds S    stop after S seconds (default 30 without --coins)\n"
    "  --config FILE  default /etc/cashbridge/cashbridged.json\n";

/// The name of the first profile whose acceptor convention the measurement matches
/// (polarity, and width and pauses within its tolerance), or "".
std::string matching_profile(const Learned& l, const std::filesystem::path& config_dir) {
    const auto dirs = bridge::profile_dirs(config_dir);
    for (const auto& name : bridge::available_profiles(dirs)) {
        std::ifstream in(bridge::find_profile(name, config_dir));
        std::stringstream text;
        text << in.rdbuf();
        std::unique_ptr<cJSON, void (*)(cJSON*)> root(cJSON_Parse(text.str().c_str()),
                                                      cJSON_Delete);
        const cJSON* a = root ? cJSON_GetObjectItemCaseSensitive(root.get(), "acceptor") : nullptr;
        const auto num = [a](const char* f, double fallback) {
            const cJSON* v = a ? cJSON_GetObjectItemCaseSensitive(a, f) : nullptr;
            return cJSON_IsNumber(v) ? v->valuedouble : fallback;
        };
        const auto str = [a](const char* f, const char* fallback) {
            const cJSON* v = a ? cJSON_GetObjectItemCaseSensitive(a, f) : nullptr;
            return std::string(cJSON_IsString(v) ? v->valuestring : fallback);
        };
        if (!a || str("protocol", "pulse") != "pulse") continue;
        const double tol = num("tolerance_ms", 0);
        const bool polarity =
            str("active", "low") == (l.active == hal::Level::low ? "low" : "high");
        const bool width = std::abs(l.width.median - num("pulse_ms", 50)) <= tol;
        const bool gap = !l.gap || std::abs(l.gap->median - num("gap_ms", 50)) <= tol;
        if (polarity && width && gap) return name;
    }
    return "";
}

int run(const Args& a) {
    const auto line_name = a.text("--line");
    if (!line_name) throw UsageError("--line is required (e.g. --line cash_in)");
    const auto coins = a.integer("--coins", 1, 1000);
    auto seconds = a.integer("--seconds", 1, 3600);
    if (coins && seconds) throw UsageError("give --coins or --seconds, not both");
    const auto limit = std::chrono::seconds(seconds ? *seconds : coins ? 600 : 30);
    const auto file = a.text("--config").value_or(default_config);
    const auto config = load_config_or_report("cashbridge learn", file);

    hal::LineSpec spec = hal::LineSpec::named(*line_name);
    bool configured = false;
    for (const auto& c : config.acceptor.cash_in)
        if (c.line.name == *line_name) {
            spec = c.line;
            configured = true;
        }
    if (!configured && config.hal.backend == bridge::HalBackend::gpiod)
        throw UsageError("--line: no input '" + *line_name + "' in " + file +
                         ": add acceptor.cash_in (chip, offset) where the acceptor's output "
                         "is tapped");
    auto board = bridge::make_board(config);
    auto line = board->claim_input(spec);
    const auto idle = line->level();
    std::printf("watching %s (idle %s): insert coins now\n", line_name->c_str(),
                idle == hal::Level::high ? "high" : "low");
    std::fflush(stdout);

    std::vector<hal::Edge> edges;
    hal::TimePoint start{}, last_end{};  // not optional: see learn_analysis.cpp
    bool in_pulse = false, ended = false;
    std::size_t n = 0;
    const auto begin = std::chrono::steady_clock::now();
    for (;;) {
        const auto now = std::chrono::steady_clock::now();
        if (now - begin >= limit) break;
        if (coins && ended) {
            // Done once enough coins were seen and the line has been quiet for longer
            // than any pause so far (twice, and at least a second).
            const auto seen = analyse(idle, edges, *coins);
            double longest = 0;
            if (seen && seen->coin_gap) longest = seen->coin_gap->max;
            if (seen && seen->gap) longest = std::max(longest, seen->gap->max);
            if (seen && static_cast<std::int64_t>(seen->pulses_per_coin.size()) >= *coins &&
                ms_between(last_end, now) > std::max(1000.0, 2 * longest))
                break;
        }
        pollfd p{line->fd(), POLLIN, 0};
        if (::poll(&p, 1, 50) < 0 && errno != EINTR) hal::throw_errno("poll");
        while (auto e = line->read_edge()) {
            edges.push_back(*e);
            if (e->level != idle && !in_pulse) {
                start = e->at;
                in_pulse = true;
            } else if (e->level == idle && in_pulse) {
                std::printf("pulse %zu: width %.2f ms", ++n, ms_between(start, e->at));
                if (ended) std::printf(", pause before %.2f ms", ms_between(last_end, start));
                std::printf("\n");
                std::fflush(stdout);
                last_end = e->at;
                in_pulse = false;
                ended = true;
            }
        }
    }
    const auto l = analyse(idle, edges, coins ? std::optional<int>(*coins) : std::nullopt);
    if (!l) {
        std::cerr << "cashbridge learn: no complete pulse on " << *line_name << " in "
                  << limit.count() << " s: check the wiring (docs/wiring.md) and insert coins\n";
        return 1;
    }
    std::printf("\n%zu pulses in %zu coins, active %s\n", l->pulses, l->pulses_per_coin.size(),
                l->active == hal::Level::low ? "low" : "high");
    std::printf("pulse width     %.2f ms (%.2f to %.2f)\n", l->width.median, l->width.min,
                l->width.max);
    if (l->gap)
        std::printf("pause in coin   %.2f ms (%.2f to %.2f)\n", l->gap->median, l->gap->min,
                    l->gap->max);
    if (l->coin_gap)
        std::printf("pause coin-coin %.2f ms (%.2f to %.2f)\n", l->coin_gap->median,
                    l->coin_gap->min, l->coin_gap->max);
    std::printf("pulses per coin");
    for (const int k : l->pulses_per_coin) std::printf(" %d", k);
    std::printf("\n");
    const auto profile = matching_profile(*l, std::filesystem::path(file).parent_path());
    if (!profile.empty()) std::printf("matches profile %s\n", profile.c_str());
    std::printf(
        "set pulse_value to (coin value) / (pulses per coin), e.g. 10 when a 50 coin gave 5\n"
        "\nproposed config (acceptor section; keep your lines, pulse_value and inhibit):\n%s",
        proposal_json(*l, profile).c_str());
    return 0;
}

}  // namespace

int learn(const std::vector<std::string>& words) {
    return run_command("learn", usage, {"--line", "--coins", "--seconds", "--config"}, 0, words,
                       run);
}

}  // namespace cashbridge::tools
