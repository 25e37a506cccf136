// The cashbridge subcommands. Each takes its words after the subcommand name, writes to
// stdout/stderr and returns the exit status (0 ok, 1 failed, 2 bad usage or config).
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "cashbridge/bridge/config.hpp"
#include "cli_args.hpp"

namespace cashbridge::tools {

inline constexpr const char* default_config = "/etc/cashbridge/cashbridged.json";

int check_config(const std::vector<std::string>& words);
int test_pulse(const std::vector<std::string>& words);
int learn(const std::vector<std::string>& words);
int status(const std::vector<std::string>& words);

/// The frame every subcommand shares: parses `words` (flags in `known`), prints `usage`
/// for --help, runs `body`; a UsageError is printed with the usage (exit 2), a config error
/// (already printed by load_config_or_report) exits 2, anything else is printed as
/// "cashbridge NAME: ..." (exit 1).
int run_command(const std::string& name, const char* usage, const std::set<std::string>& known,
                std::size_t max_positional, const std::vector<std::string>& words,
                const std::function<int(const Args&)>& body);

/// Loads the config (same validation as cashbridged); on errors prints each problem with
/// its field path, prefixed by `who`, and throws ConfigError for the caller to exit 2.
bridge::Config load_config_or_report(const std::string& who, const std::string& file);

}  // namespace cashbridge::tools
