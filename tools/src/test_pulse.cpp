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
    "acceptor.active, pulse_ms and gap_ms, printing each pulse's start and width.\n"
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
    std::printf("pulsing %s: %lld x %lld ms active %s, %lld ms apart\n", coin->line.name.c_str(),
                static_cast<long long>(*count), static_cast<long long>(acc.pulse_width.count()),
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
    // Absolute deadlines: a late wake-up shortens the next wait instead of adding up.
    auto next = std::chrono::steady_clock::now() + std::chrono::milliseconds(20);
    const auto first = next;
    for (std::int64_t i = 1; i <= *count; ++i) {
        std::this_thread::sleep_until(next);
        const auto on = line->set(acc.active);
        std::this_thread::sleep_until(next + acc.pulse_width);
        const auto off = line->set(inactive);
        std::printf("pulse %lld: start %.3f ms, width %.3f ms\n", static_cast<long long>(i),
                    ms_between(first, on), ms_between(on, off));
        std::fflush(stdout);
        next += acc.pulse_width + acc.pulse_gap;
    }
    // Let the last pause pass before releasing, so the machine sees it as the daemon would.
    std::this_thread::sleep_until(next);
    return 0;
}

}  // namespace

int test_pulse(const std::vector<std::string>& words) {
    return run_command("test-pulse", usage, {"--line", "--count", "--config"}, 0, words, run);
}

}  // namespace cashbridge::tools
