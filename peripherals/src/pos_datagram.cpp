// Encoding and decoding of the LAN datagrams for mobile POS terminals.
#include "cashbridge/peripherals/pos_datagram.hpp"

#include <cjson/cJSON.h>

#include <cmath>
#include <memory>
#include <new>

namespace cashbridge::peripherals {
namespace {

struct Deleter {
    void operator()(cJSON* j) const { cJSON_Delete(j); }
};
using Json = std::unique_ptr<cJSON, Deleter>;

Json message(const char* type, const std::string& machine) {
    Json o(cJSON_CreateObject());
    if (!o) throw std::bad_alloc();
    cJSON_AddNumberToObject(o.get(), "v", pos_datagram_version);
    cJSON_AddStringToObject(o.get(), "type", type);
    cJSON_AddStringToObject(o.get(), "machine", machine.c_str());
    return o;
}

void add_int(cJSON* o, const char* name, std::int64_t v) {
    cJSON_AddNumberToObject(o, name, static_cast<double>(v));
}

void add_opt(cJSON* o, const char* name, const std::optional<std::string>& v) {
    if (v)
        cJSON_AddStringToObject(o, name, v->c_str());
    else
        cJSON_AddNullToObject(o, name);
}

std::string print(const cJSON* o) {
    std::unique_ptr<char, decltype(&cJSON_free)> s(cJSON_PrintUnformatted(o), &cJSON_free);
    if (!s) throw std::bad_alloc();
    return s.get();
}

/// Reads typed fields and remembers the first problem, named by field.
struct Reader {
    const cJSON* o;
    std::string& error;

    const cJSON* get(const char* name) {
        const cJSON* j = cJSON_GetObjectItemCaseSensitive(o, name);
        if (!j && error.empty()) error = std::string(name) + ": missing";
        return j;
    }
    void bad(const char* name, const char* want) {
        if (error.empty()) error = std::string(name) + ": expected " + want;
    }
    std::string str(const char* name) {
        const cJSON* j = get(name);
        if (j && !cJSON_IsString(j)) bad(name, "a string");
        return j && cJSON_IsString(j) ? j->valuestring : "";
    }
    std::optional<std::string> nullable_str(const char* name) {
        const cJSON* j = get(name);
        if (j && cJSON_IsNull(j)) return std::nullopt;
        if (j && !cJSON_IsString(j)) bad(name, "a string or null");
        return j && cJSON_IsString(j) ? std::optional<std::string>(j->valuestring) : std::nullopt;
    }
    std::optional<std::int64_t> nullable_int(const char* name) {
        const cJSON* j = get(name);
        if (!j || cJSON_IsNull(j)) return std::nullopt;
        const double d = cJSON_IsNumber(j) ? j->valuedouble : NAN;
        if (!(std::fabs(d) <= 9007199254740992.0) || std::trunc(d) != d) {
            bad(name, "an integer");
            return std::nullopt;
        }
        return static_cast<std::int64_t>(d);
    }
    std::int64_t integer(const char* name) {
        const auto v = nullable_int(name);
        if (!v) bad(name, "an integer");
        return v.value_or(0);
    }
};

}  // namespace

std::string encode(const PosOrder& d) {
    auto o = message("pos.order", d.machine);
    cJSON_AddStringToObject(o.get(), "session", d.session.c_str());
    if (d.amount)
        add_int(o.get(), "amount", *d.amount);
    else
        cJSON_AddNullToObject(o.get(), "amount");
    cJSON_AddStringToObject(o.get(), "currency", d.currency.c_str());
    add_int(o.get(), "ts", d.ts);
    return print(o.get());
}

std::string encode(const PosResult& d) {
    auto o = message("pos.result", d.machine);
    add_opt(o.get(), "session", d.session);
    add_opt(o.get(), "payment", d.payment);
    cJSON_AddStringToObject(o.get(), "result", d.result.c_str());
    add_int(o.get(), "amount", d.amount);
    cJSON_AddStringToObject(o.get(), "currency", d.currency.c_str());
    add_opt(o.get(), "reason", d.reason);
    add_int(o.get(), "ts", d.ts);
    return print(o.get());
}

std::string encode(const PosDatagram& d) {
    return std::visit([](const auto& x) { return encode(x); }, d);
}

std::optional<PosDatagram> decode_pos_datagram(std::string_view text, std::string& error) {
    error.clear();
    Json root(cJSON_ParseWithLength(text.data(), text.size()));
    if (!root || !cJSON_IsObject(root.get())) {
        error = "not a JSON object";
        return std::nullopt;
    }
    Reader r{root.get(), error};
    const auto v = r.integer("v");
    if (error.empty() && v != pos_datagram_version)
        error = "v: unsupported version " + std::to_string(v);
    const auto type = r.str("type");
    if (!error.empty()) return std::nullopt;
    if (type == "pos.order") {
        PosOrder d;
        d.machine = r.str("machine");
        d.session = r.str("session");
        d.amount = r.nullable_int("amount");
        d.currency = r.str("currency");
        d.ts = r.integer("ts");
        if (!error.empty()) return std::nullopt;
        return d;
    }
    if (type == "pos.result") {
        PosResult d;
        d.machine = r.str("machine");
        d.session = r.nullable_str("session");
        d.payment = r.nullable_str("payment");
        d.result = r.str("result");
        d.amount = r.integer("amount");
        d.currency = r.str("currency");
        d.reason = r.nullable_str("reason");
        d.ts = r.integer("ts");
        if (!error.empty()) return std::nullopt;
        return d;
    }
    error = "type: unknown \"" + type.substr(0, 40) + "\"";
    return std::nullopt;
}

}  // namespace cashbridge::peripherals
