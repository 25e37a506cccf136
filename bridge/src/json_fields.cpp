// FieldReader: typed config fields with their paths in every error.
#include "json_fields.hpp"

namespace cashbridge::bridge {

FieldReader::FieldReader(const cJSON* obj, std::string path, std::vector<std::string>& problems)
    : obj_(obj), path_(std::move(path)), problems_(problems) {}

FieldReader::~FieldReader() {
    if (!obj_) return;
    std::set<std::string> seen;
    for (const cJSON* c = obj_->child; c; c = c->next) {
        if (!c->string) continue;
        // cJSON keeps duplicates and reads the first: the installer's later edit would
        // silently lose.
        if (!seen.insert(c->string).second)
            problems_.push_back(path_of(c->string) + ": appears twice; keep one");
        else if (!read_.count(c->string) && c->string[0] != '_')
            problems_.push_back(path_of(c->string) + ": unknown field (misspelt?)");
    }
}

std::string FieldReader::path_of(const char* name) const {
    return path_.empty() ? std::string(name) : path_ + "." + name;
}

void FieldReader::problem(const char* name, const std::string& message) {
    problems_.push_back(path_of(name) + ": " + message);
}

const cJSON* FieldReader::item(const char* name) {
    read_.insert(name);
    return obj_ ? cJSON_GetObjectItemCaseSensitive(obj_, name) : nullptr;
}

bool FieldReader::has(const char* name) const {
    return obj_ && cJSON_GetObjectItemCaseSensitive(obj_, name) != nullptr;
}

std::string FieldReader::text(const char* name, std::string fallback, bool required) {
    const cJSON* j = item(name);
    if (!j) {
        if (required) problem(name, "required, missing");
        return fallback;
    }
    if (!cJSON_IsString(j)) {
        problem(name, "expected a string");
        return fallback;
    }
    // An empty required string is as good as missing, and for some fields (the key file)
    // far worse: it would silently mean an empty HMAC key.
    if (required && j->valuestring[0] == '\0') {
        problem(name, "required, got an empty string");
        return fallback;
    }
    return j->valuestring;
}

std::int64_t FieldReader::integer(const char* name, std::int64_t fallback, std::int64_t min,
                                  std::int64_t max, bool required) {
    const cJSON* j = item(name);
    if (!j) {
        if (required) problem(name, "required, missing");
        return fallback;
    }
    const double v = cJSON_IsNumber(j) ? j->valuedouble : 0.5;
    if (!cJSON_IsNumber(j) || v != static_cast<double>(static_cast<std::int64_t>(v))) {
        problem(name, "expected a whole number from " + std::to_string(min) + " to " +
                          std::to_string(max));
        return fallback;
    }
    const auto n = static_cast<std::int64_t>(v);
    if (n < min || n > max) {
        problem(name, "expected a whole number from " + std::to_string(min) + " to " +
                          std::to_string(max) + ", got " + std::to_string(n));
        return fallback;
    }
    return n;
}

bool FieldReader::boolean(const char* name, bool fallback) {
    const cJSON* j = item(name);
    if (!j) return fallback;
    if (!cJSON_IsBool(j)) {
        problem(name, "expected true or false");
        return fallback;
    }
    return cJSON_IsTrue(j);
}

std::string FieldReader::choice(const char* name, std::string fallback,
                                const std::vector<std::string>& allowed) {
    const bool present = has(name);
    auto v = text(name, fallback);
    for (const auto& a : allowed)
        if (a == v) return v;
    if (present && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(obj_, name))) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "\"" : ", \"") + a + "\"";
        problem(name, "expected one of " + list + ", got \"" + v + "\"");
    }
    return fallback;
}

FieldReader FieldReader::object(const char* name, bool required) {
    const cJSON* j = item(name);
    if (!j && required) problem(name, "required section, missing");
    if (j && !cJSON_IsObject(j)) {
        problem(name, "expected an object");
        j = nullptr;
    }
    return FieldReader(j, path_of(name), problems_);
}

std::vector<const cJSON*> FieldReader::array(const char* name, bool required) {
    const cJSON* j = item(name);
    std::vector<const cJSON*> out;
    if (!j) {
        if (required) problem(name, "required, missing");
        return out;
    }
    if (!cJSON_IsArray(j)) {
        problem(name, "expected an array");
        return out;
    }
    for (const cJSON* c = j->child; c; c = c->next) out.push_back(c);
    return out;
}

}  // namespace cashbridge::bridge
