// cashbridge status: the daemon's retained availability and state, read from the broker the
// config names, printed for a person.
#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cashbridge/mqtt/messages.hpp"
#include "cashbridge/mqtt/paho_bus.hpp"
#include "cashbridge/mqtt/topics.hpp"
#include "cli_args.hpp"
#include "commands.hpp"

namespace cashbridge::tools {
namespace {

constexpr const char* usage =
    "usage: cashbridge status [--config FILE] [--timeout S]\n"
    "\n"
    "Connects to the config's MQTT broker and prints what cashbridged last reported for the\n"
    "config's machine: its retained availability (online/offline) and state (ready, paid,\n"
    "unavailable, fault; session; inhibit; outbox; counters). Exit 1 if the broker cannot be\n"
    "reached or holds no state for the machine.\n"
    "\n"
    "  --config FILE  default /etc/cashbridge/cashbridged.json\n"
    "  --timeout S    seconds to wait for the broker, 1 to 60 (default 5)\n";

struct Seen {
    std::optional<std::string> availability, state;
};

/// Waits for the connection, then for the two retained messages; retained messages arrive
/// right after the subscription, so a short wait after connecting is enough.
std::optional<Seen> collect(mqtt::PahoBus& bus, const mqtt::Topics& topics,
                            std::chrono::seconds timeout) {
    Seen seen;
    bool connected = false;
    const auto start = std::chrono::steady_clock::now();
    auto deadline = start + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd p{bus.fd(), POLLIN, 0};
        ::poll(&p, 1, 50);
        for (auto& ev : bus.drain()) {
            if (std::holds_alternative<mqtt::Connected>(ev) && !connected) {
                connected = true;
                deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
            } else if (auto* m = std::get_if<mqtt::Message>(&ev)) {
                if (m->topic == topics.availability) seen.availability = m->payload;
                if (m->topic == topics.state) seen.state = m->payload;
            }
        }
        if (seen.availability && seen.state) break;
    }
    if (!connected) return std::nullopt;
    return seen;
}

int run(const Args& a) {
    const auto file = a.text("--config").value_or(default_config);
    const auto timeout = std::chrono::seconds(a.integer("--timeout", 1, 60).value_or(5));
    const auto config = load_config_or_report("cashbridge status", file);
    const mqtt::Topics topics(config.machine_id);
    mqtt::PahoBusOptions o;
    o.server_uri = config.mqtt.broker;
    // Its own throw-away client id: reusing the daemon's would disconnect the daemon.
    o.client_id = "cashbridge-status-" + std::to_string(::getpid());
    o.clean_session = true;
    o.subscriptions = {topics.availability, topics.state};
    mqtt::PahoBus bus(o);
    const auto seen = collect(bus, topics, timeout);
    bus.close(std::chrono::seconds(1));
    if (!seen) {
        std::cerr << "cashbridge status: cannot reach the MQTT broker " << config.mqtt.broker
                  << " (tried for " << timeout.count() << " s): is it running, is mqtt.broker in "
                  << file << " right?\n";
        return 1;
    }
    std::printf("machine     %s (%s)\nbroker      %s\n", config.machine_id.c_str(),
                config.machine_name.c_str(), config.mqtt.broker.c_str());
    std::printf("available   %s\n",
                seen->availability ? seen->availability->c_str() : "unknown (nothing retained)");
    if (!seen->state) {
        std::cerr << "cashbridge status: no state retained on " << topics.state
                  << ": cashbridged has not yet connected to this broker as machine "
                  << config.machine_id << "\n";
        return 1;
    }
    const auto s = mqtt::decode_state(*seen->state);
    if (!s) {
        std::cerr << "cashbridge status: the state on " << topics.state
                  << " is not a v1 state message: " << s.error.detail << "\n";
        return 1;
    }
    if (seen->availability && *seen->availability != "online")
        std::printf("            (the state below is the last one the daemon reported)\n");
    std::printf("state       %s\n", std::string(mqtt::to_string(s->state)).c_str());
    std::printf("session     %s\n", s->session ? s->session->c_str() : "none");
    std::printf("inhibit     %s\n", s->inhibit ? "yes (machine not ready)" : "no");
    std::printf("outbox      %lld waiting\n", static_cast<long long>(s->outbox));
    std::printf("version     %s\n", s->version.c_str());
    std::printf("counters\n");
    for (const auto& [name, value] : s->counters)
        std::printf("  %-22s %lld\n", name.c_str(), static_cast<long long>(value));
    return 0;
}

}  // namespace

int status(const std::vector<std::string>& words) {
    return run_command("status", usage, {"--config", "--timeout"}, 0, words, run);
}

}  // namespace cashbridge::tools
