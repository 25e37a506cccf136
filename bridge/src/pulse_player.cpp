// PulsePlayer: the timing-critical thread that turns plans into edges on the coin lines.
#include "cashbridge/bridge/pulse_player.hpp"

#include <algorithm>
#include <functional>

namespace cashbridge::bridge {

PulsePlayer::PulsePlayer(hal::Clock& clock, std::vector<hal::OutputLine*> lines, hal::Level active,
                         std::chrono::microseconds gap_between_jobs)
    : clock_(clock),
      lines_(std::move(lines)),
      active_(active),
      gap_between_jobs_(gap_between_jobs),
      thread_([this] { run(); }) {}

PulsePlayer::~PulsePlayer() {
    {
        std::lock_guard lock(mutex_);
        quit_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void PulsePlayer::enqueue(PulseJob job) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    wake_.notify_all();
}

void PulsePlayer::set_hold(bool hold) {
    {
        std::lock_guard lock(mutex_);
        hold_ = hold;
    }
    wake_.notify_all();
}

void PulsePlayer::cancel(const std::string& credit_id) {
    {
        std::lock_guard lock(mutex_);
        std::erase_if(jobs_, [&](const PulseJob& j) {
            if (j.credit_id != credit_id) return false;
            reports_.push({credit_id, 0, 0, true, true, {}, {}});
            return true;
        });
        if (current_ == credit_id) cancel_id_ = credit_id;
    }
    wake_.notify_all();
}

bool PulsePlayer::idle() const {
    std::lock_guard lock(mutex_);
    return jobs_.empty() && !busy_;
}

PulseReport PulsePlayer::play(const PulseJob& job, const std::function<bool()>& stop) {
    PulseReport report{job.credit_id, 0, 0, false, false, {}, {}};
    const auto inactive = hal::opposite(active_);
    // Deadlines are absolute from one origin, so a late wake-up shortens the wait to the
    // next edge instead of pushing every later edge back.
    // The gap after the last pulse of one job still applies before the next job starts.
    const auto origin = std::max(clock_.now(), next_start_);
    std::chrono::microseconds shift{0};
    try {
        for (const auto& pulse : job.pulses) {
            if (stop()) {
                report.cancelled = true;
                break;
            }
            const auto planned_start = origin + pulse.start + shift;
            const auto now = clock_.now();
            // A hold (or a slow stop() check) may have made us late: re-base the rest of the
            // train so the gap before this pulse is never shorter than planned.
            if (now > planned_start)
                shift += std::chrono::ceil<std::chrono::microseconds>(now - planned_start);
            const auto start = origin + pulse.start + shift;
            clock_.sleep_until(start);
            auto* line = lines_.at(pulse.line);
            const auto t = line->set(active_);
            if (report.pulses_done == 0) report.first_edge = t;
            clock_.sleep_until(start + pulse.width);
            line->set(inactive);
            ++report.pulses_done;
            report.value_done += pulse.value;
            if (report.pulses_done < job.pulses.size()) reports_.push(report);
            next_start_ = start + pulse.width + gap_between_jobs_;
        }
    } catch (const std::exception& e) {
        report.error = e.what();
    }
    report.finished = true;
    return report;
}

void PulsePlayer::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return quit_ || (!hold_ && !jobs_.empty()); });
        if (quit_) return;
        auto job = std::move(jobs_.front());
        jobs_.pop_front();
        current_ = job.credit_id;
        busy_ = true;
        lock.unlock();
        auto report = play(job, [this, &job] {
            std::unique_lock l(mutex_);
            // Between pulses: wait out a hold, but leave at once on quit or cancel.
            wake_.wait(l, [&] { return quit_ || !hold_ || cancel_id_ == job.credit_id; });
            return quit_ || cancel_id_ == job.credit_id;
        });
        lock.lock();
        current_.clear();
        cancel_id_.clear();
        busy_ = false;
        reports_.push(std::move(report));
    }
}

}  // namespace cashbridge::bridge
