// Strict flag parsing for the cashbridge subcommands: an unknown or incomplete flag is a
// usage error naming it, never silently ignored.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace cashbridge::tools {

/// A bad command line; main() prints it with the subcommand's usage and exits 2.
class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Args {
    std::map<std::string, std::string> flags;  ///< "--count" -> "5"
    std::vector<std::string> positional;
    bool help = false;

    std::optional<std::string> text(const std::string& flag) const;
    /// The flag as an integer in [min, max]; UsageError naming the flag otherwise.
    std::optional<std::int64_t> integer(const std::string& flag, std::int64_t min,
                                        std::int64_t max) const;
};

/// Parses `--flag VALUE` / `--flag=VALUE` for the flags in `known` and `--help`/`-h`;
/// at most `max_positional` other words.
Args parse_args(const std::vector<std::string>& words, const std::set<std::string>& known,
                std::size_t max_positional);

}  // namespace cashbridge::tools
