/// @file simulator.hpp
/// cashbridge-sim as a whole: the machine, the payment server and the control socket in one
/// single-threaded poll() loop (Paho's own threads only feed the bus's eventfd).
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cashbridge/mqtt/bus.hpp"
#include "cashbridge/sim/acceptor_player.hpp"
#include "cashbridge/sim/control_server.hpp"
#include "cashbridge/sim/json.hpp"
#include "cashbridge/sim/line_server.hpp"
#include "cashbridge/sim/machine.hpp"
#include "cashbridge/sim/options.hpp"
#include "cashbridge/sim/payment_server.hpp"
#include "cashbridge/sim/pos_listener.hpp"
#include "cashbridge/sim/serial_peer.hpp"
#include "cashbridge/sim/sim_keyboard.hpp"
#include "cashbridge/sim/sim_printer.hpp"
#include "cashbridge/sim/vcd_writer.hpp"

namespace cashbridge::sim {

class Simulator {
  public:
    /// Sets everything up. `bus` may be null (machine side only); it must outlive the
    /// simulator. Throws ProfileError / std::system_error / std::runtime_error on setup
    /// failures, with a message fit for the user.
    Simulator(const SimOptions& options, Profile profile, mqtt::MessageBus* bus);

    /// Runs until `stop_fd` (a signalfd) becomes readable. Returns the exit status.
    int run(int stop_fd);

    /// Handles one control request; returns the reply, or nullopt if it is a wait that
    /// will be answered later through ControlServer::reply. Never throws.
    std::optional<std::string> handle_request(ControlServer::ClientId client,
                                              const std::string& line);

    /// The status object (with "ok":true) as status replies and wait replies carry it.
    Json status() const;

  private:
    struct Wait {
        enum class Kind { counted, report, session, settled };
        ControlServer::ClientId client = 0;
        Kind kind = Kind::counted;
        std::int64_t counted = 0;
        std::string payment;
        std::optional<std::string> type;
        std::uint64_t sessions_before = 0;
        bool new_session = false;
        std::int64_t deadline_ns = 0;
    };

    void on_line_event(const LineEvent& ev);
    void poll_bus();
    void answer_waits();
    bool satisfied(const Wait& w) const;
    int poll_timeout_ms() const;

    std::string cmd_pay(const Command& c);
    std::string cmd_republish(const Command& c);
    std::string cmd_inhibit(const Command& c);
    std::string cmd_coin_return(const Command& c);
    std::optional<std::string> cmd_wait(ControlServer::ClientId client, const Command& c);
    std::string cmd_reset();
    std::string cmd_insert(const Command& c);  // sim_insert.cpp
    void play_acceptor();                      // sim_insert.cpp
    std::string cmd_printer(const Command& c);
    void service_peripherals();
    // serial_commands.cpp: the price-feed device, the scanner and scanned-code orders.
    std::optional<std::string> serial_command(const Command& c);
    SerialPeer& peer(const std::string& name);

    Machine machine_;
    std::unique_ptr<std::ofstream> vcd_file_;
    std::unique_ptr<VcdWriter> vcd_;
    LineServer lines_;
    std::unique_ptr<ControlServer> control_;
    mqtt::MessageBus* bus_ = nullptr;
    std::unique_ptr<PaymentServer> payments_;
    std::vector<Wait> waits_;
    std::optional<AcceptorPlayer> acceptor_;  // the real acceptor, on the cash_in lines
    std::unique_ptr<SimPrinter> printer_;
    std::unique_ptr<PosListener> pos_;
    std::unique_ptr<SerialPeer> price_tty_;
    std::unique_ptr<SerialPeer> scanner_tty_;
    std::unique_ptr<SimKeyboard> scanner_keyboard_;  // --scanner-uinput
};

/// {"ok":false,"error":<text>} as one line.
std::string error_reply(const std::string& text);

}  // namespace cashbridge::sim
