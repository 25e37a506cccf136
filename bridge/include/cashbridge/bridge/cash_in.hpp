/// @file cash_in.hpp
/// Counting cash sales: edges read from the real acceptor's outputs (`cash_in` lines) are
/// judged against the acceptor's convention (pulse width within the tolerance a controller
/// allows) and grouped into coins by the longer pause between coins. Pure logic, no I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cashbridge/bridge/config.hpp"
#include "cashbridge/hal/line.hpp"

namespace cashbridge::bridge {

/// A coin counted, or a pulse that a controller would not have counted.
struct CashIn {
    enum class Kind { coin, error };
    Kind kind = Kind::coin;
    std::string line;
    std::int64_t value = 0;  ///< coin: minor units
    int pulses = 0;          ///< coin: how many pulses made it
    std::string detail;      ///< error: what was wrong, with the measured width
};

struct CashInRules {
    hal::Level active = hal::Level::low;
    std::chrono::nanoseconds pulse{};  ///< for a line whose CoinLine::width is zero
    std::chrono::nanoseconds tolerance{};
    /// A pause at least this long ends a coin (pulse protocol): between the pause inside
    /// a coin (gap_ms) and the one between coins.
    std::chrono::nanoseconds coin_end{};
    bool pulse_is_coin = false;  ///< parallel: every pulse is a whole coin
};

/// The rules `acceptor` implies for its cash_in lines.
CashInRules cash_in_rules(const AcceptorConfig& acceptor);

class CashInCounter {
  public:
    /// `lines[i]` is the line that edges for index i come from.
    CashInCounter(CashInRules rules, std::vector<CoinLine> lines);

    /// Line `line` changed; returns what that completed (a coin closed by a new pulse
    /// after a long pause, a pulse rejected).
    std::vector<CashIn> on_edge(std::size_t line, const hal::Edge& edge);
    /// Closes the coin in progress once the line has been idle for rules.coin_end.
    std::optional<CashIn> on_time(hal::TimePoint now);

  private:
    struct Pending {
        std::size_t line = 0;
        std::int64_t value = 0;
        int pulses = 0;
        hal::TimePoint last_end{};
    };
    CashIn close();

    CashInRules rules_;
    std::vector<CoinLine> lines_;
    std::vector<std::optional<hal::TimePoint>> active_since_;
    std::optional<Pending> pending_;
};

}  // namespace cashbridge::bridge
