// Shared machine profiles (profiles/*.json): the daemon's acceptor fields are the one
// description; the controller's tolerances and the acceptor's outputs are derived here.
#include <cjson/cJSON.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "cashbridge/sim/profile.hpp"

namespace cashbridge::sim {
namespace {

constexpr std::int64_t ns_per_ms = 1'000'000;

/// `where` names the object holding `field` in errors ("acceptor", "acceptor.coins[]").
std::int64_t whole(const cJSON* obj, const char* field, std::int64_t fallback, std::int64_t min,
                   std::int64_t max, const char* where = "acceptor") {
    const cJSON* v = cJSON_GetObjectItemCaseSensitive(obj, field);
    const std::string name = std::string(where) + "." + field;
    if (!v) return fallback;
    if (!cJSON_IsNumber(v) || v->valuedouble != std::floor(v->valuedouble) ||
        v->valuedouble < static_cast<double>(min) || v->valuedouble > static_cast<double>(max))
        throw ProfileError(name, "must be a whole number from " + std::to_string(min) + " to " +
                                     std::to_string(max));
    return static_cast<std::int64_t>(v->valuedouble);
}

Polarity polarity(const cJSON* obj, const char* field) {
    const cJSON* v = cJSON_GetObjectItemCaseSensitive(obj, field);
    if (!v) return Polarity::active_low;
    if (cJSON_IsString(v) && std::string(v->valuestring) == "low") return Polarity::active_low;
    if (cJSON_IsString(v) && std::string(v->valuestring) == "high") return Polarity::active_high;
    throw ProfileError(std::string("acceptor.") + field, "must be \"low\" or \"high\"");
}

}  // namespace

Profile profile_from_acceptor(const cJSON* a) {
    if (!cJSON_IsObject(a)) throw ProfileError("acceptor", "must be an object");
    Profile p;
    const cJSON* proto = cJSON_GetObjectItemCaseSensitive(a, "protocol");
    const std::string protocol = cJSON_IsString(proto) ? proto->valuestring : "pulse";
    if (protocol != "pulse" && protocol != "parallel")
        throw ProfileError("acceptor.protocol", "must be \"pulse\" or \"parallel\"");
    p.protocol = protocol == "pulse" ? Protocol::pulse : Protocol::parallel;
    p.active = polarity(a, "active");
    // Same defaults as the daemon's config (docs/config.md).
    const auto pulse = whole(a, "pulse_ms", 50, 1, 10'000);
    const auto gap = whole(a, "gap_ms", 50, 1, 10'000);
    // Parallel coin channels may each pulse for their own time (coins[].pulse_ms).
    std::vector<std::pair<std::int64_t, std::int64_t>> coins;  // value, width in ms
    if (p.protocol == Protocol::parallel) {
        const cJSON* items = cJSON_GetObjectItemCaseSensitive(a, "coins");
        if (!cJSON_IsArray(items) || !items->child)
            throw ProfileError("acceptor.coins", "must be a non-empty array of {\"value\": N}");
        for (const cJSON* c = items->child; c; c = c->next) {
            const auto value = whole(c, "value", 0, 1, 1'000'000, "acceptor.coins[]");
            if (value == 0) throw ProfileError("acceptor.coins[].value", "missing");
            coins.emplace_back(value, whole(c, "pulse_ms", pulse, 1, 10'000, "acceptor.coins[]"));
        }
    }
    auto shortest = coins.empty() ? pulse : coins.front().second;
    for (const auto& [value, width] : coins) shortest = std::min(shortest, width);
    const auto tol =
        whole(a, "tolerance_ms", std::max<std::int64_t>(1, std::min(shortest, gap) / 5), 0, 10'000);
    if (tol >= std::min(shortest, gap))
        throw ProfileError("acceptor.tolerance_ms",
                           "must be less than gap_ms and every pulse width");
    const auto coin_gap = whole(a, "coin_gap_ms", 0, 0, 60'000);

    AcceptorOutput out;
    out.active = p.active;
    out.pulse_ns = pulse * ns_per_ms;
    out.gap_ns = gap * ns_per_ms;
    // A real acceptor's pause between coins is set by how fast coins roll in; the daemon
    // ends a coin after twice gap_ms without a pulse (docs/config.md), so stay well above.
    out.coin_gap_ns = std::max(coin_gap, 4 * gap) * ns_per_ms;
    if (p.protocol == Protocol::pulse) {
        const auto value = whole(a, "pulse_value", 0, 1, 1'000'000);
        if (value == 0) throw ProfileError("acceptor.pulse_value", "missing");
        p.coin_lines = {{"coin", value}};
        out.lines = {{"cash_in", value}};
    } else {
        for (const auto& [value, width] : coins) {
            const std::int64_t ns = width * ns_per_ms;
            const std::int64_t min = (width - tol) * ns_per_ms, max = (width + tol) * ns_per_ms;
            p.coin_lines.push_back({"coin_" + std::to_string(value), value, ns, min, max});
            out.lines.push_back({"cash_in_" + std::to_string(value), value, ns, min, max});
        }
        out.pulse_is_coin = true;
    }
    // The tolerance a controller applies: widths pulse_ms +/- tolerance, pauses at least
    // gap_ms - tolerance.
    p.width_min_ns = (pulse - tol) * ns_per_ms;
    p.width_max_ns = (pulse + tol) * ns_per_ms;
    p.gap_min_ns = std::max<std::int64_t>(1, gap - tol) * ns_per_ms;
    p.inhibit_line = "inhibit";
    if (const cJSON* inh = cJSON_GetObjectItemCaseSensitive(a, "inhibit"); cJSON_IsObject(inh))
        p.inhibit_active = polarity(inh, "active");
    p.acceptor = std::move(out);
    return p;
}

}  // namespace cashbridge::sim
