// Test helpers shared by the socket tests: a temporary directory and a blocking line client.
#pragma once

#include <poll.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "cashbridge/sim/unique_fd.hpp"

namespace cashbridge::sim::test {

/// A fresh directory under /tmp, removed with everything in it.
class TempDir {
  public:
    TempDir() {
        char tmpl[] = "/tmp/hw-sim-test-XXXXXX";
        path_ = ::mkdtemp(tmpl) ? tmpl : "";
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

/// The daemon's side of one connection, speaking lines.
class Peer {
  public:
    explicit Peer(const std::string& path) : fd_(connect_unix(path)) {}
    void send(const std::string& text) { send_all(fd_.get(), text); }
    /// Next line, or "<timeout>" / "<closed>" after `timeout_ms`.
    std::string read_line(int timeout_ms = 1000) {
        std::string line;
        while (!buf_.next(line)) {
            pollfd p{fd_.get(), POLLIN, 0};
            if (::poll(&p, 1, timeout_ms) <= 0) return "<timeout>";
            if (!read_available(fd_.get(), buf_) && !buf_.has_line()) return "<closed>";
        }
        return line;
    }
    void close() { fd_.reset(); }

  private:
    UniqueFd fd_;
    LineBuffer buf_;
};

}  // namespace cashbridge::sim::test
