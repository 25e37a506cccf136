// The daemon's cash_in inputs: claims the lines tapped from the real acceptor and turns
// their edges into counted coins for the event loop.
#pragma once

#include <poll.h>

#include <memory>
#include <vector>

#include "cashbridge/bridge/cash_in.hpp"
#include "cashbridge/bridge/logger.hpp"
#include "cashbridge/hal/line.hpp"

namespace cashbridge::bridge {

class CashInLines {
  public:
    /// Claims every acceptor.cash_in line as an input; throws like Board::claim_input.
    CashInLines(hal::Board& board, const AcceptorConfig& acceptor, Logger& log);

    /// Appends one pollfd per line still watched.
    void add_pollfds(std::vector<pollfd>& fds) const;
    /// Reads the edges of the lines whose pollfds (starting at fds[first]) are ready, and
    /// closes coins whose pause has passed. A line that fails is logged and dropped.
    std::vector<CashIn> service(const std::vector<pollfd>& fds, std::size_t first,
                                hal::TimePoint now);

  private:
    std::vector<std::unique_ptr<hal::InputLine>> lines_;  // null once dropped
    CashInCounter counter_;
    Logger& log_;
};

}  // namespace cashbridge::bridge
