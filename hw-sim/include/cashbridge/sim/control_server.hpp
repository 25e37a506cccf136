/// @file control_server.hpp
/// The control socket: one text request line in, one JSON reply line out, per client.
/// A client's next request waits until its current one is answered, which is what lets
/// `wait ...` block one client while the others (and the machine) carry on.
#pragma once

#include <poll.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cashbridge/sim/unique_fd.hpp"

namespace cashbridge::sim {

/// A parsed control request: the verb, then positional words and key=value arguments.
struct Command {
    std::string verb;
    std::vector<std::string> words;
    std::map<std::string, std::string> args;
};

/// Splits a request line; never fails (an empty verb means a blank line).
Command parse_command(const std::string& line);

class ControlServer {
  public:
    using ClientId = std::uint64_t;
    struct Request {
        ClientId client = 0;
        std::string line;
    };
    struct Batch {
        std::vector<Request> requests;  ///< each client is busy until reply()
        std::vector<ClientId> closed;   ///< clients that went away (drop their waits)
    };

    /// Listens on `path`. Throws std::system_error.
    explicit ControlServer(std::string path);
    ~ControlServer();
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    void add_pollfds(std::vector<pollfd>& fds) const;

    /// Accepts, reads, and hands out at most one request per idle client.
    Batch service();

    /// Sends one reply line to `client` (ignored if it has gone) and makes it idle again.
    void reply(ClientId client, const std::string& json);

    /// True if an idle client already has a complete request buffered: poll() would not
    /// wake for it, so the loop must not block.
    bool has_ready() const;

  private:
    struct Client {
        ClientId id = 0;
        UniqueFd fd;
        LineBuffer buffer{64 * 1024};
        bool busy = false;
        bool eof = false;
    };

    std::string path_;
    UniqueFd listen_fd_;
    std::vector<Client> clients_;
    ClientId next_id_ = 1;
};

}  // namespace cashbridge::sim
