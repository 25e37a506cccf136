/// @file payment_ledger.hpp
/// Which payments this daemon has accepted and how far their credit got: the duplicate
/// check ("never credit a payment id twice") and the source of delivery reports.
///
/// This ledger lives in memory: it guards against duplicates for as long as the daemon
/// runs. Surviving restarts and power loss is the job of the durable journal (issue 4),
/// which will replace this class behind the same calls.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "cashbridge/hal/line.hpp"

namespace cashbridge::bridge {

enum class CreditStatus { delivering, delivered, failed };

struct Credit {
    std::string payment;
    std::string session;
    std::int64_t amount = 0;
    std::int64_t delivered = 0;
    std::size_t pulses = 0;
    CreditStatus status = CreditStatus::delivering;
    hal::TimePoint accepted_at{};
    bool cancel_requested = false;
};

class PaymentLedger {
  public:
    /// Records a new payment. Returns false (and changes nothing) if the id is known.
    bool accept(Credit credit);
    Credit* find(const std::string& payment);
    /// Credits still being delivered, for timeouts.
    template <typename F>
    void for_each_open(F&& f) {
        for (auto& [id, c] : credits_)
            if (c.status == CreditStatus::delivering) f(c);
    }
    std::size_t open_count() const;

  private:
    std::map<std::string, Credit> credits_;
};

}  // namespace cashbridge::bridge
