/// @file unique_fd.hpp
/// The small socket helpers every part of the sim shares (the fd owner is hal's).
#pragma once

#include <unistd.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "cashbridge/hal/unique_fd.hpp"

namespace cashbridge::sim {

/// The project's one fd owner lives in hal/.
using UniqueFd = hal::UniqueFd;

/// CLOCK_MONOTONIC in nanoseconds: the clock both the sim and the daemon stamp edges with.
std::int64_t monotonic_ns();

/// Binds and listens on a Unix stream socket at `path`, replacing a stale socket file left by
/// a crashed run (never another kind of file). `path` appears only once it accepts
/// connections. Non-blocking, close-on-exec. Throws std::system_error.
UniqueFd listen_unix(const std::string& path);

/// Connects to a Unix stream socket (blocking). Throws std::system_error.
UniqueFd connect_unix(const std::string& path);

/// Accepts one pending connection as a non-blocking fd; an empty UniqueFd if none is pending.
UniqueFd accept_nonblocking(int listen_fd);

/// Sends all of `data` (MSG_NOSIGNAL: a vanished peer is an error, not a SIGPIPE). Returns
/// false if the peer is gone. Waits briefly when the socket buffer is full rather than
/// dropping part of a message.
bool send_all(int fd, std::string_view data);

/// Splits a byte stream into '\n'-terminated lines and bounds how much a peer may buffer.
class LineBuffer {
  public:
    explicit LineBuffer(std::size_t max_line = 4096) : max_line_(max_line) {}
    void append(std::string_view bytes) { buffer_.append(bytes); }
    /// Next complete line without its '\n' (a trailing '\r' is dropped too).
    bool next(std::string& line);
    bool has_line() const { return buffer_.find('\n') != std::string::npos; }
    /// True once the unterminated tail exceeds max_line: the peer is not speaking lines.
    bool overflowed() const { return buffer_.size() > max_line_; }

  private:
    std::string buffer_;
    std::size_t max_line_;
};

/// Reads what is available from a non-blocking fd into `buf`. Returns false on EOF or a
/// hard error (the peer is gone), true otherwise (including "nothing to read").
bool read_available(int fd, LineBuffer& buf);

}  // namespace cashbridge::sim
