/// @file log.hpp
/// One line per event on stderr, stamped with local wall time for reading next to the
/// daemon's log.
#pragma once

#include <string_view>

namespace cashbridge::sim {

/// Writes "HH:MM:SS.mmm cashbridge-sim: <text>\n" with a single write, so lines from the
/// sim never interleave mid-line with anything else on the same stderr.
void log_line(std::string_view text);

}  // namespace cashbridge::sim
