// make_board: hal.backend -> the Board that hands out lines.
#include "cashbridge/bridge/board.hpp"

#include "cashbridge/hal/boards.hpp"

namespace cashbridge::bridge {

std::unique_ptr<hal::Board> make_board(const Config& c) {
    if (c.hal.backend == HalBackend::gpiod) return hal::make_gpiod_board(c.hal.gpio_consumer);
    return hal::make_sim_board(c.hal.sim_socket);
}

}  // namespace cashbridge::bridge
