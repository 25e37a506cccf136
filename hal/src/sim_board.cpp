// The simulator backend: every claimed line is one connection to cashbridge-sim's line
// socket (docs/sim-lines.md), so the daemon runs unchanged without GPIO hardware.
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <charconv>
#include <cstring>
#include <sstream>

#include "cashbridge/hal/boards.hpp"
#include "cashbridge/hal/unique_fd.hpp"

namespace cashbridge::hal {
namespace {

constexpr int claim_timeout_ms = 2000;

std::int64_t to_ns(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

void write_all(int fd, const std::string& text, const std::string& line) {
    std::size_t done = 0;
    while (done < text.size()) {
        const auto n = ::send(fd, text.data() + done, text.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno("sim line " + line + ": send");
        done += static_cast<std::size_t>(n);
    }
}

/// Splits a byte stream into lines; the socket carries one message per line.
class LineReader {
  public:
    /// Reads what is available (blocking up to `timeout_ms` if nothing is buffered) and
    /// returns one complete line, or nullopt if none arrived in time.
    std::optional<std::string> next(int fd, int timeout_ms, const std::string& line) {
        for (;;) {
            if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
                auto msg = buffer_.substr(0, nl);
                buffer_.erase(0, nl + 1);
                return msg;
            }
            pollfd p{fd, POLLIN, 0};
            const int r = ::poll(&p, 1, timeout_ms);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) throw_errno("sim line " + line + ": poll");
            if (r == 0) return std::nullopt;
            char chunk[512];
            const auto n = ::recv(fd, chunk, sizeof chunk, MSG_DONTWAIT);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) return std::nullopt;
            if (n < 0) throw_errno("sim line " + line + ": recv");
            if (n == 0)
                throw std::system_error(ECONNRESET, std::generic_category(),
                                        "sim line " + line + ": simulator closed the line");
            buffer_.append(chunk, static_cast<std::size_t>(n));
            if (buffer_.size() > 4096)
                throw std::runtime_error("sim line " + line + ": message too long");
            timeout_ms = 0;  // got bytes: do not wait again for the rest of a partial line
        }
    }

  private:
    std::string buffer_;
};

Level parse_level(std::string_view word, const std::string& line) {
    if (word == "0") return Level::low;
    if (word == "1") return Level::high;
    throw std::runtime_error("sim line " + line + ": bad level '" + std::string(word) + "'");
}

/// Parses "<KEYWORD> <level> <t_ns>" into an Edge.
Edge parse_edge(const std::string& msg, std::string_view keyword, const std::string& line) {
    std::istringstream in(msg);
    std::string word, level;
    std::int64_t ns = 0;
    if (!(in >> word >> level >> ns) || word != keyword)
        throw std::runtime_error("sim line " + line + ": unexpected message '" + msg + "'");
    return {parse_level(level, line), TimePoint(std::chrono::nanoseconds(ns))};
}

/// Connects and claims; returns the socket and the level the simulator reports.
std::pair<UniqueFd, Edge> claim(const std::filesystem::path& socket_path, const std::string& line,
                                const std::string& request, LineReader& reader) {
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) throw_errno("sim line " + line + ": socket");
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const auto path = socket_path.string();
    if (path.size() >= sizeof addr.sun_path)
        throw std::runtime_error("sim socket path too long: " + path);
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) < 0)
        throw_errno("sim line " + line + ": connect to " + path);
    write_all(fd.get(), request, line);
    auto reply = reader.next(fd.get(), claim_timeout_ms, line);
    if (!reply) throw std::runtime_error("sim line " + line + ": no answer to CLAIM from " + path);
    if (reply->rfind("ERR", 0) == 0)
        throw std::runtime_error("sim line " + line + ": simulator refused: " + reply->substr(3));
    return {std::move(fd), parse_edge(*reply, "OK", line)};
}

class SimOutput final : public OutputLine {
  public:
    SimOutput(const std::filesystem::path& socket_path, std::string name, Level initial)
        : name_(std::move(name)) {
        std::string req = "CLAIM " + name_ + " out " + (initial == Level::high ? "1" : "0") + "\n";
        fd_ = claim(socket_path, name_, req, reader_).first;
    }
    TimePoint set(Level level) override {
        const auto t = std::chrono::steady_clock::now();
        write_all(fd_.get(),
                  "SET " + std::string(level == Level::high ? "1 " : "0 ") +
                      std::to_string(to_ns(t)) + "\n",
                  name_);
        return t;
    }
    const std::string& name() const override { return name_; }

  private:
    std::string name_;
    LineReader reader_;
    UniqueFd fd_;
};

class SimInput final : public InputLine {
  public:
    SimInput(const std::filesystem::path& socket_path, std::string name) : name_(std::move(name)) {
        auto [fd, initial] = claim(socket_path, name_, "CLAIM " + name_ + " in\n", reader_);
        fd_ = std::move(fd);
        level_ = initial.level;
    }
    Level level() const override { return level_; }
    int fd() const override { return fd_.get(); }
    std::optional<Edge> read_edge() override {
        auto msg = reader_.next(fd_.get(), 0, name_);
        if (!msg) return std::nullopt;
        auto edge = parse_edge(*msg, "EDGE", name_);
        level_ = edge.level;
        return edge;
    }
    const std::string& name() const override { return name_; }

  private:
    std::string name_;
    LineReader reader_;
    UniqueFd fd_;
    Level level_ = Level::high;
};

class SimBoard final : public Board {
  public:
    explicit SimBoard(std::filesystem::path socket_path) : socket_path_(std::move(socket_path)) {}
    std::unique_ptr<OutputLine> claim_output(const LineSpec& spec, Level initial) override {
        return std::make_unique<SimOutput>(socket_path_, spec.name, initial);
    }
    std::unique_ptr<InputLine> claim_input(const LineSpec& spec) override {
        return std::make_unique<SimInput>(socket_path_, spec.name);
    }

  private:
    std::filesystem::path socket_path_;
};

}  // namespace

std::unique_ptr<Board> make_sim_board(std::filesystem::path socket_path) {
    return std::make_unique<SimBoard>(std::move(socket_path));
}

}  // namespace cashbridge::hal
