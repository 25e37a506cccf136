/// @file profiles.hpp
/// Named machine profiles (profiles/*.json): acceptor presets a config selects with
/// `acceptor.profile`; the config's own acceptor fields override the profile's.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace cashbridge::bridge {

/// Where a profile name is looked up, in order: `<config dir>/profiles`, the installed
/// data dir chosen at build time (e.g. /usr/share/cashbridge/profiles),
/// /usr/share/cashbridge/profiles, and the source tree's profiles/ (for a build that was
/// not installed). Directories that do not exist are left out.
std::vector<std::filesystem::path> profile_dirs(const std::filesystem::path& config_dir);

/// The profile names (file stems) found in `dirs`, sorted, without duplicates.
std::vector<std::string> available_profiles(const std::vector<std::filesystem::path>& dirs);

/// The file a profile reference names: a path (it contains '/' or ends in ".json",
/// relative to `config_dir`) or a name looked up in profile_dirs(). Empty if not found.
std::filesystem::path find_profile(const std::string& ref, const std::filesystem::path& config_dir);

}  // namespace cashbridge::bridge
