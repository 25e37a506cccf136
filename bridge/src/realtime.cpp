// SCHED_FIFO for one thread and mlockall, with the missing privilege named on refusal.
#include "cashbridge/bridge/realtime.hpp"

#include <sched.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstring>

namespace cashbridge::bridge {

std::optional<std::string> lock_memory() {
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
