// Typed, path-aware reading of a cJSON object: every problem is recorded with the field's
// full path so an installer knows exactly what to fix, and unknown fields (typos) are caught.
#pragma once

#include <cjson/cJSON.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cashbridge::bridge {

struct CjsonDeleter {
    void operator()(cJSON* j) const { cJSON_Delete(j); }
};
using CjsonPtr = std::unique_ptr<cJSON, CjsonDeleter>;

class FieldReader {
  public:
    /// `obj` may be null (section absent): every read then yields its default.
    FieldReader(const cJSON* obj, std::string path, std::vector<std::string>& problems);
    /// Records unknown fields; call once all fields of this object were read.
    ~FieldReader();
    FieldReader(const FieldReader&) = delete;
    FieldReader& operator=(const FieldReader&) = delete;

    bool has(const char* name) const;
    std::string text(const char* name, std::string fallback, bool required = false);
    std::int64_t integer(const char* name, std::int64_t fallback, std::int64_t min,
                         std::int64_t max, bool required = false);
    bool boolean(const char* name, bool fallback);
    /// A string from a fixed set; the error lists the allowed values.
    std::string choice(const char* name, std::string fallback,
                       const std::vector<std::string>& allowed);
    FieldReader object(const char* name, bool required = false);
    /// The array's items (empty if absent or not an array, the latter recorded).
    std::vector<const cJSON*> array(const char* name, bool required = false);
    std::string path_of(const char* name) const;
    std::vector<std::string>& problems() { return problems_; }
    void problem(const char* name, const std::string& message);

  private:
    const cJSON* item(const char* name);
    const cJSON* obj_;
    std::string path_;
    std::vector<std::string>& problems_;
    std::set<std::string> read_;
};

}  // namespace cashbridge::bridge
