// cashbridge: the installer's command (test-pulse, learn, check-config, status).
#include <iostream>
#include <string>
#include <vector>

#include "cli_args.hpp"
#include "commands.hpp"

namespace {

constexpr const char* usage =
    "usage: cashbridge COMMAND [OPTIONS]\n"
    "\n"
    "Installer tools for cashbridged, using the daemon's config and GPIO backends.\n"
    "\n"
    "commands:\n"
    "  test-pulse --line coin --count N [--config FILE]\n"
    "                    pulse a coin line as the daemon would and print each pulse\n"
    "  learn --line cash_in [--coins N | --seconds S] [--config FILE]\n"
    "                    measure the real acceptor's pulses and propose a profile\n"
    "  check-config FILE validate a config like cashbridged --check-config\n"
    "  status [--config FILE] [--timeout S]\n"
    "                    print the daemon's state retained on the MQTT broker\n"
    "\n"
    "'cashbridge COMMAND --help' describes a command. Default config: "
    "/etc/cashbridge/cashbridged.json\n"
    "exit status: 0 ok, 1 failed, 2 bad usage or invalid config\n";

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << usage;
        return 2;
    }
    const auto& cmd = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        std::cout << usage;
        return 0;
    }
    if (cmd == "--version") {
        std::cout << "cashbridge " << CASHBRIDGE_VERSION << "\n";
        return 0;
    }
    if (cmd == "check-config") return cashbridge::tools::check_config(rest);
    if (cmd == "test-pulse") return cashbridge::tools::test_pulse(rest);
    if (cmd == "learn") return cashbridge::tools::learn(rest);
    if (cmd == "status") return cashbridge::tools::status(rest);
    std::cerr << "cashbridge: unknown command '" << cmd << "'\n" << usage;
    return 2;
}
