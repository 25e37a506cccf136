// PaymentLedger: the in-memory record of accepted payments.
#include "cashbridge/bridge/payment_ledger.hpp"

#include <algorithm>

namespace cashbridge::bridge {

bool PaymentLedger::accept(Credit credit) {
    auto id = credit.payment;
    return credits_.try_emplace(std::move(id), std::move(credit)).second;
}

Credit* PaymentLedger::find(const std::string& payment) {
    auto it = credits_.find(payment);
    return it == credits_.end() ? nullptr : &it->second;
}

std::size_t PaymentLedger::open_count() const {
    return static_cast<std::size_t>(
        std::count_if(credits_.begin(), credits_.end(),
                      [](const auto& kv) { return kv.second.status == CreditStatus::delivering; }));
}

}  // namespace cashbridge::bridge
