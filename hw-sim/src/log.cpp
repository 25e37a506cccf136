// stderr logging: a single write per line keeps lines whole when several processes share it.
#include "cashbridge/sim/log.hpp"

#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <string>

namespace cashbridge::sim {

void log_line(std::string_view text) {
    timeval tv{};
    ::gettimeofday(&tv, nullptr);
    std::tm tm{};
    ::localtime_r(&tv.tv_sec, &tm);
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "%02d:%02d:%02d.%03d ", tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(tv.tv_usec / 1000));
    std::string line = stamp;
    line += "cashbridge-sim: ";
    line += text;
    line += '\n';
    // Best effort: a closed stderr must not take the simulator down.
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace cashbridge::sim
