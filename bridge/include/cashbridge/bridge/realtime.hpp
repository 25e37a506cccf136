/// @file realtime.hpp
/// Real-time settings for the pulse thread: SCHED_FIFO and locked memory keep a loaded
/// machine (a busy display thread, a page-out) from stretching a pulse. Each returns the
/// warning to log when the system refuses, so the daemon goes on without, never stops.
#pragma once

#include <pthread.h>

#include <optional>
#include <string>

namespace cashbridge::bridge {

/// mlockall(MCL_CURRENT | MCL_FUTURE): no page fault (disk read) in the middle of a pulse.
/// Needs CAP_IPC_LOCK or an RLIMIT_MEMLOCK above the daemon's size.
std::optional<std::string> lock_memory();

/// Puts `thread` under SCHED_FIFO at `priority` (1-99). Needs CAP_SYS_NICE or an
/// RLIMIT_RTPRIO of at least `priority`.
std::optional<std::string> make_realtime(pthread_t thread, int priority);

}  // namespace cashbridge::bridge
