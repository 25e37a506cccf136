// cJSON RAII helpers: the only place that touches raw cJSON allocation.
#include "json.hpp"

#include <cmath>
#include <new>

#include "cashbridge/mqtt/messages.hpp"
#include "cashbridge/mqtt/topics.hpp"

namespace cashbridge::mqtt::json {

Ptr parse(std::string_view text) {
    const char* end = nullptr;
    Ptr p{cJSON_ParseWithLengthOpts(text.data(), text.size(), &end, false)};
    if (!p) return nullptr;
    // cJSON stops after the first value; anything but whitespace after it is an error.
    const char* stop = text.data() + text.size();
    for (; end != nullptr && end < stop; ++end) {
        if (*end != ' ' && *end != '\t' && *end != '\n' && *end != '\r') return nullptr;
    }
    return p;
}

Ptr parse_object(std::string_view text) {
    Ptr p = parse(text);
    if (!p || !cJSON_IsObject(p.get())) return nullptr;
    return p;
}

Ptr object() {
    Ptr p{cJSON_CreateObject()};
    if (!p) throw std::bad_alloc();
    return p;
}

std::string print(const cJSON* item) {
    std::unique_ptr<char, decltype(&cJSON_free)> s{cJSON_PrintUnformatted(item), &cJSON_free};
    if (!s) throw std::bad_alloc();
    return std::string{s.get()};
}

static void check(const cJSON* added) {
    if (added == nullptr) throw std::bad_alloc();
}

void add(cJSON* obj, const char* name, std::string_view value) {
    check(cJSON_AddStringToObject(obj, name, std::string{value}.c_str()));
}

void add(cJSON* obj, const char* name, std::int64_t value) {
    check(cJSON_AddNumberToObject(obj, name, static_cast<double>(value)));
}

void add_bool(cJSON* obj, const char* name, bool value) {
    check(cJSON_AddBoolToObject(obj, name, value ? 1 : 0));
}

void add_null(cJSON* obj, const char* name) {
    check(cJSON_AddNullToObject(obj, name));
}

void add_item(cJSON* obj, const char* name, Ptr item) {
    if (!cJSON_AddItemToObject(obj, name, item.get())) throw std::bad_alloc();
    (void)item.release();  // owned by obj now
}

Ptr message(std::string_view type) {
    Ptr p = object();
    add(p.get(), "v", std::int64_t{contract_version});
    add(p.get(), "type", type);
    return p;
}

std::optional<std::string> get_string(const cJSON* obj, const char* name) {
    const cJSON* it = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsString(it) || it->valuestring == nullptr) return std::nullopt;
    return std::string{it->valuestring};
}

std::optional<std::int64_t> get_int(const cJSON* obj, const char* name) {
    const cJSON* it = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsNumber(it)) return std::nullopt;
    const double d = it->valuedouble;
    if (!std::isfinite(d) || std::trunc(d) != d) return std::nullopt;
    if (std::fabs(d) > static_cast<double>(max_json_integer)) return std::nullopt;
    return static_cast<std::int64_t>(d);
}

std::optional<bool> get_bool(const cJSON* obj, const char* name) {
    const cJSON* it = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsBool(it)) return std::nullopt;
    return cJSON_IsTrue(it) != 0;
}

bool is_null(const cJSON* obj, const char* name) {
    return cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(obj, name)) != 0;
}

bool has(const cJSON* obj, const char* name) {
    return cJSON_GetObjectItemCaseSensitive(obj, name) != nullptr;
}

}  // namespace cashbridge::mqtt::json
