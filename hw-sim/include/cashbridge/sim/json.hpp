/// @file json.hpp
/// RAII ownership for cJSON trees, so no reply or status builder can leak on an early return.
#pragma once

#include <cjson/cJSON.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cashbridge::sim {

struct JsonDeleter {
    void operator()(cJSON* j) const { cJSON_Delete(j); }
};
using Json = std::unique_ptr<cJSON, JsonDeleter>;

inline Json json_object() {
    return Json(cJSON_CreateObject());
}
inline Json json_array() {
    return Json(cJSON_CreateArray());
}

/// Parses `text`; nullptr if it is not JSON.
inline Json json_parse(std::string_view text) {
    return Json(cJSON_ParseWithLength(text.data(), text.size()));
}

/// Compact one-line rendering (control replies are one line each).
inline std::string json_print(const cJSON* j) {
    std::unique_ptr<char, decltype(&cJSON_free)> s(cJSON_PrintUnformatted(j), &cJSON_free);
    return s ? std::string(s.get()) : std::string("null");
}

/// Adds `child` to object `obj` under `key`, transferring ownership.
inline void json_add(cJSON* obj, const char* key, Json child) {
    cJSON_AddItemToObject(obj, key, child.release());
}
inline void json_append(cJSON* arr, Json child) {
    cJSON_AddItemToArray(arr, child.release());
}

/// Integers go through double in cJSON; every value the sim emits (ns since boot, minor
/// units) stays far below 2^53, so they remain exact.
inline void json_int(cJSON* obj, const char* key, std::int64_t v) {
    cJSON_AddNumberToObject(obj, key, static_cast<double>(v));
}
inline void json_opt_int(cJSON* obj, const char* key, std::optional<std::int64_t> v) {
    if (v)
        json_int(obj, key, *v);
    else
        cJSON_AddNullToObject(obj, key);
}
inline void json_opt_str(cJSON* obj, const char* key, const std::optional<std::string>& v) {
    if (v)
        cJSON_AddStringToObject(obj, key, v->c_str());
    else
        cJSON_AddNullToObject(obj, key);
}

/// A copy of `text` parsed as JSON, or JSON null if it is absent or not JSON.
inline Json json_or_null(const std::optional<std::string>& text) {
    if (text)
        if (auto j = json_parse(*text)) return j;
    return Json(cJSON_CreateNull());
}

}  // namespace cashbridge::sim
