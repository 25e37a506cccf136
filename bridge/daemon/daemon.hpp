// The composition root and event loop of cashbridged.
#pragma once

#include "cashbridge/bridge/config.hpp"
#include "cashbridge/bridge/logger.hpp"

namespace cashbridge::bridge {

/// Builds the backends the config names, runs the event loop until SIGINT/SIGTERM, and
/// returns the process exit code. Signals must already be blocked in every thread.
int run_daemon(const Config& config, Logger& log);

}  // namespace cashbridge::bridge
