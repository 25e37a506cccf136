/// @file line_server.hpp
/// The machine's end of docs/sim-lines.md: a Unix socket where the daemon's sim HAL claims
/// lines (one connection each), reports output edges, and receives input edges.
#pragma once

#include <poll.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cashbridge/sim/unique_fd.hpp"

namespace cashbridge::sim {

/// Direction as the daemon sees it: `out` lines (coin) are driven by the daemon, `in` lines
/// (inhibit) by the machine, i.e. the sim.
enum class Direction { out, in };

struct LineSpec {
    std::string name;
    Direction direction = Direction::out;
    int inactive_level = 1;  ///< what a released output (or an idle input) reads
};

/// Something the rest of the sim must know about. `changed` carries the electrical level
/// and the time the changing side stamped it.
struct LineEvent {
    enum class Kind { claimed, changed, released, refused, bad_message };
    Kind kind = Kind::changed;
    std::string line;  ///< empty for refusals/bad messages before a claim
    int level = 0;     ///< level after the event (claimed/changed/released)
    std::int64_t t_ns = 0;
    std::string detail;  ///< refusal / protocol error text
};

struct LineStatus {
    std::string name;
    Direction direction = Direction::out;
    bool claimed = false;
    int level = 0;
};

class LineServer {
  public:
    /// Listens on `path` at once. Throws std::system_error if it cannot.
    LineServer(std::string path, std::vector<LineSpec> lines);
    /// Removes the socket file.
    ~LineServer();
    LineServer(const LineServer&) = delete;
    LineServer& operator=(const LineServer&) = delete;

    /// Appends the listening socket and every connection, for the caller's poll().
    void add_pollfds(std::vector<pollfd>& fds) const;

    /// Accepts pending connections and handles every complete message (non-blocking; call
    /// it whenever poll() reported one of our fds). Returns what happened, in order.
    std::vector<LineEvent> service();

    /// Drives input line `name` to `level` now and sends EDGE to its claimant, if any.
    /// Returns the `changed` event, nullopt when the level is already `level`.
    /// Throws std::invalid_argument for an unknown line or an output line.
    /// `t_ns` stamps the edge (a scheduled time, as hardware would stamp it); default now.
    std::optional<LineEvent> drive(const std::string& name, int level,
                                   std::optional<std::int64_t> t_ns = std::nullopt);

    std::vector<LineStatus> status() const;
    std::optional<int> level(const std::string& name) const;

  private:
    struct Line {
        LineSpec spec;
        int level = 0;
        bool claimed = false;
    };
    struct Client {
        UniqueFd fd;
        LineBuffer buffer;
        std::size_t line = npos;  // index into lines_ once claimed
        bool closing = false;
    };
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    Line* find(const std::string& name);
    void handle_message(Client& c, const std::string& msg, std::vector<LineEvent>& events);
    void handle_claim(Client& c, const std::vector<std::string>& words,
                      std::vector<LineEvent>& events);
    void release(Client& c, std::vector<LineEvent>& events);

    std::string path_;
    UniqueFd listen_fd_;
    std::vector<Line> lines_;
    std::vector<Client> clients_;
};

}  // namespace cashbridge::sim
