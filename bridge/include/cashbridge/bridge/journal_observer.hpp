/// @file journal_observer.hpp
/// Connects the pulse player to the journal: each pulse recorded before it starts and
/// after it ends.
#pragma once

#include "cashbridge/bridge/journal.hpp"
#include "cashbridge/bridge/pulse_player.hpp"

namespace cashbridge::bridge {

class JournalObserver final : public PulseObserver {
  public:
    explicit JournalObserver(Journal& journal) : journal_(journal) {}
    void pulse_starting(const std::string& credit_id, const PlannedPulse& p) override {
        journal_.pulse_started(credit_id, {p.index, static_cast<std::int64_t>(p.line), p.value});
    }
    void pulse_ended(const std::string& credit_id, const PlannedPulse& p) override {
        journal_.pulse_ended(credit_id, p.index);
    }
    void pulse_uncertain(const std::string& credit_id, const PlannedPulse& p) override {
        journal_.pulse_uncertain(credit_id, p.index);
    }
    void pulse_withdrawn(const std::string& credit_id, const PlannedPulse& p) override {
        journal_.pulse_withdrawn(credit_id, p.index);
    }
    void pulse_ended_next_starting(const std::string& credit_id, const PlannedPulse& ended,
                                   bool certain, const PlannedPulse& next) override {
        journal_.pulse_ended_next_started(
            credit_id, ended.index, certain,
            {next.index, static_cast<std::int64_t>(next.line), next.value});
    }

  private:
    Journal& journal_;
};

}  // namespace cashbridge::bridge
