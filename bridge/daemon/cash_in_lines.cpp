// CashInLines: cash_in input lines -> CashInCounter.
#include "cash_in_lines.hpp"

namespace cashbridge::bridge {

CashInLines::CashInLines(hal::Board& board, const AcceptorConfig& acceptor, Logger& log)
    : counter_(cash_in_rules(acceptor), acceptor.cash_in), log_(log) {
    for (const auto& coin : acceptor.cash_in) {
        lines_.push_back(board.claim_input(coin.line));
        log_.info("hal", "claimed input " + coin.line.name + " (cash sales)");
    }
}

void CashInLines::add_pollfds(std::vector<pollfd>& fds) const {
    for (const auto& line : lines_)
        if (line) fds.push_back({line->fd(), POLLIN, 0});
}

std::vector<CashIn> CashInLines::service(const std::vector<pollfd>& fds, std::size_t first,
                                         hal::TimePoint now) {
    std::vector<CashIn> out;
    std::size_t at = first;
    for (std::size_t i = 0; i < lines_.size(); ++i) {
        if (!lines_[i]) continue;
        const auto ready = at < fds.size() && (fds[at].revents & (POLLIN | POLLHUP | POLLERR));
        ++at;
        if (!ready) continue;
        try {
            while (auto edge = lines_[i]->read_edge())
                for (auto& c : counter_.on_edge(i, *edge)) out.push_back(std::move(c));
        } catch (const std::exception& e) {
            // Cash sales are the operator's statistics, not credit: keep selling.
            log_.error("cash_in", std::string("line lost, no longer counted: ") + e.what());
            lines_[i].reset();
        }
    }
    if (auto c = counter_.on_time(now)) out.push_back(std::move(*c));
    return out;
}

}  // namespace cashbridge::bridge
