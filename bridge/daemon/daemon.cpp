// run_daemon: builds the backends from the config (the only place that names them) and
// runs the one event loop: poll over the MQTT queue, pulse reports, the INHIBIT line and a
// signalfd, with a short tick for timers.
#include "daemon.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <vector>

#include "cash_in_lines.hpp"
#include "cashbridge/bridge/board.hpp"
#include "cashbridge/bridge/bridge.hpp"
#include "cashbridge/bridge/journal_observer.hpp"
#include "cashbridge/display/async_display.hpp"
#include "cashbridge/hal/boards.hpp"
#include "cashbridge/hal/unique_fd.hpp"
#include "cashbridge/mqtt/paho_bus.hpp"
#include "cashbridge/peripherals/pos_bus_tap.hpp"

namespace cashbridge::bridge {
namespace {

constexpr int tick_ms = 100;
constexpr auto drain_limit = std::chrono::seconds(30);

Now now() {
    return {std::chrono::steady_clock::now(), std::chrono::system_clock::now()};
}

std::unique_ptr<display::Display> make_screen(const Config& c) {
    switch (c.display.backend) {
        case DisplayBackend::png:
            return display::make_png_display(c.display.path, {c.display.width, c.display.height});
        case DisplayBackend::framebuffer:
            return display::make_framebuffer_display(c.display.device);
        case DisplayBackend::terminal:
            return display::make_terminal_display(STDOUT_FILENO);
        case DisplayBackend::none:
            break;
    }
    return display::make_null_display();
}

/// Drawing a frame takes milliseconds (a PNG with fsync: tens of them); on its own thread it
/// never delays a payment waiting in the event loop.
std::unique_ptr<display::Display> make_display(const Config& c, Logger& log) {
    return display::make_async_display(make_screen(c),
                                       [&log](const std::string& e) { log.error("display", e); });
}

mqtt::PahoBusOptions bus_options(const Config& c) {
    const mqtt::Topics topics(c.machine_id);
    mqtt::PahoBusOptions o;
    o.server_uri = c.mqtt.broker;
    o.client_id = c.mqtt.client_id;
    // down/# rather than down/payment: messages on topics we do not know are counted and
    // reported instead of silently never arriving.
    o.subscriptions = {topics.root + "down/#"};
    o.will_topic = topics.availability;
    o.will_payload = std::string(mqtt::availability_offline);
    o.keepalive = c.mqtt.keepalive;
    return o;
}

std::unique_ptr<peripherals::PosSender> make_pos(const Config& c) {
    if (c.pos.targets.empty()) return nullptr;
    return std::make_unique<peripherals::PosSender>(c.pos);
}

std::unique_ptr<peripherals::ReceiptPrinter> make_printer(const Config& c, Logger& log) {
    if (c.receipt.transport == PrinterTransport::none) return nullptr;
    const auto& rc = c.receipt;
    return std::make_unique<peripherals::ReceiptPrinter>(
        [&rc] { return peripherals::open_receipt_port(rc); }, rc, log);
}

hal::UniqueFd make_signalfd() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    hal::UniqueFd fd(::signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC));
    if (!fd) hal::throw_errno("signalfd");
    return fd;
}

}  // namespace

int run_daemon(const Config& config, Logger& log) {
    // First: without its journal the daemon cannot know what it already credited.
    Journal journal(config.journal.path, config.journal.outbox_max);
    JournalObserver journal_pulses(journal);
    auto board = make_board(config);
    const auto inactive = hal::opposite(config.acceptor.active);
    std::vector<std::unique_ptr<hal::OutputLine>> coin_lines;
    std::vector<hal::OutputLine*> coin_ptrs;
    for (const auto& coin : config.acceptor.coins) {
        coin_lines.push_back(board->claim_output(coin.line, inactive));
        coin_ptrs.push_back(coin_lines.back().get());
        log.info("hal", "claimed output " + coin.line.name);
    }
    std::unique_ptr<hal::InputLine> inhibit;
    if (config.acceptor.inhibit) inhibit = board->claim_input(*config.acceptor.inhibit);
    CashInLines cash_in(*board, config.acceptor, log);

    auto display = make_display(config, log);
    mqtt::PahoBus bus(bus_options(config));
    // The POS push and the receipt printer follow the bridge's reports through this tap.
    auto pos = make_pos(config);
    auto printer = make_printer(config, log);
    peripherals::PosBusTap tap(bus, config, pos.get(), printer.get(), log);
    hal::SystemClock clock;
    const auto job_gap = std::max(config.acceptor.pulse_gap, config.acceptor.coin_gap);
    PulsePlayer player(clock, coin_ptrs, config.acceptor.active, job_gap,
                       config.acceptor.pulse_tolerance, &journal_pulses);
    Bridge bridge(config, tap, *display, player, journal, log);
    auto signals = make_signalfd();

    bridge.start(now());
    if (inhibit) bridge.on_inhibit(inhibit->level() == config.acceptor.inhibit_active, now());

    std::optional<hal::TimePoint> stop_deadline;
    for (;;) {
        std::vector<pollfd> fds = {
            {signals.get(), POLLIN, 0}, {bus.fd(), POLLIN, 0}, {player.fd(), POLLIN, 0}};
        if (inhibit) fds.push_back({inhibit->fd(), POLLIN, 0});
        const auto cash_in_first = fds.size();
        cash_in.add_pollfds(fds);
        if (::poll(fds.data(), fds.size(), tick_ms) < 0 && errno != EINTR) hal::throw_errno("poll");

        if (fds[0].revents & POLLIN) {
            signalfd_siginfo info{};
            while (::read(signals.get(), &info, sizeof info) == sizeof info) {
                if (info.ssi_signo == SIGHUP) {
                    log.warn(
                        "main",
                        "SIGHUP: config reload is not supported yet; restart to apply changes");
                } else if (!stop_deadline) {
                    log.info("main", "stopping: finishing credits in progress");
                    stop_deadline = std::chrono::steady_clock::now() + drain_limit;
                    bridge.stop(now());
                }
            }
        }
        for (auto& ev : bus.drain()) bridge.on_bus_event(ev, now());
        for (auto& report : player.drain()) bridge.on_pulse_report(report, now());
        if (inhibit && fds.size() > 3 && (fds[3].revents & (POLLIN | POLLHUP | POLLERR))) {
            try {
                while (auto edge = inhibit->read_edge())
                    bridge.on_inhibit(edge->level == config.acceptor.inhibit_active, now());
            } catch (const std::exception& e) {
                bridge.on_fault(std::string("INHIBIT line lost: ") + e.what(), now());
                inhibit.reset();
            }
        }
        for (const auto& cash : cash_in.service(fds, cash_in_first, now().mono))
            bridge.on_cash_in(cash, now());
        bridge.tick(now());
        tap.tick();
        if (stop_deadline && (player.idle() || std::chrono::steady_clock::now() > *stop_deadline))
            break;
    }
    if (!player.idle()) log.error("main", "stopped with a credit still in progress");
    for (auto& report : player.drain()) bridge.on_pulse_report(report, now());
    bus.close(std::chrono::seconds(2));
    log.info("main", "stopped");
    return 0;
}

}  // namespace cashbridge::bridge
