// Machine profile parsing with cJSON; every error names the field so a typo is found at once.
#include "cashbridge/sim/profile.hpp"

#include <cjson/cJSON.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

namespace cashbridge::sim {
namespace {

struct JsonDeleter {
    void operator()(cJSON* j) const { cJSON_Delete(j); }
};

Polarity parse_polarity(const cJSON* obj, const char* field, Polarity fallback) {
    const cJSON* v = cJSON_GetObjectItemCaseSensitive(obj, field);
    if (!v) return fallback;
    if (!cJSON_IsString(v)) throw ProfileError(field, "must be \"low\" or \"high\"");
    const std::string s = v->valuestring;
    if (s == "low") return Polarity::active_low;
    if (s == "high") return Polarity::active_high;
    throw ProfileError(field, "must be \"low\" or \"high\", not \"" + s + "\"");
}

/// A positive whole number of milliseconds (fractions allowed: fast profiles use 2.5 ms).
std::int64_t ms_field(const cJSON* parent, const std::string& parent_name, const char* field,
                      bool required, std::int64_t fallback) {
    const std::string name = parent_name + "." + field;
    const cJSON* v = parent ? cJSON_GetObjectItemCaseSensitive(parent, field) : nullptr;
    if (!v) {
        if (required) throw ProfileError(name, "missing");
        return fallback;
    }
    if (!cJSON_IsNumber(v) || !std::isfinite(v->valuedouble))
        throw ProfileError(name, "must be a number of milliseconds");
    if (v->valuedouble <= 0 || v->valuedouble > 60'000)
        throw ProfileError(name, "must be > 0 and <= 60000 ms");
    return static_cast<std::int64_t>(std::llround(v->valuedouble * 1e6));
}

std::vector<CoinLine> parse_coin_lines(const cJSON* root) {
    const cJSON* lines = cJSON_GetObjectItemCaseSensitive(root, "coin_lines");
    if (!lines) throw ProfileError("coin_lines", "missing");
    if (!cJSON_IsObject(lines))
        throw ProfileError("coin_lines", "must be an object {\"line name\": value}");
    std::vector<CoinLine> out;
    for (const cJSON* l = lines->child; l; l = l->next) {
        const std::string field = std::string("coin_lines.") + l->string;
        if (std::string_view(l->string).empty()) throw ProfileError(field, "empty line name");
        if (std::string_view(l->string).find_first_of(" \t\r\n") != std::string_view::npos)
            throw ProfileError(field, "line name must not contain whitespace");
        if (!cJSON_IsNumber(l) || l->valuedouble != std::floor(l->valuedouble) ||
            l->valuedouble < 1 || l->valuedouble > 1e9)
            throw ProfileError(field, "must be a positive integer (minor units)");
        out.push_back({l->string, static_cast<std::int64_t>(l->valuedouble)});
    }
    if (out.empty()) throw ProfileError("coin_lines", "needs at least one line");
    return out;
}

}  // namespace

Profile parse_profile(std::string_view json) {
    std::unique_ptr<cJSON, JsonDeleter> root(cJSON_ParseWithLength(json.data(), json.size()));
    if (!root) throw ProfileError("(document)", "not valid JSON");
    if (!cJSON_IsObject(root.get())) throw ProfileError("(document)", "must be a JSON object");
    const cJSON* r = root.get();
    if (const cJSON* acceptor = cJSON_GetObjectItemCaseSensitive(r, "acceptor"))
        return profile_from_acceptor(acceptor);

    Profile p;
    const cJSON* proto = cJSON_GetObjectItemCaseSensitive(r, "protocol");
    if (!proto) throw ProfileError("protocol", "missing");
    const std::string proto_s = cJSON_IsString(proto) ? proto->valuestring : "";
    if (proto_s == "pulse")
        p.protocol = Protocol::pulse;
    else if (proto_s == "parallel")
        p.protocol = Protocol::parallel;
    else
        throw ProfileError("protocol", "must be \"pulse\" or \"parallel\"");

    p.active = parse_polarity(r, "active", Polarity::active_low);
    p.coin_lines = parse_coin_lines(r);
    if (p.protocol == Protocol::pulse && p.coin_lines.size() != 1)
        throw ProfileError("coin_lines", "protocol \"pulse\" takes exactly one line");

    const cJSON* width = cJSON_GetObjectItemCaseSensitive(r, "width_ms");
    if (!width) throw ProfileError("width_ms", "missing");
    if (!cJSON_IsObject(width)) throw ProfileError("width_ms", "must be {\"min\":..,\"max\":..}");
    p.width_min_ns = ms_field(width, "width_ms", "min", true, 0);
    p.width_max_ns = ms_field(width, "width_ms", "max", true, 0);
    if (p.width_max_ns < p.width_min_ns)
        throw ProfileError("width_ms.max", "must be >= width_ms.min");

    const cJSON* gap = cJSON_GetObjectItemCaseSensitive(r, "gap_ms");
    if (gap && !cJSON_IsObject(gap)) throw ProfileError("gap_ms", "must be {\"min\":..}");
    // Without a gap rule the controller still needs the line to settle; a pulse width is a
    // safe default a real controller would accept.
    p.gap_min_ns = ms_field(gap, "gap_ms", "min", false, p.width_min_ns);

    std::set<std::string> names;
    for (const auto& c : p.coin_lines) names.insert(c.name);
    if (const cJSON* inh = cJSON_GetObjectItemCaseSensitive(r, "inhibit_line")) {
        if (!cJSON_IsString(inh) || std::string_view(inh->valuestring).empty() ||
            std::string_view(inh->valuestring).find_first_of(" \t\r\n") != std::string::npos)
            throw ProfileError("inhibit_line", "must be a line name without whitespace");
        p.inhibit_line = inh->valuestring;
        if (names.count(p.inhibit_line))
            throw ProfileError("inhibit_line", "\"" + p.inhibit_line + "\" is also a coin line");
    }
    p.inhibit_active = parse_polarity(r, "inhibit_active", Polarity::active_low);
    if (const cJSON* ret = cJSON_GetObjectItemCaseSensitive(r, "coin_return_line")) {
        if (!cJSON_IsString(ret) ||
            std::string_view(ret->valuestring).find_first_of(" \t\r\n") != std::string::npos)
            throw ProfileError("coin_return_line", "must be a line name without whitespace");
        p.coin_return_line = ret->valuestring;
    }
    if (!p.coin_return_line.empty() &&
        (names.count(p.coin_return_line) || p.coin_return_line == p.inhibit_line))
        throw ProfileError("coin_return_line",
                           "\"" + p.coin_return_line + "\" is already another line");
    p.coin_return_active = parse_polarity(r, "coin_return_active", Polarity::active_low);
    return p;
}

Profile load_profile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ProfileError("file", "cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return parse_profile(text.str());
    } catch (const ProfileError& e) {
        throw ProfileError(
            e.field(), std::string(e.what()).substr(e.field().size() + 2) + " (in " + path + ")");
    }
}

std::pair<std::int64_t, std::int64_t> Profile::widths_of(std::string_view line) const {
    for (const auto& c : coin_lines)
        if (c.name == line && c.width_max_ns > 0) return {c.width_min_ns, c.width_max_ns};
    return {width_min_ns, width_max_ns};
}

}  // namespace cashbridge::sim
