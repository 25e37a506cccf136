// parse_config: the config file's fields, their defaults and their checks.
#include "cashbridge/bridge/config.hpp"

#include <algorithm>
#include <fstream>
#include <numeric>
#include <sstream>

#include "config_sections.hpp"
#include "config_serial.hpp"
#include "json_fields.hpp"
#include "profile_merge.hpp"

namespace cashbridge::bridge {
namespace {

std::string join_lines(const std::vector<std::string>& problems) {
    std::string s;
    for (const auto& p : problems) s += (s.empty() ? "" : "\n") + p;
    return s;
}

bool is_upper_alpha(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

/// Machine ids become MQTT topic levels and URL parts: keep them to a safe alphabet.
bool is_safe_id(const std::string& s) {
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.';
    });
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& p) {
    if (p.empty()) return {};
    std::filesystem::path path(p);
    return path.is_absolute() ? path : base / path;
}

hal::Level read_polarity(FieldReader& r, const char* name) {
    return r.choice(name, "low", {"low", "high"}) == "high" ? hal::Level::high : hal::Level::low;
}

/// A line's place on the hardware. The simulator names lines by role, so chip and offset
/// are only required for the gpiod backend.
hal::LineSpec read_line(FieldReader& r, std::string role, hal::Drive drive, bool gpiod) {
    hal::LineSpec spec;
    spec.name = std::move(role);
    spec.drive = drive;
    spec.chip = r.text("chip", "gpiochip0");
    spec.offset = static_cast<unsigned>(r.integer("offset", 0, 0, 1023, gpiod));
    return spec;
}

std::chrono::milliseconds read_debounce(FieldReader& r) {
    return std::chrono::milliseconds(r.integer("debounce_ms", 5, 0, 1000));
}

void read_payment(FieldReader p, Config& c, const std::filesystem::path& base) {
    auto& pay = c.payment;
    pay.currency = p.text("currency", pay.currency);
    if (pay.currency.size() != 3 || !is_upper_alpha(pay.currency))
        p.problem("currency", "expected a 3-letter ISO 4217 code, got \"" + pay.currency + "\"");
    pay.currency_exponent = static_cast<int>(p.integer("currency_exponent", 2, 0, 3));
    pay.max_amount = p.integer("max_amount", 0, 1, 100'000'000, true);
    {
        auto price = p.object("price", true);
        const auto mode = price.choice("mode", "fixed", {"fixed", "open", "external"});
        pay.price_mode = mode == "open"       ? PriceMode::open
                         : mode == "external" ? PriceMode::external
                                              : PriceMode::fixed;
        if (pay.price_mode == PriceMode::fixed)
            pay.price = price.integer("amount", 0, 1, 100'000'000, true);
    }
    pay.key_file = resolve(base, p.text("key_file", "", true));
    pay.session_lifetime = std::chrono::seconds(p.integer("session_lifetime_s", 300, 10, 86400));
    pay.qr_template = p.text("qr_url_template", "", true);
    if (!pay.qr_template.empty() && pay.qr_template.find("{session}") == std::string::npos)
        p.problem("qr_url_template", "must contain {session} so a payment names its session");
    pay.clock_leeway = std::chrono::seconds(p.integer("clock_leeway_s", 30, 0, 3600));
    pay.paid_screen = std::chrono::seconds(p.integer("paid_screen_s", 5, 0, 600));
    pay.late_window = std::chrono::seconds(p.integer("late_window_s", 86400, 0, 30 * 86400));
    pay.allow_partial = p.boolean("allow_partial", false);
    if (pay.price_mode == PriceMode::fixed && pay.price > pay.max_amount && pay.max_amount > 0)
        p.problem("price.amount", "the fixed price is above payment.max_amount");

    if (!pay.key_file.empty()) {
        std::ifstream in(pay.key_file, std::ios::binary);
        std::ostringstream key;
        key << in.rdbuf();
        pay.key = key.str();
        while (!pay.key.empty() && (pay.key.back() == '\n' || pay.key.back() == '\r'))
            pay.key.pop_back();  // editors add a newline that is not part of the secret
        if (!in)
            p.problem("key_file", "cannot read " + pay.key_file.string());
        else if (pay.key.size() < 16)
            p.problem("key_file", pay.key_file.string() +
                                      " holds fewer than 16 bytes: too short for an HS256 key");
    }
}

/// The items of the array "coins": one line per coin value, named `prefix` + value
/// (`coin_50`), with chip and offset in the item itself.
std::vector<CoinLine> read_coin_lines(FieldReader& r, const std::string& prefix, hal::Drive d,
                                      bool gpiod) {
    std::vector<CoinLine> lines;
    const auto items = r.array("coins", true);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string path = r.path_of("coins") + "[" + std::to_string(i) + "]";
        if (!cJSON_IsObject(items[i])) {
            r.problem("coins", "item " + std::to_string(i) + " is not an object");
            continue;
        }
        FieldReader coin(items[i], path, r.problems());
        const auto value = coin.integer("value", 0, 1, 1'000'000, true);
        const auto width = std::chrono::milliseconds(coin.integer("pulse_ms", 0, 1, 10'000));
        lines.push_back(
            {read_line(coin, prefix + std::to_string(value), d, gpiod), value, path, width});
    }
    return lines;
}

/// Names the width a tolerance must stay under, as the installer wrote it.
std::string shortest_pulse_text(const AcceptorConfig& acc) {
    const bool own_widths = std::any_of(acc.coins.begin(), acc.coins.end(),
                                        [](const CoinLine& c) { return c.width.count() > 0; });
    if (!own_widths) return "pulse_ms";
    return "the shortest pulse, " + std::to_string(acc.shortest_width().count()) +
           " ms (pulse_ms, coins[].pulse_ms)";
}

/// The tolerance and the optional lines tapped from the real acceptor (cash sales).
void read_cash_in(FieldReader& a, AcceptorConfig& acc, bool gpiod) {
    const auto shorter = std::min(acc.shortest_width(), acc.pulse_gap).count();
    acc.tolerance = std::chrono::milliseconds(
        a.integer("tolerance_ms", std::max<std::int64_t>(1, shorter / 5), 0, 10'000));
    if (acc.tolerance.count() >= shorter)
        a.problem("tolerance_ms", "must be less than " + shortest_pulse_text(acc) + " and gap_ms");
    acc.cash_in_active = acc.active;
    if (!a.has("cash_in")) return;
    auto ci = a.object("cash_in");
    if (ci.has("active")) acc.cash_in_active = read_polarity(ci, "active");
    if (acc.protocol == AcceptorProtocol::pulse) {
        acc.cash_in.push_back(
            {read_line(ci, "cash_in", hal::Drive::push_pull, gpiod), acc.pulse_value});
        return;
    }
    if (!ci.has("coins")) {
        // The simulator knows the lines by name: one per coin value of the acceptor.
        if (gpiod) ci.problem("coins", "required with the gpiod backend (one line per coin)");
        for (const auto& coin : acc.coins)
            acc.cash_in.push_back({hal::LineSpec::named("cash_in_" + std::to_string(coin.value)),
                                   coin.value,
                                   {},
                                   coin.width});
        return;
    }
    acc.cash_in = read_coin_lines(ci, "cash_in_", hal::Drive::push_pull, gpiod);
    // A tapped channel pulses as long as the channel the daemon plays for the same coin.
    for (auto& tapped : acc.cash_in)
        for (const auto& coin : acc.coins)
            if (tapped.width.count() == 0 && coin.value == tapped.value) tapped.width = coin.width;
}

void read_acceptor(FieldReader a, Config& c) {
    auto& acc = c.acceptor;
    const bool gpiod = c.hal.backend == HalBackend::gpiod;
    acc.profile = a.text("profile", "");  // already merged in by apply_profile
    acc.protocol = a.choice("protocol", "pulse", {"pulse", "parallel"}) == "parallel"
                       ? AcceptorProtocol::parallel
                       : AcceptorProtocol::pulse;
    acc.active = read_polarity(a, "active");
    const auto drive = a.choice("drive", "push_pull", {"push_pull", "open_drain", "open_source"});
    const hal::Drive d = drive == "open_drain"    ? hal::Drive::open_drain
                         : drive == "open_source" ? hal::Drive::open_source
                                                  : hal::Drive::push_pull;
    acc.pulse_width = std::chrono::milliseconds(a.integer("pulse_ms", 50, 1, 10'000));
    acc.pulse_gap = std::chrono::milliseconds(a.integer("gap_ms", 50, 1, 10'000));
    acc.delivery_timeout = std::chrono::seconds(a.integer("delivery_timeout_s", 60, 1, 86'400));

    if (acc.protocol == AcceptorProtocol::pulse) {
        acc.pulse_value = a.integer("pulse_value", 0, 1, 1'000'000, true);
        acc.pulses_per_coin = static_cast<int>(a.integer("pulses_per_coin", 0, 0, 1000));
        acc.coin_gap = std::chrono::milliseconds(a.integer("coin_gap_ms", 0, 0, 60'000));
        if (acc.pulses_per_coin > 0 && acc.coin_gap < acc.pulse_gap)
            a.problem("coin_gap_ms", "must be at least gap_ms when pulses_per_coin is set");
        auto line = a.object("line", gpiod);
        acc.coins.push_back(
            {read_line(line, "coin", d, gpiod), acc.pulse_value, a.path_of("line")});
    } else {
        acc.coins = read_coin_lines(a, "coin_", d, gpiod);
        if (acc.coins.empty()) a.problem("coins", "parallel needs at least one coin line");
        std::sort(acc.coins.begin(), acc.coins.end(),
                  [](const CoinLine& x, const CoinLine& y) { return x.value > y.value; });
        for (std::size_t i = 1; i < acc.coins.size(); ++i)
            if (acc.coins[i].value == acc.coins[i - 1].value)
                a.problem("coins",
                          "two lines for the coin value " + std::to_string(acc.coins[i].value));
        // Every multiple of the smallest coin must be payable, which holds when every coin
        // value is a multiple of the smallest one.
        if (!acc.coins.empty()) {
            const auto smallest = acc.coins.back().value;
            for (const auto& coin : acc.coins)
                if (smallest > 0 && coin.value % smallest != 0)
                    a.problem("coins", "coin value " + std::to_string(coin.value) +
                                           " is not a multiple of the smallest coin value " +
                                           std::to_string(smallest));
        }
    }
    if (a.has("inhibit")) {
        auto inh = a.object("inhibit");
        acc.inhibit_active = read_polarity(inh, "active");
        acc.inhibit_debounce = read_debounce(inh);
        acc.inhibit = read_line(inh, "inhibit", hal::Drive::push_pull, gpiod);
    }
    // Default: a fifth of the shortest width, inside the +-20 % most coin inputs accept.
    acc.pulse_tolerance = a.has("pulse_tolerance_ms")
                              ? std::chrono::microseconds(std::chrono::milliseconds(
                                    a.integer("pulse_tolerance_ms", 0, 1, 10'000)))
                              : std::chrono::microseconds(acc.shortest_width()) / 5;
    if (acc.pulse_tolerance >= acc.shortest_width())
        a.problem("pulse_tolerance_ms", "must be less than " + shortest_pulse_text(acc));
    read_cash_in(a, acc, gpiod);
    if (a.has("coin_return")) {
        auto ret = a.object("coin_return");
        acc.coin_return_active = read_polarity(ret, "active");
        acc.coin_return_debounce = read_debounce(ret);
        acc.coin_return = read_line(ret, "coin_return", hal::Drive::push_pull, gpiod);
    }
}

}  // namespace

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(join_lines(problems)), problems_(std::move(problems)) {}

std::int64_t AcceptorConfig::unit() const {
    std::int64_t g = 0;
    for (const auto& coin : coins) g = std::gcd(g, coin.value);
    return g;
}

std::chrono::milliseconds AcceptorConfig::shortest_width() const {
    auto shortest = pulse_width;
    if (!coins.empty()) {
        shortest = width_of(coins.front());
        for (const auto& coin : coins) shortest = std::min(shortest, width_of(coin));
    }
    return shortest;
}

Config parse_config(const std::string& json_text, const std::filesystem::path& base_dir) {
    CjsonPtr root(cJSON_ParseWithLength(json_text.data(), json_text.size()));
    if (!root || !cJSON_IsObject(root.get())) {
        const char* where = cJSON_GetErrorPtr();
        std::string near = where ? std::string(where).substr(0, 30) : "";
        throw ConfigError({"(file): not a JSON object" +
                           (near.empty() ? std::string() : ", error near \"" + near + "\"")});
    }
    std::vector<std::string> problems;
    Config c;
    {
        FieldReader top(root.get(), "", problems);
        {
            auto m = top.object("machine", true);
            c.machine_id = m.text("id", "", true);
            if (!c.machine_id.empty() && !is_safe_id(c.machine_id))
                m.problem("id", "use 1-64 of A-Z a-z 0-9 - _ . (it becomes an MQTT topic level)");
            c.machine_name = m.text("name", c.machine_id);
        }
        {
            auto h = top.object("hal");
            c.hal.backend = h.choice("backend", "sim", {"sim", "gpiod"}) == "gpiod"
                                ? HalBackend::gpiod
                                : HalBackend::sim;
            c.hal.sim_socket = resolve(base_dir, h.text("sim_socket", c.hal.sim_socket.string()));
            c.hal.gpio_consumer = h.text("gpio_consumer", c.hal.gpio_consumer);
        }
        read_payment(top.object("payment", true), c, base_dir);
        ProfileMerge merge;
        if (cJSON* acc = cJSON_GetObjectItemCaseSensitive(root.get(), "acceptor");
            cJSON_IsObject(acc))
            merge = apply_profile(acc, base_dir, problems);
        const auto before_acceptor = problems.size();
        read_acceptor(top.object("acceptor", true), c);
        blame_profile(merge, problems, before_acceptor);
        if (c.acceptor.unit() > 0 && c.payment.price_mode == PriceMode::fixed &&
            c.payment.price % c.acceptor.unit() != 0)
            problems.push_back(
                "payment.price.amount: not a multiple of the smallest amount the "
                "acceptor can credit (" +
                std::to_string(c.acceptor.unit()) + ")");
        {
            auto q = top.object("mqtt");
            c.mqtt.broker = q.text("broker", c.mqtt.broker);
            if (c.mqtt.broker.rfind("tcp://", 0) != 0 && c.mqtt.broker.rfind("mqtt://", 0) != 0)
                q.problem("broker", "expected tcp://HOST:PORT, got \"" + c.mqtt.broker + "\"");
            c.mqtt.client_id = q.text("client_id", "cashbridge-" + c.machine_id);
            c.mqtt.keepalive = std::chrono::seconds(q.integer("keepalive_s", 30, 5, 3600));
            c.mqtt.state_interval =
                std::chrono::seconds(q.integer("state_interval_s", 60, 1, 3600));
        }
        {
            auto rt = top.object("realtime");
            c.realtime.priority = static_cast<int>(rt.integer("priority", 50, 0, 99));
            c.realtime.lock_memory = rt.boolean("lock_memory", true);
        }
        {
            auto d = top.object("display");
            const auto b =
                d.choice("backend", "terminal", {"png", "framebuffer", "terminal", "none"});
            c.display.backend = b == "png"           ? DisplayBackend::png
                                : b == "framebuffer" ? DisplayBackend::framebuffer
                                : b == "none"        ? DisplayBackend::none
                                                     : DisplayBackend::terminal;
            c.display.path =
                resolve(base_dir, d.text("path", "", c.display.backend == DisplayBackend::png));
            c.display.width = static_cast<int>(d.integer("width", 800, 64, 8192));
            c.display.height = static_cast<int>(d.integer("height", 480, 64, 8192));
            c.display.device = d.text("device", c.display.device.string());
        }
        {
            auto j = top.object("journal");
            c.journal.path = resolve(base_dir, j.text("path", c.journal.path.string()));
            c.journal.outbox_max = j.integer("outbox_max", 10000, 10, 10'000'000);
        }
        read_pos(top.object("pos"), c.pos);
        read_receipt(top.object("receipt"), c.receipt, base_dir);
        read_serial_devices(top, c);
        {
            auto l = top.object("log");
            c.log_level = l.choice("level", "info", {"debug", "info", "warn", "error"});
        }
    }
    if (!problems.empty()) throw ConfigError(std::move(problems));
    return c;
}

Config load_config(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ConfigError({"(file): cannot read " + file.string()});
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), file.parent_path());
}

}  // namespace cashbridge::bridge
