/// @file pos_listener.hpp
/// hw-sim as an attendant's mobile POS: listens for the daemon's LAN datagrams on a UDP
/// port (joining the multicast group when the address is one), logs and keeps them.
#pragma once

#include <poll.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cashbridge/sim/json.hpp"
#include "cashbridge/sim/unique_fd.hpp"

namespace cashbridge::sim {

class PosListener {
  public:
    /// `listen` is "ADDR:PORT": a multicast group is joined (on `interface`, or the
    /// kernel's choice when empty); any other address just picks the port. Throws
    /// std::invalid_argument for a bad address, std::system_error for socket failures.
    PosListener(const std::string& listen, const std::string& interface);

    void add_pollfds(std::vector<pollfd>& fds) const;
    /// Receives what is waiting; returns log lines.
    std::vector<std::string> service();

    std::size_t received_count() const { return received_.size(); }
    void reset();
    /// {"listen","received":[<datagram as JSON>...],"errors":[...]}.
    Json status() const;

  private:
    std::string listen_;
    UniqueFd fd_;
    std::vector<std::string> received_;  // the datagrams' JSON text, in arrival order
    std::vector<std::string> errors_;
};

}  // namespace cashbridge::sim
