// Simulator wiring and the event loop: lines -> decoder/VCD, bus -> payment server, control.
#include "cashbridge/sim/simulator.hpp"

#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "cashbridge/sim/log.hpp"

namespace cashbridge::sim {
namespace {

std::vector<LineSpec> line_specs(const Profile& p) {
    std::vector<LineSpec> specs;
    for (const auto& c : p.coin_lines)
        specs.push_back({c.name, Direction::out, inactive_level(p.active)});
    if (!p.inhibit_line.empty())
        specs.push_back({p.inhibit_line, Direction::in, inactive_level(p.inhibit_active)});
    if (p.acceptor)
        for (const auto& c : p.acceptor->lines)
            specs.push_back({c.name, Direction::in, inactive_level(p.acceptor->active)});
    if (!p.coin_return_line.empty())
        specs.push_back({p.coin_return_line, Direction::in, inactive_level(p.coin_return_active)});
    return specs;
}

std::string read_key(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read key file " + path);
    std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Same rule as the daemon's config loader, so one key file works for both: a trailing
    // newline an editor added is not part of the secret.
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
    if (key.empty()) throw std::runtime_error("key file " + path + " is empty");
    return key;
}

std::string ms(std::int64_t ns) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(ns) / 1e6);
    return buf;
}

}  // namespace

Simulator::Simulator(const SimOptions& options, Profile profile, mqtt::MessageBus* bus)
    : machine_(profile), lines_(options.lines, line_specs(profile)), bus_(bus) {
    if (!options.vcd.empty()) {
        vcd_file_ = std::make_unique<std::ofstream>(options.vcd, std::ios::trunc);
        if (!*vcd_file_) throw std::runtime_error("cannot write VCD file " + options.vcd);
        std::vector<VcdWriter::Wire> wires;
        for (const auto& spec : line_specs(profile))
            wires.push_back({spec.name, spec.inactive_level});
        vcd_ = std::make_unique<VcdWriter>(*vcd_file_, std::move(wires), monotonic_ns());
    }
    if (!options.printer.empty()) printer_ = std::make_unique<SimPrinter>(options.printer);
    if (!options.pos_listen.empty())
        pos_ = std::make_unique<PosListener>(options.pos_listen, options.pos_interface);
    if (!options.control.empty()) control_ = std::make_unique<ControlServer>(options.control);
    if (profile.acceptor) acceptor_.emplace(*profile.acceptor);
    if (!options.price_tty.empty()) price_tty_ = std::make_unique<SerialPeer>(options.price_tty);
    if (!options.price_device.empty())
        price_tty_ = std::make_unique<SerialPeer>(options.price_device, SerialPeer::existing_tty);
    if (!options.scanner_tty.empty())
        scanner_tty_ = std::make_unique<SerialPeer>(options.scanner_tty);
    if (!options.scanner_uinput.empty())
        scanner_keyboard_ = std::make_unique<SimKeyboard>(options.scanner_uinput);
    if (bus_)
        payments_ =
            std::make_unique<PaymentServer>(*bus_, options.machine, read_key(options.key_file),
                                            options.currency, options.resend_ms);
    log_line("lines on " + options.lines + (control_ ? ", control on " + options.control : "") +
             (bus_ ? ", broker " + options.broker + " machine " + options.machine : ""));
}

void Simulator::on_line_event(const LineEvent& ev) {
    using K = LineEvent::Kind;
    switch (ev.kind) {
        case K::claimed:
            log_line("claimed " + ev.line + " (level " + std::to_string(ev.level) + ")");
            return;
        case K::released:
            log_line("released " + ev.line);
            return;
        case K::refused:
            log_line("refused claim of '" + ev.line + "': " + ev.detail);
            return;
        case K::bad_message:
            log_line("bad message on line '" + ev.line + "': " + ev.detail);
            return;
        case K::changed:
            break;
    }
    if (vcd_) vcd_->change(vcd_->index_of(ev.line), ev.level, ev.t_ns);
    if (!machine_.is_coin_line(ev.line)) {
        log_line(ev.line + " -> " + std::to_string(ev.level));
        return;
    }
    if (payments_) payments_->on_coin_edge(ev.t_ns);
    const auto result = machine_.on_coin_level(ev.line, ev.level, ev.t_ns);
    if (!result) return;
    if (const auto* ok = std::get_if<ValidPulse>(&*result)) {
        log_line("pulse " + ok->line + " width " + ms(ok->width_ns) + " gap " +
                 (ok->gap_ns ? ms(*ok->gap_ns) : std::string("-")) + " +" +
                 std::to_string(ok->value) + " counted " + std::to_string(machine_.counted()));
    } else {
        log_line("pulse ERROR " + std::get<PulseError>(*result).describe(machine_.profile()));
    }
}

void Simulator::poll_bus() {
    if (!payments_) return;
    for (const auto& line : payments_->poll_bus()) log_line(line);
    for (const auto& line : payments_->resend_due(monotonic_ns())) log_line(line);
}

int Simulator::poll_timeout_ms() const {
    if (control_ && control_->has_ready()) return 0;
    std::optional<std::int64_t> earliest;
    for (const auto& w : waits_)
        if (!earliest || w.deadline_ns < *earliest) earliest = w.deadline_ns;
    if (payments_)
        if (const auto r = payments_->next_resend_ns(); r && (!earliest || *r < *earliest))
            earliest = r;
    if (acceptor_)
        if (const auto r = acceptor_->next_ns(); r && (!earliest || *r < *earliest)) earliest = r;
    if (!earliest) return -1;
    const auto left = *earliest - monotonic_ns();
    return left <= 0 ? 0 : static_cast<int>((left + 999'999) / 1'000'000);
}

int Simulator::run(int stop_fd) {
    std::vector<pollfd> fds;
    for (;;) {
        fds.clear();
        fds.push_back({stop_fd, POLLIN, 0});
        if (bus_) fds.push_back({bus_->fd(), POLLIN, 0});
        lines_.add_pollfds(fds);
        if (printer_) printer_->add_pollfds(fds);
        if (pos_) pos_->add_pollfds(fds);
        if (control_) control_->add_pollfds(fds);
        if (::poll(fds.data(), fds.size(), poll_timeout_ms()) < 0 && errno != EINTR) {
            log_line(std::string("poll failed: ") + std::strerror(errno));
            return 1;
        }
        if (fds[0].revents & POLLIN) {
            signalfd_siginfo si{};
            [[maybe_unused]] auto n = ::read(stop_fd, &si, sizeof si);
            log_line("signal " + std::to_string(si.ssi_signo) + ", exiting");
            return 0;
        }
        poll_bus();
        play_acceptor();
        for (const auto& ev : lines_.service()) on_line_event(ev);
        service_peripherals();
        if (control_) {
            auto batch = control_->service();
            for (auto id : batch.closed)
                std::erase_if(waits_, [id](const Wait& w) { return w.client == id; });
            for (const auto& req : batch.requests)
                if (auto reply = handle_request(req.client, req.line))
                    control_->reply(req.client, *reply);
        }
        answer_waits();
        for (auto* p : {price_tty_.get(), scanner_tty_.get()})
            if (p) p->drain();
    }
}

}  // namespace cashbridge::sim
