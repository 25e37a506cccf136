/// @file board.hpp
/// The HAL backend a config names (hal.backend), for the daemon and the installer tools.
#pragma once

#include <memory>

#include "cashbridge/bridge/config.hpp"
#include "cashbridge/hal/line.hpp"

namespace cashbridge::bridge {

/// libgpiod (labelled hal.gpio_consumer) or the simulator's line socket (hal.sim_socket).
std::unique_ptr<hal::Board> make_board(const Config& config);

}  // namespace cashbridge::bridge
