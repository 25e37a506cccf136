// cashbridge test-pulse: pulses a configured coin line with the configured widths, so an
// installer can watch the machine count (or probe the wire) before going live.
#include <cstdio>
#include <iostream>
#include <thread>

#include "cashbridge/bridge/board.hpp"
#include "cashbridge/bridge/realtime.hpp"
#include "cli_args.hpp"
#include "commands.hpp"
#include "durations.hpp"

namespace cashbridge::tools {
namespace {

constexpr const char* usage =
    "usage: cashbridge test-pulse --line LINE --count N [--config FILE]\n"
    "\n"
    "Claims the coin output LINE (\"coin\" for the pulse protocol, \"coin_<value>\" for a\n"
    "parallel coin line) on the config's backend and sends N pulses with the config's\n"
    "acceptor.active, pulse_ms (or that coin's own pulse_ms) and gap_ms, printing each\n"
    "pulse's start and width.\n"
    "A pulse this board held longer than its width + pulse_tolerance_ms is marked OUTSIDE\n"
    "and makes the command fail (exit status 1): the machine may not have counted it.\n"
    "cashbridged must be stopped: a line it holds is busy and the command refuses.\n"
    "\n"
    "  --line LINE    the coin line's name\n"
    "  --count N      number of pulses, 1 to 1000\n"
    "  --config FILE  default /etc/cashbridge/cashbridged.json\n";

int run(const Args& a) {
    const auto line_name = a.text("--line");
    const auto count = a.integer("--count", 1, 1000);
    if (!line_name) throw UsageError("--line is required (e.g. --line coin)");
    if (!count) throw UsageError("--count is required");
    const auto file = a.text("--config").value_or(default_config);
    const auto config = load_config_or_report("cashbridge test-pulse", file);
    const auto& acc = config.acceptor;
    const bridge::CoinLine* coin = nullptr;
    std::string names;
    for (const auto& c : acc.coins) {
        if (c.line.name == *line_name) coin = &c;
        names += (names.empty() ? "" : ", ") + c.line.name;
    }
    if (!coin)
        throw UsageError("--line: no coin line '" + *line_name + "' in " + file +
                         " (its coin lines: " + names + ")");

    auto board = bridge::make_board(config);
    const auto inactive = hal::opposite(acc.active);
    std::unique_ptr<hal::OutputLine> line;
    try {
        line = board->claim_output(coin->line, inactive);
    } catch (const std::exception& e) {
        std::cerr << "cashbridge test-pulse: cannot claim line '" << coin->line.name
                  << "': " << e.what()
                  << "\n  if cashbridged is running it holds this line: stop it first "
                     "(systemctl stop cashbridged)\n";
        return 1;
    }
    const auto pulse_width = acc.width_of(*coin);
    std::printf("pulsing %s: %lld x %lld ms active %s, %lld ms apart\n", coin->line.name.c_str(),
                static_cast<long long>(*count), static_cast<long long>(pulse_width.count()),
                acc.active == hal::Level::low ? "low" : "high",
                static_cast<long long>(acc.pulse_gap.count()));
    // The daemon's realtime settings, so the widths printed here are the ones the daemon
    // would produce on this machine (a loaded board stretches unprotected pulses).
    if (config.realtime.lock_memory)
        if (const auto warning = bridge::lock_memory())
            std::cerr << "warning: " << *warning << "\n";
    if (config.realtime.priority > 0)
        if (const auto warning = bridge::make_realtime(pthread_self(), config.realtime.priority))
            std::cerr << "warning: " << *warning << "\n";
    // Each edge is timed from the actual edge before it, as the daemon's pulse thread does:
    // a late wake-up lengthens what it delays but never shortens the next width or gap, and
    // a width the board could not hold is said, not left for the installer to guess.
    const auto tolerance = std::chrono::duration<double, std::milli>(acc.pulse_tolerance).count();
    int outside = 0;
    auto next = std::chrono::steady_clock::now() + std::chrono::milliseconds(20);
    const auto first = next;
    for (std::int64_t i = 1; i <= *count; ++i) {
        std::this_thread::sleep_until(next);
        const auto on = line->set(acc.active);
        std::this_thread::sleep_until(on + pulse_width);
        const auto off = line->set(inactive);
        const double width = ms_between(on, off);
        const bool off_width = width > static_cast<double>(pulse_width.count()) + tolerance;
        outside += off_width ? 1 : 0;
        std::printf("pulse %lld: start %.3f ms, width %.3f ms%s\n", static_cast<long long>(i),
                    ms_between(first, on), width,
                    off_width ? " OUTSIDE the tolerance: this board delayed it" : "");
        std::fflush(stdout);
        next = off + acc.pulse_gap;
    }
    // Let the last pause pass before releasing, so the machine sees it as the daemon would.
    std::this_thread::sleep_until(next);
    if (outside > 0) {
        std::fprintf(stderr,
                     "cashbridge test-pulse: %d pulse(s) longer than %lld ms + %.3f ms "
                     "(acceptor.pulse_tolerance_ms): the machine may not count them; give the "
                     "daemon realtime.priority and check the board's load\n",
                     outside, static_cast<long long>(pulse_width.count()), tolerance);
        return 1;
    }
    return 0;
}

}  // namespace

int test_pulse(const std::vector<std::string>& words) {
    return run_command("test-pulse", usage, {"--line", "--count", "--config"}, 0, words, run);
}

}  // namespace cashbridge::tools
