// cashbridge-sim entry point: option parsing, signal setup, and the `ctl` client.
#include <signal.h>
#include <sys/signalfd.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>

#include "cashbridge/mqtt/paho_bus.hpp"
#include "cashbridge/sim/ctl_client.hpp"
#include "cashbridge/sim/log.hpp"
#include "cashbridge/sim/options.hpp"
#include "cashbridge/sim/payment_server.hpp"
#include "cashbridge/sim/simulator.hpp"

namespace {

using namespace cashbridge::sim;

/// Blocks SIGINT/SIGTERM before any thread exists (Paho's threads inherit the mask), so
/// they are only ever seen through the returned signalfd, inside the event loop.
UniqueFd make_signal_fd() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0)
        throw std::runtime_error("cannot block signals");
    // A vanished socket peer must be an error code, never a process-killing SIGPIPE.
    ::signal(SIGPIPE, SIG_IGN);
    UniqueFd fd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!fd) throw std::runtime_error("signalfd failed");
    return fd;
}

int run_sim(const SimOptions& options) {
    auto stop_fd = make_signal_fd();
    Profile profile = load_profile(options.profile);
    std::unique_ptr<cashbridge::mqtt::PahoBus> bus;
    if (!options.broker.empty()) {
        cashbridge::mqtt::PahoBusOptions bo;
        bo.server_uri = options.broker;
        bo.client_id = options.client_id;
        bo.subscriptions = PaymentServer::subscriptions();
        // The sim is a test fixture: by default a stale session from an earlier run must not
        // replay old reports into a new test. Broker-restart tests opt into a persistent
        // session so reports published while the sim reconnects are not lost to it.
        bo.clean_session = !options.persistent_session;
        bus = std::make_unique<cashbridge::mqtt::PahoBus>(bo);
    }
    int status = 0;
    {
        Simulator sim(options, std::move(profile), bus.get());
        status = sim.run(stop_fd.get());
    }
    if (bus) bus->close(std::chrono::milliseconds(1000));
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const auto parsed = parse_args(args);
    if (std::holds_alternative<ShowHelp>(parsed)) {
        std::cout << usage();
        return 0;
    }
    if (const auto* e = std::get_if<UsageError>(&parsed)) {
        std::cerr << "cashbridge-sim: " << e->message << "\n(try cashbridge-sim --help)\n";
        return 2;
    }
    if (const auto* ctl = std::get_if<CtlOptions>(&parsed))
        return run_ctl(*ctl, std::cout, std::cerr);
    try {
        return run_sim(std::get<SimOptions>(parsed));
    } catch (const std::exception& e) {
        log_line(std::string("fatal: ") + e.what());
        return 1;
    }
}
