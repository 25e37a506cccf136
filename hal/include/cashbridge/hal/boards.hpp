/// @file boards.hpp
/// Factories for the real backends; the composition root picks one from the config.
#pragma once

#include <filesystem>
#include <memory>

#include "cashbridge/hal/line.hpp"

namespace cashbridge::hal {

/// Lines live in cashbridge-sim, reached over its Unix line socket (docs/sim-lines.md).
std::unique_ptr<Board> make_sim_board(std::filesystem::path socket_path);

/// Lines are Linux GPIO character-device lines, requested through libgpiod (v1 API, as
/// Debian 12 and Raspberry Pi OS ship it). `consumer` is the label the kernel shows.
std::unique_ptr<Board> make_gpiod_board(std::string consumer);

}  // namespace cashbridge::hal
