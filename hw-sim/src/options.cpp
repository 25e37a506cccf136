// Command-line parsing: strict, so a typo in a test script fails loudly with exit 2.
#include "cashbridge/sim/options.hpp"

#include <map>

#include "cashbridge/sim/text.hpp"

namespace cashbridge::sim {
namespace {

/// Splits "--flag=value" / "--flag value"; returns false (with `error`) if a value is missing.
bool take_flag(const std::vector<std::string>& args, std::size_t& i, std::string& flag,
               std::string& value, std::string& error) {
    const std::string& a = args[i];
    const auto eq = a.find('=');
    flag = a.substr(0, eq);
    if (eq != std::string::npos) {
        value = a.substr(eq + 1);
    } else if (i + 1 < args.size()) {
        value = args[++i];
    } else {
        error = "option " + flag + " needs a value";
        return false;
    }
    if (value.empty()) {
        error = "option " + flag + " needs a non-empty value";
        return false;
    }
    return true;
}

ParsedArgs parse_ctl(const std::vector<std::string>& args) {
    CtlOptions o;
    for (std::size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") return ShowHelp{};
        if (o.words.empty() && args[i].rfind("--control", 0) == 0) {
            std::string flag, error;
            if (!take_flag(args, i, flag, o.control, error)) return UsageError{error};
            if (flag != "--control") return UsageError{"unknown ctl option " + flag};
            continue;
        }
        o.words.push_back(args[i]);
    }
    if (o.control.empty()) return UsageError{"ctl needs --control PATH"};
    if (o.words.empty()) return UsageError{"ctl needs a command, e.g. 'status'"};
    return o;
}

}  // namespace

ParsedArgs parse_args(const std::vector<std::string>& args) {
    if (!args.empty() && args[0] == "ctl") return parse_ctl(args);
    SimOptions o;
    std::string resend_ms;
    const std::map<std::string, std::string*> flags{
        {"--profile", &o.profile},
        {"--lines", &o.lines},
        {"--control", &o.control},
        {"--vcd", &o.vcd},
        {"--broker", &o.broker},
        {"--machine", &o.machine},
        {"--key", &o.key_file},
        {"--currency", &o.currency},
        {"--client-id", &o.client_id},
        {"--resend-ms", &resend_ms},
        {"--printer", &o.printer},
        {"--pos-listen", &o.pos_listen},
        {"--pos-interface", &o.pos_interface},
        {"--price-tty", &o.price_tty},
        {"--price-device", &o.price_device},
        {"--scanner-tty", &o.scanner_tty},
        {"--scanner-uinput", &o.scanner_uinput},
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") return ShowHelp{};
        if (args[i].rfind("--", 0) != 0) return UsageError{"unexpected argument '" + args[i] + "'"};
        if (args[i] == "--persistent-session") {
            o.persistent_session = true;
            continue;
        }
        const auto it = flags.find(args[i].substr(0, args[i].find('=')));
        if (it == flags.end()) return UsageError{"unknown option " + args[i]};
        std::string flag, error;
        if (!take_flag(args, i, flag, *it->second, error)) return UsageError{error};
    }
    if (o.profile.empty()) return UsageError{"--profile FILE is required"};
    if (o.lines.empty()) return UsageError{"--lines PATH is required"};
    if (!o.broker.empty() && (o.machine.empty() || o.key_file.empty()))
        return UsageError{"--broker needs --machine ID and --key FILE"};
    if (o.broker.empty() && (!o.machine.empty() || !o.key_file.empty()))
        return UsageError{"--machine and --key only make sense with --broker URI"};
    if (!o.price_tty.empty() && !o.price_device.empty())
        return UsageError{"--price-tty and --price-device: the sim plays one price feed"};
    if (!o.scanner_tty.empty() && !o.scanner_uinput.empty())
        return UsageError{"--scanner-tty and --scanner-uinput: the sim plays one scanner"};
    if (o.currency.size() != 3) return UsageError{"--currency must be an ISO 4217 code like EUR"};
    if (!resend_ms.empty()) {
        const auto v = parse_int64(resend_ms);
        if (!v || *v < 0 || *v > 3'600'000)
            return UsageError{"--resend-ms must be an integer in [0, 3600000] (0: never)"};
        o.resend_ms = *v;
    }
    if (o.client_id.empty()) o.client_id = "cashbridge-sim-" + o.machine;
    return o;
}

std::string usage() {
    return R"(cashbridge-sim: hardware simulator for cashbridged (machine, payment server, customer)

usage:
  cashbridge-sim --profile FILE --lines PATH [--control PATH] [--vcd FILE]
                 [--broker tcp://HOST:PORT --machine ID --key FILE [--currency EUR]
                  [--client-id ID] [--resend-ms MS] [--persistent-session]]
                 [--price-tty LINK | --price-device DEV]
                 [--scanner-tty LINK | --scanner-uinput LINK]
  cashbridge-sim ctl --control PATH COMMAND [ARGS...]

options:
  --profile FILE   machine profile JSON (hw-sim/profiles/*.json, or profiles/*.json shared
                   with the daemon)
  --lines PATH     Unix socket the daemon's sim HAL connects to (docs/sim-lines.md)
  --control PATH   control socket for tests and scripts (see 'ctl')
  --vcd FILE       write every line edge as a Value Change Dump (PulseView, GTKWave)
  --broker URI     MQTT broker; enables the payment server and customer
  --machine ID     machine id the payments are for (topic cashbridge/v1/ID/...)
  --key FILE       HS256 key: the file's raw bytes (trailing newlines ignored)
  --currency CODE  currency of payments (default EUR)
  --client-id ID   MQTT client id (default cashbridge-sim-<machine>)
  --resend-ms MS   re-send a completion until the daemon accepts/rejects it by id, every
                   MS ms (default 1000; 0: never)
  --persistent-session
                   MQTT clean session off: the broker queues reports while the sim is away
  --printer PATH   play an ESC/POS receipt printer on a pty; PATH links to its slave
  --pos-listen ADDR:PORT
                   play a mobile POS: receive the daemon's LAN datagrams (joins ADDR if it
                   is a multicast group)
  --pos-interface NAME
                   interface to join the multicast group on (default: the kernel's choice)
  --price-tty LINK, --scanner-tty LINK
                   play the price feed / a serial scanner on a pty; LINK links to its slave
  --price-device DEV
                   play the price feed on an existing tty instead (a real UART wired to
                   the daemon's port), raw at 9600 8N1; plug/unplug close and reopen it
  --scanner-uinput LINK
                   play a keyboard-wedge (USB HID) scanner: a uinput keyboard whose event
                   node LINK links to (needs /dev/uinput)

control commands (ctl):
  status | reset | inhibit on|off
  printer ready|offline|paper_out|paper_low|silent    (what status queries answer)
  pay [amount=N] [variant=good|forged|expired|wrong_machine|wrong_currency|alg_none|
       not_jws|malformed_json] [payment=ID] [session=ID] [iat_age_s=N] [exp_s=N]
       [resend=yes|no]
  republish payment=ID
  insert VALUE...   (the real acceptor: coins on the cash_in lines; profiles/ only)
  wait counted=N | report=PAYMENT [type=TYPE] | session [new] | settled ... [timeout_ms=T]

exit status: 0 ok, 1 runtime error or ctl reply "ok":false, 2 usage error
)";
}

}  // namespace cashbridge::sim
