// Machine profiles: finding a named profile and merging its acceptor section under the
// config's, so that the config's own fields win.
#include "cashbridge/bridge/profiles.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "profile_merge.hpp"

namespace cashbridge::bridge {
namespace fs = std::filesystem;

std::vector<fs::path> profile_dirs(const fs::path& config_dir) {
    std::vector<fs::path> candidates = {config_dir / "profiles", fs::path(CASHBRIDGE_PROFILE_DIR),
                                        "/usr/share/cashbridge/profiles",
                                        fs::path(CASHBRIDGE_SOURCE_PROFILE_DIR)};
    std::vector<fs::path> dirs;
    std::error_code ec;
    for (const auto& d : candidates)
        if (fs::is_directory(d, ec) &&
            std::none_of(dirs.begin(), dirs.end(),
                         [&](const fs::path& x) { return fs::equivalent(x, d, ec); }))
            dirs.push_back(d);
    return dirs;
}

std::vector<std::string> available_profiles(const std::vector<fs::path>& dirs) {
    std::set<std::string> names;
    std::error_code ec;
    for (const auto& d : dirs)
        for (const auto& e : fs::directory_iterator(d, ec))
            if (e.path().extension() == ".json") names.insert(e.path().stem().string());
    return {names.begin(), names.end()};
}

fs::path find_profile(const std::string& ref, const fs::path& config_dir) {
    std::error_code ec;
    const bool is_path = ref.find('/') != std::string::npos ||
                         (ref.size() > 5 && ref.substr(ref.size() - 5) == ".json");
    if (is_path) {
        const fs::path p = fs::path(ref).is_absolute() ? fs::path(ref) : config_dir / ref;
        return fs::is_regular_file(p, ec) ? p : fs::path();
    }
    for (const auto& d : profile_dirs(config_dir))
        if (fs::is_regular_file(d / (ref + ".json"), ec)) return d / (ref + ".json");
    return {};
}

namespace {

/// Copies into `into` every member of `from` that `into` lacks; objects present in both
/// are merged the same way, so `"inhibit": {"offset": 27}` keeps a profile's
/// `"inhibit": {"active": "low"}`. Arrays are replaced whole: a config's coin list is the
/// machine's, not an addition to the profile's example. Returns the names copied.
std::set<std::string> merge_missing(cJSON* into, const cJSON* from) {
    std::set<std::string> copied;
    for (const cJSON* f = from->child; f; f = f->next) {
        if (!f->string || f->string[0] == '_') continue;
        cJSON* mine = cJSON_GetObjectItemCaseSensitive(into, f->string);
        if (!mine) {
            cJSON_AddItemToObject(into, f->string, cJSON_Duplicate(f, true));
            copied.insert(f->string);
        } else if (cJSON_IsObject(mine) && cJSON_IsObject(f)) {
            if (!merge_missing(mine, f).empty()) copied.insert(f->string);
        }
    }
    return copied;
}

}  // namespace

ProfileMerge apply_profile(cJSON* acceptor, const fs::path& config_dir,
                           std::vector<std::string>& problems) {
    ProfileMerge result;
    const cJSON* ref = cJSON_GetObjectItemCaseSensitive(acceptor, "profile");
    if (!ref) return result;
    if (!cJSON_IsString(ref) || ref->valuestring[0] == '\0') {
        problems.push_back("acceptor.profile: expected a profile name or a path to a profile file");
        return result;
    }
    result.name = ref->valuestring;
    const auto file = find_profile(result.name, config_dir);
    if (file.empty()) {
        std::string known;
        for (const auto& n : available_profiles(profile_dirs(config_dir)))
            known += (known.empty() ? "" : ", ") + n;
        problems.push_back(
            "acceptor.profile: no profile \"" + result.name + "\"" +
            (known.empty() ? " (no profile directory found)" : "; available: " + known));
        return result;
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    CjsonPtr root(cJSON_Parse(text.str().c_str()));
    const cJSON* preset = root ? cJSON_GetObjectItemCaseSensitive(root.get(), "acceptor") : nullptr;
    if (!preset || !cJSON_IsObject(preset)) {
        problems.push_back("acceptor.profile: " + file.string() +
                           " is not a profile (a JSON object with an \"acceptor\" object)");
        return result;
    }
    result.file = file;
    result.fields = merge_missing(acceptor, preset);
    return result;
}

void blame_profile(const ProfileMerge& merge, std::vector<std::string>& problems,
                   std::size_t first) {
    if (merge.fields.empty()) return;
    for (std::size_t i = first; i < problems.size(); ++i)
        for (const auto& f : merge.fields)
            if (problems[i].rfind("acceptor." + f + ":", 0) == 0 ||
                problems[i].rfind("acceptor." + f + ".", 0) == 0 ||
                problems[i].rfind("acceptor." + f + "[", 0) == 0) {
                problems[i] +=
                    " (from profile \"" + merge.name + "\", " + merge.file.string() + ")";
                break;
            }
}

}  // namespace cashbridge::bridge
