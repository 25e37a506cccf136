/// @file config.hpp
/// The daemon's one config file: typed fields with defaults, validated at start-up.
/// docs/config.md documents every field; keep the two in step.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cashbridge/bridge/pos_receipt_config.hpp"
#include "cashbridge/bridge/serial_devices_config.hpp"
#include "cashbridge/hal/line.hpp"

namespace cashbridge::bridge {

/// Thrown when the config is invalid; what() lists every problem, one per line, each
/// starting with the field path (`payment.currency: expected ...`).
class ConfigError : public std::runtime_error {
  public:
    explicit ConfigError(std::vector<std::string> problems);
    const std::vector<std::string>& problems() const { return problems_; }

  private:
    std::vector<std::string> problems_;
};

/// external: the amount comes from the price feed; no session until it sends one.
enum class PriceMode { fixed, open, external };
enum class AcceptorProtocol { pulse, parallel };
enum class HalBackend { sim, gpiod };
enum class DisplayBackend { png, framebuffer, terminal, none };

struct PaymentConfig {
    std::string currency = "EUR";
    int currency_exponent = 2;
    PriceMode price_mode = PriceMode::fixed;
    std::int64_t price = 0;  ///< minor units; fixed mode only
    std::int64_t max_amount = 0;
    std::filesystem::path key_file;
    std::string key;  ///< the secret read from key_file
    std::chrono::seconds session_lifetime{300};
    std::string qr_template;
    std::chrono::seconds clock_leeway{30};
    std::chrono::seconds paid_screen{5};
    /// A completion whose token expired is still credited (as forced) if it was issued
    /// within this window: the money was taken. Older ones are rejected as expired.
    std::chrono::seconds late_window{86400};
    /// Fixed price: credit a completion below the price and ask for the rest in coins.
    bool allow_partial = false;
};

struct JournalConfig {
    std::filesystem::path path = "/var/lib/cashbridge/journal.db";
    std::int64_t outbox_max = 10000;  ///< reports kept while the broker is away
};

struct MqttConfig {
    std::string broker = "tcp://127.0.0.1:1883";
    std::string client_id;  ///< default: "cashbridge-<machine id>"
    std::chrono::seconds keepalive{30};
    std::chrono::seconds state_interval{60};
};

/// One coin output: the line and, for `parallel`, the coin value it stands for.
struct CoinLine {
    hal::LineSpec line;
    std::int64_t value = 0;
    std::string field = {};  ///< where the config places it ("acceptor.line", "acceptor.coins[1]")
    /// This coin's own pulse width (validators that pulse each coin channel for a different
    /// time); zero: the acceptor's pulse_ms. Read it through AcceptorConfig::width_of.
    std::chrono::milliseconds width{0};
};

struct AcceptorConfig {
    AcceptorProtocol protocol = AcceptorProtocol::pulse;
    hal::Level active = hal::Level::low;
    std::chrono::milliseconds pulse_width{50};
    std::chrono::milliseconds pulse_gap{50};
    /// A pulse whose width may be off by more than this is reported ambiguous, not delivered.
    std::chrono::microseconds pulse_tolerance{10'000};
    std::int64_t pulse_value = 0;  ///< pulse protocol: minor units per pulse
    int pulses_per_coin = 0;       ///< pulse protocol: 0 = no longer gap
    std::chrono::milliseconds coin_gap{0};
    std::vector<CoinLine> coins;  ///< pulse: one line "coin"; parallel: one per coin value
    std::optional<hal::LineSpec> inhibit;
    hal::Level inhibit_active = hal::Level::low;
    /// A level change on an input counts only once it has held this long (switch bounce).
    std::chrono::milliseconds inhibit_debounce{5};
    /// The customer pressed the machine's coin-return button: the open session is canceled.
    std::optional<hal::LineSpec> coin_return;
    hal::Level coin_return_active = hal::Level::low;
    std::chrono::milliseconds coin_return_debounce{5};
    std::chrono::seconds delivery_timeout{60};
    /// The profile the acceptor fields were completed from (profiles/), empty if none.
    std::string profile;
    /// How far a pulse may stray from pulse_ms and still count, as a controller allows;
    /// the daemon applies it to the cash_in lines it reads.
    std::chrono::milliseconds tolerance{10};
    /// Lines tapped from the real acceptor's outputs (cash sales): "cash_in" for pulse,
    /// "cash_in_<value>" for parallel; each valid pulse on a line is worth its value.
    std::vector<CoinLine> cash_in;
    hal::Level cash_in_active = hal::Level::low;

    /// The smallest amount the acceptor can credit: every payable amount is a multiple of it.
    std::int64_t unit() const;
    /// How long `coin`'s line is held active for one pulse.
    std::chrono::milliseconds width_of(const CoinLine& coin) const {
        return coin.width.count() > 0 ? coin.width : pulse_width;
    }
    /// The shortest pulse any coin line plays: the tolerances must stay below it.
    std::chrono::milliseconds shortest_width() const;
};

struct HalConfig {
    HalBackend backend = HalBackend::sim;
    std::filesystem::path sim_socket = "/run/cashbridge-sim/lines.sock";
    std::string gpio_consumer = "cashbridged";
};

/// The pulse thread's scheduling. Both need privileges (CAP_SYS_NICE, CAP_IPC_LOCK or a
/// large enough RLIMIT_MEMLOCK); without them the daemon warns and runs without.
struct RealtimeConfig {
    int priority = 50;        ///< SCHED_FIFO priority of the pulse thread; 0 = normal scheduling
    bool lock_memory = true;  ///< mlockall(MCL_CURRENT | MCL_FUTURE) at start
};

struct DisplayConfig {
    DisplayBackend backend = DisplayBackend::terminal;
    std::filesystem::path path;  ///< png
    int width = 800;
    int height = 480;
    std::filesystem::path device = "/dev/fb0";
};

struct Config {
    std::string machine_id;
    std::string machine_name;
    PaymentConfig payment;
    MqttConfig mqtt;
    AcceptorConfig acceptor;
    HalConfig hal;
    RealtimeConfig realtime;
    DisplayConfig display;
    JournalConfig journal;
    PosConfig pos;
    ReceiptConfig receipt;
    std::string log_level = "info";
    std::optional<PriceFeedConfig> price_feed;  ///< required by price mode "external"
    std::optional<ScannerConfig> scanner;
};

/// Parses and validates config JSON text. Relative paths resolve against `base_dir`.
/// Reads the key file. Throws ConfigError listing every problem found.
Config parse_config(const std::string& json_text, const std::filesystem::path& base_dir);

/// Reads `file` and parses it; an unreadable file is a ConfigError too.
Config load_config(const std::filesystem::path& file);

}  // namespace cashbridge::bridge
