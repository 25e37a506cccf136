// Settings checks shared by both backends, and the termios backend for pseudo-terminals.
#pragma once

#include <cashbridge/hal/unique_fd.hpp>
#include <cashbridge/peripherals/serial_port.hpp>
#include <string>

namespace cashbridge::peripherals {

/// Throws SerialError naming the port and the setting when a value is out of range.
void validate(const std::string& path, const SerialSettings& settings);

/// Opens `path` non-blocking and applies `settings` in raw mode with termios.
hal::UniqueFd open_termios(const std::string& path, const SerialSettings& settings);

}  // namespace cashbridge::peripherals
