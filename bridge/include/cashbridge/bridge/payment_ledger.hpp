/// @file payment_ledger.hpp
/// The credits being delivered in this run of the daemon, for delivery timeouts and the
/// paid screen. The durable record of every payment is the Journal; this is its working set.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "cashbridge/hal/line.hpp"

namespace cashbridge::bridge {

struct ActiveCredit {
    std::string payment;
    std::int64_t amount = 0;  ///< the payment's whole amount
    std::int64_t token_exp = 0;
    hal::TimePoint started_at{};  ///< when queued for delivery in this run
    bool cancel_requested = false;
};

class PaymentLedger {
  public:
    void add(ActiveCredit credit) { credits_[credit.payment] = std::move(credit); }
    ActiveCredit* find(const std::string& payment) {
        auto it = credits_.find(payment);
        return it == credits_.end() ? nullptr : &it->second;
    }
    void remove(const std::string& payment) { credits_.erase(payment); }
    template <typename F>
    void for_each(F&& f) {
        for (auto& [id, c] : credits_) f(c);
    }
    std::size_t size() const { return credits_.size(); }

  private:
    std::map<std::string, ActiveCredit> credits_;
};

}  // namespace cashbridge::bridge
