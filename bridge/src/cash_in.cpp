// CashInCounter: cash sales decoded from the real acceptor's pulses.
#include "cashbridge/bridge/cash_in.hpp"

#include <cstdio>

namespace cashbridge::bridge {
namespace {

std::string ms(std::chrono::nanoseconds d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(d.count()) / 1e6);
    return buf;
}

}  // namespace

CashInRules cash_in_rules(const AcceptorConfig& a) {
    CashInRules r;
    r.active = a.cash_in_active;
    r.pulse = a.pulse_width;
    r.tolerance = a.tolerance;
    // Without a known pause between coins, twice the pause between pulses: a coin's
    // pulses come gap_ms apart, and no one inserts coins that fast.
    r.coin_end = a.coin_gap > a.pulse_gap ? (a.pulse_gap + a.coin_gap) / 2 : 2 * a.pulse_gap;
    r.pulse_is_coin = a.protocol == AcceptorProtocol::parallel;
    return r;
}

CashInCounter::CashInCounter(CashInRules rules, std::vector<CoinLine> lines)
    : rules_(rules), lines_(std::move(lines)), active_since_(lines_.size()) {}

CashIn CashInCounter::close() {
    CashIn c;
    c.kind = CashIn::Kind::coin;
    c.line = lines_[pending_->line].line.name;
    c.value = pending_->value;
    c.pulses = pending_->pulses;
    pending_.reset();
    return c;
}

std::vector<CashIn> CashInCounter::on_edge(std::size_t line, const hal::Edge& edge) {
    std::vector<CashIn> out;
    if (line >= lines_.size()) return out;
    auto& since = active_since_[line];
    if (edge.level == rules_.active) {
        if (pending_ && edge.at - pending_->last_end >= rules_.coin_end) out.push_back(close());
        since = edge.at;
        return out;
    }
    if (!since) return out;  // inactive again, or was already active when we started
    const auto width = edge.at - *since;
    since.reset();
    const std::chrono::nanoseconds expected =
        lines_[line].width.count() > 0 ? lines_[line].width : rules_.pulse;
    if (width < expected - rules_.tolerance || width > expected + rules_.tolerance) {
        CashIn e;
        e.kind = CashIn::Kind::error;
        e.line = lines_[line].line.name;
        e.detail = "pulse of " + ms(width) + " on " + e.line + ", expected " + ms(expected) +
                   " +/- " + ms(rules_.tolerance);
        out.push_back(std::move(e));
        return out;
    }
    if (pending_ && pending_->line != line) out.push_back(close());
    if (!pending_) pending_ = Pending{line, 0, 0, edge.at};
    pending_->value += lines_[line].value;
    pending_->pulses += 1;
    pending_->last_end = edge.at;
    if (rules_.pulse_is_coin) out.push_back(close());
    return out;
}

std::optional<CashIn> CashInCounter::on_time(hal::TimePoint now) {
    // A pulse in progress belongs to the open coin, however long since the last one ended.
    for (const auto& since : active_since_)
        if (since) return std::nullopt;
    if (pending_ && now - pending_->last_end >= rules_.coin_end) return close();
    return std::nullopt;
}

}  // namespace cashbridge::bridge
