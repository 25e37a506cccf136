/// @file logger.hpp
/// A small leveled logger: one line per message with a subsystem tag, to stderr (which
/// systemd's journal captures). Passed by reference; there is no global logger.
#pragma once

#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

namespace cashbridge::bridge {

enum class LogLevel { debug = 0, info = 1, warn = 2, error = 3 };

/// "debug", "info", "warn", "error"; anything else is info.
LogLevel log_level_from_string(std::string_view s);

class Logger {
  public:
    Logger(std::ostream& out, LogLevel threshold) : out_(out), threshold_(threshold) {}
    bool enabled(LogLevel level) const { return level >= threshold_; }
    /// Writes "<level> [<tag>] <message>" if `level` passes the threshold. Thread-safe.
    void log(LogLevel level, std::string_view tag, std::string_view message);

    void debug(std::string_view tag, std::string_view m) { log(LogLevel::debug, tag, m); }
    void info(std::string_view tag, std::string_view m) { log(LogLevel::info, tag, m); }
    void warn(std::string_view tag, std::string_view m) { log(LogLevel::warn, tag, m); }
    void error(std::string_view tag, std::string_view m) { log(LogLevel::error, tag, m); }

  private:
    std::ostream& out_;
    LogLevel threshold_;
    std::mutex mutex_;
};

}  // namespace cashbridge::bridge
