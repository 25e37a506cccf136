// run_daemon: builds the backends from the config (the only place that names them) and
// runs the one event loop: poll over the MQTT queue, pulse reports, the input lines
// (INHIBIT, coin return) and a signalfd, with a short tick for timers.
#include "daemon.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <optional>
#include <vector>

#include "cash_in_lines.hpp"
#include "cashbridge/bridge/board.hpp"
#include "cashbridge/bridge/bridge.hpp"
#include "cashbridge/bridge/journal_observer.hpp"
#include "cashbridge/bridge/realtime.hpp"
#include "cashbridge/bridge/watched_input.hpp"
#include "cashbridge/display/async_display.hpp"
#include "cashbridge/hal/boards.hpp"
#include "cashbridge/hal/unique_fd.hpp"
#include "cashbridge/mqtt/paho_bus.hpp"
#include "cashbridge/peripherals/pos_bus_tap.hpp"
#include "serial_inputs.hpp"

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

/// Claims one line; a failure names the config field, the chip and the offset, because
/// that is what the installer has to fix.
template <class Claim>
auto claim_line(const Config& c, const std::string& field, const hal::LineSpec& spec,
                Claim&& claim) {
    try {
        return claim();
    } catch (const std::exception& e) {
        throw LineClaimError(field + ": cannot request line '" + spec.name + "' (chip " +
                             spec.chip + ", offset " + std::to_string(spec.offset) + ")" +
                             (c.hal.backend == HalBackend::sim ? " from the simulator" : "") +
                             ": " + e.what());
    }
}

/// The inputs the loop watches, each with what its debounced changes mean to the bridge.
struct Input {
    std::unique_ptr<WatchedInput> line;
    void (*on_change)(Bridge&, bool active, Now now);
};

std::vector<Input> claim_inputs(const Config& c, hal::Board& board) {
    const auto& acc = c.acceptor;
    std::vector<Input> inputs;
    auto add = [&](const std::string& field, const hal::LineSpec& spec, hal::Level active,
                   std::chrono::milliseconds debounce, void (*on_change)(Bridge&, bool, Now)) {
        auto line = claim_line(c, field, spec, [&] { return board.claim_input(spec); });
        inputs.push_back(
            {std::make_unique<WatchedInput>(std::move(line), active, debounce), on_change});
    };
    if (acc.inhibit)
        add("acceptor.inhibit", *acc.inhibit, acc.inhibit_active, acc.inhibit_debounce,
            [](Bridge& b, bool active, Now now) { b.on_inhibit(active, now); });
    if (acc.coin_return)
        add("acceptor.coin_return", *acc.coin_return, acc.coin_return_active,
            acc.coin_return_debounce, [](Bridge& b, bool active, Now now) {
                if (active) b.on_coin_return(now);  // the press, not the release
            });
    return inputs;
}

/// Poll timeout: the tick, or sooner when a debounce window ends.
int poll_timeout(const std::vector<Input>& inputs) {
    auto timeout = std::chrono::milliseconds(tick_ms);
    const auto mono = std::chrono::steady_clock::now();
    for (const auto& in : inputs)
        if (const auto d = in.line ? in.line->deadline() : std::nullopt)
            timeout = std::clamp(std::chrono::ceil<std::chrono::milliseconds>(*d - mono),
                                 std::chrono::milliseconds(0), timeout);
    return static_cast<int>(timeout.count());
}

std::unique_ptr<peripherals::PosSender> make_pos(const Config& c) {
    if (c.pos.targets.empty()) return nullptr;
    return std::make_unique<peripherals::PosSender>(c.pos);
}

std::unique_ptr<peripherals::ReceiptPrinter> make_printer(const Config& c, Logger& log,
                                                          Journal& journal) {
    if (c.receipt.transport == PrinterTransport::none) return nullptr;
    const auto& rc = c.receipt;
    return std::make_unique<peripherals::ReceiptPrinter>(
        [&rc] { return peripherals::open_receipt_port(rc); }, rc, log, &journal);
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
    // Before any other thread exists, so that every later allocation is locked too.
    if (config.realtime.lock_memory)
        if (const auto warning = lock_memory()) log.warn("realtime", *warning);
    auto board = make_board(config);
    const auto inactive = hal::opposite(config.acceptor.active);
    std::vector<std::unique_ptr<hal::OutputLine>> coin_lines;
    std::vector<hal::OutputLine*> coin_ptrs;
    for (const auto& coin : config.acceptor.coins) {
        coin_lines.push_back(claim_line(config, coin.field, coin.line,
                                        [&] { return board->claim_output(coin.line, inactive); }));
        coin_ptrs.push_back(coin_lines.back().get());
        log.info("hal", "claimed output " + coin.line.name);
    }
    auto inputs = claim_inputs(config, *board);
    // The tapped lines are claimed together; the message names which one failed.
    std::optional<CashInLines> cash_in;
    try {
        cash_in.emplace(*board, config.acceptor, log);
    } catch (const std::exception& e) {
        throw LineClaimError(std::string("acceptor.cash_in: cannot request its lines: ") +
                             e.what());
    }

    auto display = make_display(config, log);
    mqtt::PahoBus bus(bus_options(config));
    // The POS push and the receipt printer follow the bridge's reports through this tap.
    auto pos = make_pos(config);
    auto printer = make_printer(config, log, journal);
    peripherals::PosBusTap tap(bus, config, pos.get(), printer.get(), journal, log);
    hal::SystemClock clock;
    const auto job_gap = std::max(config.acceptor.pulse_gap, config.acceptor.coin_gap);
    PulsePlayer player(clock, coin_ptrs, config.acceptor.active, job_gap,
                       config.acceptor.pulse_tolerance, &journal_pulses);
    if (config.realtime.priority > 0) {
        if (const auto warning = make_realtime(player.native_handle(), config.realtime.priority))
            log.warn("realtime", *warning);
        else
            log.info("realtime", "pulse thread runs SCHED_FIFO priority " +
                                     std::to_string(config.realtime.priority));
    }
    Bridge bridge(config, tap, *display, player, journal, log);
    auto signals = make_signalfd();
    SerialInputs serial(config, log);

    bridge.start(now());
    // A coin-return button held at start-up is no press; INHIBIT is a state and applies.
    if (config.acceptor.inhibit) bridge.on_inhibit(inputs.front().line->active(), now());

    std::optional<hal::TimePoint> stop_deadline;
    for (;;) {
        std::vector<pollfd> fds = {
            {signals.get(), POLLIN, 0}, {bus.fd(), POLLIN, 0}, {player.fd(), POLLIN, 0}};
        constexpr std::size_t first_input = 3;
        for (const auto& in : inputs) fds.push_back({in.line ? in.line->fd() : -1, POLLIN, 0});
        const auto cash_in_first = fds.size();
        cash_in->add_pollfds(fds);
        serial.add_fds(fds);
        if (::poll(fds.data(), fds.size(), poll_timeout(inputs)) < 0 && errno != EINTR)
            hal::throw_errno("poll");

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
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            auto& in = inputs[i];
            if (!in.line) continue;
            try {
                if (fds[first_input + i].revents & (POLLIN | POLLHUP | POLLERR))
                    in.line->read_edges();
                for (const bool active : in.line->changes(std::chrono::steady_clock::now()))
                    in.on_change(bridge, active, now());
            } catch (const std::exception& e) {
                bridge.on_fault("input line " + in.line->name() + " lost: " + e.what(), now());
                in.line.reset();
            }
        }
        for (const auto& cash : cash_in->service(fds, cash_in_first, now().mono))
            bridge.on_cash_in(cash, now());
        serial.handle(fds, bridge, now());
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
