// The composition root and event loop of cashbridged.
#pragma once

#include <stdexcept>

#include "cashbridge/bridge/config.hpp"
#include "cashbridge/bridge/logger.hpp"

namespace cashbridge::bridge {

/// A configured line could not be requested (busy, wrong chip or offset, refused by the
/// simulator). what() names the config field, the chip and the offset. Exit code 4.
class LineClaimError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Builds the backends the config names, runs the event loop until SIGINT/SIGTERM, and
/// returns the process exit code. Signals must already be blocked in every thread.
int run_daemon(const Config& config, Logger& log);

}  // namespace cashbridge::bridge
