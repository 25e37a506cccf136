// Private RAII wrapper around cJSON trees and typed field accessors shared by encoders,
// decoders and the JWS header check.
#pragma once

#include <cjson/cJSON.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cashbridge::mqtt::json {

struct Deleter {
    void operator()(cJSON* p) const { cJSON_Delete(p); }
};
using Ptr = std::unique_ptr<cJSON, Deleter>;

/// Parses exactly `text` (which need not be NUL-terminated); null on any syntax error or
/// trailing garbage.
Ptr parse(std::string_view text);

/// Parses and requires a top-level object.
Ptr parse_object(std::string_view text);

/// A new empty object; throws std::bad_alloc if cJSON cannot allocate.
Ptr object();

/// Serializes compactly; throws std::bad_alloc on failure.
std::string print(const cJSON* item);

// Adders throw std::bad_alloc when cJSON fails, so encoders never emit half a message.
void add(cJSON* obj, const char* name, std::string_view value);
void add(cJSON* obj, const char* name, std::int64_t value);
void add_bool(cJSON* obj, const char* name, bool value);
void add_null(cJSON* obj, const char* name);
void add_item(cJSON* obj, const char* name, Ptr item);

/// Adds "v":1 and "type".
Ptr message(std::string_view type);

// Getters: nullopt if the field is missing or of another type. Integers must be integral
// JSON numbers within +-2^53, so 1.5 or 1e300 are refused rather than truncated.
std::optional<std::string> get_string(const cJSON* obj, const char* name);
std::optional<std::int64_t> get_int(const cJSON* obj, const char* name);
std::optional<bool> get_bool(const cJSON* obj, const char* name);
bool is_null(const cJSON* obj, const char* name);
bool has(const cJSON* obj, const char* name);

}  // namespace cashbridge::mqtt::json
