/// @file options.hpp
/// Command-line options of cashbridge-sim (the simulator and its `ctl` client).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace cashbridge::sim {

struct SimOptions {
    std::string profile;   ///< required
    std::string lines;     ///< required: line socket path
    std::string control;   ///< empty: no control socket
    std::string vcd;       ///< empty: no dump
    std::string broker;    ///< empty: machine side only, no MQTT
    std::string machine;   ///< required with --broker
    std::string key_file;  ///< required with --broker
    std::string currency = "EUR";
    std::string price_tty;     ///< empty: no price-feed device; else the symlink to its pty
    std::string scanner_tty;   ///< empty: no scanner; else the symlink to its pty
    std::string price_device;  ///< else: an existing tty (a real UART) to play the feed on
    /// Play a keyboard-wedge scanner through uinput, its event node linked at this path.
    std::string scanner_uinput;
    std::string client_id;  ///< default: "cashbridge-sim-<machine>"
    /// Re-send an unanswered completion this often (0: never); --resend-ms.
    std::int64_t resend_ms = 1000;
    /// MQTT persistent session (clean session off) so reports published while the sim is
    /// disconnected are queued by the broker; --persistent-session.
    bool persistent_session = false;
    /// Play an ESC/POS receipt printer on a pty linked at this path; --printer.
    std::string printer;
    /// Play a mobile POS listening for the daemon's datagrams on ADDR:PORT; --pos-listen.
    std::string pos_listen;
    std::string pos_interface;  ///< --pos-interface: where to join the multicast group
};

struct CtlOptions {
    std::string control;
    std::vector<std::string> words;  ///< the command, e.g. {"wait", "counted=200"}
};

struct ShowHelp {};

/// Parse failure: print `message` and exit 2.
struct UsageError {
    std::string message;
};

using ParsedArgs = std::variant<SimOptions, CtlOptions, ShowHelp, UsageError>;

/// Parses argv[1..]. Accepts "--flag value" and "--flag=value".
ParsedArgs parse_args(const std::vector<std::string>& args);

/// The --help text.
std::string usage();

}  // namespace cashbridge::sim
