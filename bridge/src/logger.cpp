// Logger: leveled, tagged lines on one stream.
#include "cashbridge/bridge/logger.hpp"

namespace cashbridge::bridge {

LogLevel log_level_from_string(std::string_view s) {
    if (s == "debug") return LogLevel::debug;
    if (s == "warn") return LogLevel::warn;
    if (s == "error") return LogLevel::error;
    return LogLevel::info;
}

void Logger::log(LogLevel level, std::string_view tag, std::string_view message) {
    if (!enabled(level)) return;
    static constexpr std::string_view names[] = {"debug", "info", "warn", "error"};
    std::lock_guard lock(mutex_);
    // Control characters from remote input must not forge log lines.
    std::string clean;
    clean.reserve(message.size());
    for (char c : message) clean += (static_cast<unsigned char>(c) < 0x20 ? '?' : c);
    out_ << names[static_cast<int>(level)] << " [" << tag << "] " << clean << '\n';
    out_.flush();
}

}  // namespace cashbridge::bridge
