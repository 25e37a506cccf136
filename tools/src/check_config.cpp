// cashbridge check-config: the daemon's own validation, for installers.
#include <iostream>

#include "cli_args.hpp"
#include "commands.hpp"

namespace cashbridge::tools {
namespace {

constexpr const char* usage =
    "usage: cashbridge check-config FILE\n"
    "\n"
    "Validates FILE exactly as cashbridged does at start-up (including the acceptor profile\n"
    "and the key file) and lists every problem with its field path. Exit 0 if valid, 2 if not.\n";

}  // namespace

bridge::Config load_config_or_report(const std::string& who, const std::string& file) {
    try {
        return bridge::load_config(file);
    } catch (const bridge::ConfigError& e) {
        std::cerr << who << ": invalid config " << file << ":\n";
        for (const auto& p : e.problems()) std::cerr << "  " << p << "\n";
        throw;
    }
}

int run_command(const std::string& name, const char* usage, const std::set<std::string>& known,
                std::size_t max_positional, const std::vector<std::string>& words,
                const std::function<int(const Args&)>& body) {
    try {
        const auto a = parse_args(words, known, max_positional);
        if (a.help) {
            std::cout << usage;
            return 0;
        }
        return body(a);
    } catch (const UsageError& e) {
        std::cerr << "cashbridge " << name << ": " << e.what() << "\n" << usage;
        return 2;
    } catch (const bridge::ConfigError&) {
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "cashbridge " << name << ": " << e.what() << "\n";
        return 1;
    }
}

int check_config(const std::vector<std::string>& words) {
    return run_command("check-config", usage, {}, 1, words, [](const Args& a) {
        if (a.positional.empty()) throw UsageError("check-config needs the config FILE");
        const auto& file = a.positional[0];
        const auto c = load_config_or_report("cashbridge check-config", file);
        std::cout << file << ": OK (machine " << c.machine_id
                  << (c.acceptor.profile.empty() ? "" : ", profile " + c.acceptor.profile) << ")\n";
        return 0;
    });
}

}  // namespace cashbridge::tools
