// Bridge::on_cash_in: cash sales counted from the acceptor's outputs, for the operator's books.
#include "cashbridge/bridge/bridge.hpp"

namespace cashbridge::bridge {

void Bridge::on_cash_in(const CashIn& cash, Now now) {
    if (cash.kind == CashIn::Kind::error) {
        count("cash_in_errors");
        event(mqtt::EventLevel::warning, "cash_in_error", cash.detail);
    } else {
        count("cash_in_coins");
        count("cash_in_value", cash.value);
        // key=value words: readable in a log, and split on spaces by a program.
        event(mqtt::EventLevel::info, "cash_in",
              "value=" + std::to_string(cash.value) + " pulses=" + std::to_string(cash.pulses) +
                  " line=" + cash.line);
    }
    publish_state(now);
}

}  // namespace cashbridge::bridge
