// SCHED_FIFO for one thread and mlockall, with the missing privilege named on refusal.
#include "cashbridge/bridge/realtime.hpp"

#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

namespace cashbridge::bridge {
namespace {

/// Whether the effective capability set holds CAP_IPC_LOCK (bit 14), read from
/// /proc/self/status so that no libcap is needed.
bool can_lock_without_limit() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("CapEff:", 0) == 0)
            return (std::stoull(line.substr(7), nullptr, 16) >> 14) & 1;
    return false;
}

}  // namespace

std::optional<std::string> lock_memory() {
    // With MCL_FUTURE every later mapping counts against RLIMIT_MEMLOCK: under a finite
    // limit the daemon would lock now and fail later, when a thread's stack no longer fits.
    rlimit limit{};
    if (::getrlimit(RLIMIT_MEMLOCK, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
        !can_lock_without_limit())
        return "memory not locked: RLIMIT_MEMLOCK is " + std::to_string(limit.rlim_cur / 1024) +
               " KiB and CAP_IPC_LOCK is missing (LimitMEMLOCK=infinity in the unit). Going "
               "on without: a page fault may stretch a pulse";
#if defined(__SANITIZE_ADDRESS__)
    // ASan maps terabytes of shadow memory; locking it would exhaust RAM.
    return "memory not locked: skipped under AddressSanitizer";
#else
    if (::mlockall(MCL_CURRENT | MCL_FUTURE) == 0) return std::nullopt;
    const int err = errno;
    return std::string("cannot lock memory (mlockall): ") + std::strerror(err) +
           "; needs CAP_IPC_LOCK or a larger RLIMIT_MEMLOCK (LimitMEMLOCK=infinity in the "
           "unit). Going on without: a page fault may stretch a pulse";
#endif
}

std::optional<std::string> make_realtime(pthread_t thread, int priority) {
    sched_param param{};
    param.sched_priority = priority;
    const int err = ::pthread_setschedparam(thread, SCHED_FIFO, &param);
    if (err == 0) return std::nullopt;
    return "cannot run the pulse thread under SCHED_FIFO priority " + std::to_string(priority) +
           ": " + std::strerror(err) +
           (err == EPERM ? "; needs CAP_SYS_NICE (or LimitRTPRIO=" + std::to_string(priority) +
                               " in the unit)"
                         : std::string()) +
           ". Going on with normal scheduling: pulse timing may suffer under load";
}

}  // namespace cashbridge::bridge
