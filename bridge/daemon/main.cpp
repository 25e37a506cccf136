// cashbridged: command line, config loading, signal mask; then hands over to run_daemon().
#include <signal.h>

#include <cstring>
#include <iostream>
#include <string>

#include "cashbridge/bridge/config.hpp"
#include "cashbridge/bridge/journal.hpp"
#include "daemon.hpp"

namespace {

constexpr const char* usage =
    "usage: cashbridged [--config FILE]\n"
    "       cashbridged --check-config FILE\n"
    "       cashbridged --version | --help\n"
    "\n"
    "Shows a payment QR code, verifies payment completions arriving over MQTT and credits\n"
    "them to the machine as coin-acceptor pulses. Default config: "
    "/etc/cashbridge/cashbridged.json\n"
    "\n"
    "Exit status: 0 stopped normally or config OK; 1 other failure; 2 invalid config or\n"
    "command line; 3 the journal cannot be used; 4 a configured line cannot be requested\n"
    "(busy, wrong chip or offset; the message names the config field).\n";

int config_error(const std::string& file, const cashbridge::bridge::ConfigError& e) {
    std::cerr << "cashbridged: invalid config " << file << ":\n";
    for (const auto& p : e.problems()) std::cerr << "  " << p << "\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string config_file = "/etc/cashbridge/cashbridged.json";
    bool check_only = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if ((arg == "--config" || arg == "--check-config") && i + 1 < argc) {
            config_file = argv[++i];
            check_only = arg == "--check-config";
        } else if (arg == "--version") {
            std::cout << "cashbridged " << CASHBRIDGE_VERSION << "\n";
            return 0;
        } else if (arg == "--help" || arg == "-h") {
            std::cout << usage;
            return 0;
        } else {
            std::cerr << "cashbridged: unknown or incomplete option '" << arg << "'\n" << usage;
            return 2;
        }
    }

    cashbridge::bridge::Config config;
    try {
        config = cashbridge::bridge::load_config(config_file);
    } catch (const cashbridge::bridge::ConfigError& e) {
        return config_error(config_file, e);
    }
    if (check_only) {
        std::cout << config_file << ": OK (machine " << config.machine_id << ")\n";
        return 0;
    }

    // Block the stop signals before any thread starts so that every thread inherits the
    // mask and only the event loop's signalfd sees them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    cashbridge::bridge::Logger log(std::cerr,
                                   cashbridge::bridge::log_level_from_string(config.log_level));
    try {
        return cashbridge::bridge::run_daemon(config, log);
    } catch (const cashbridge::bridge::JournalError& e) {
        log.error("journal", e.what());
        return 3;
    } catch (const cashbridge::bridge::LineClaimError& e) {
        log.error("hal", e.what());
        return 4;
    } catch (const std::exception& e) {
        log.error("main", e.what());
        return 1;
    }
}
