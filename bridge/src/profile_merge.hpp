// Merging a named profile into the config's acceptor section (config.cpp's helper).
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "json_fields.hpp"

namespace cashbridge::bridge {

struct ProfileMerge {
    std::string name;              ///< as the config gave it; empty: no profile
    std::filesystem::path file;    ///< the file it was read from
    std::set<std::string> fields;  ///< acceptor fields that came from the profile
};

/// Fills in `acceptor`'s missing fields from the profile its "profile" field names.
/// Problems (unknown profile, with the available names; unreadable file) are appended.
ProfileMerge apply_profile(cJSON* acceptor, const std::filesystem::path& config_dir,
                           std::vector<std::string>& problems);

/// Appends "(from profile ...)" to problems from index `first` on whose field came from
/// the profile, so an installer knows which file to look at.
void blame_profile(const ProfileMerge& merge, std::vector<std::string>& problems,
                   std::size_t first);

}  // namespace cashbridge::bridge
