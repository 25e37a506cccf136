/// @file ctl_client.hpp
/// `cashbridge-sim ctl`: sends one control command and prints the JSON reply.
#pragma once

#include <ostream>

#include "cashbridge/sim/options.hpp"

namespace cashbridge::sim {

/// Returns 0 if the reply says "ok":true, 1 if "ok":false or the sim cannot be reached.
int run_ctl(const CtlOptions& options, std::ostream& out, std::ostream& err);

}  // namespace cashbridge::sim
