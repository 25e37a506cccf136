// PulsePlayer: the timing-critical thread that turns plans into edges on the coin lines.
#include "cashbridge/bridge/pulse_player.hpp"

#include <algorithm>
#include <functional>

namespace cashbridge::bridge {

PulsePlayer::PulsePlayer(hal::Clock& clock, std::vector<hal::OutputLine*> lines, hal::Level active,
                         std::chrono::microseconds gap_between_jobs,
                         std::chrono::microseconds width_tolerance, PulseObserver* observer)
    : clock_(clock),
      lines_(std::move(lines)),
      active_(active),
      gap_between_jobs_(gap_between_jobs),
      width_tolerance_(width_tolerance),
      observer_(observer),
      next_start_(clock.now() + gap_between_jobs),
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
            PulseReport r;
            r.credit_id = credit_id;
            r.finished = r.cancelled = true;
            reports_.push(std::move(r));
            return true;
        });
        if (current_ == credit_id) cancel_id_ = credit_id;
    }
    wake_.notify_all();
}

bool PulsePlayer::held() const {
    std::lock_guard lock(mutex_);
    return hold_;
}

bool PulsePlayer::idle() const {
    std::lock_guard lock(mutex_);
    return jobs_.empty() && !busy_;
}

PulseReport PulsePlayer::play(const PulseJob& job, const std::function<bool()>& stop) {
    PulseReport report;
    report.credit_id = job.credit_id;
    const auto inactive = hal::opposite(active_);
    // Each edge is timed from the actual time of the edge before it, on an absolute
    // deadline: a late wake-up never shortens a pulse or a gap below the plan, and errors
    // do not accumulate along the train. The gap after one job holds before the next.
    auto earliest = std::max(clock_.now(), next_start_);
    // The pulse about to play is on record as started (pulse_starting) from the end of the
    // pulse before it, so a crash from there on leaves it ambiguous, never silently lost or
    // repeated; the journal's fsync overlaps the gap.
    bool announced = false;
    try {
        for (std::size_t i = 0; i < job.pulses.size(); ++i) {
            const auto& pulse = job.pulses[i];
            // A hold during the last pulse: the machine ignores coins while inhibited, so do
            // not leave this one on record as started while waiting (a restart would report
            // it ambiguous though it never happened).
            if (announced && held()) {
                if (observer_) observer_->pulse_withdrawn(job.credit_id, pulse);
                announced = false;
            }
            if (stop()) {
                if (announced && observer_) observer_->pulse_withdrawn(job.credit_id, pulse);
                report.cancelled = true;
                break;
            }
            if (!announced && observer_) observer_->pulse_starting(job.credit_id, pulse);
            announced = false;
            clock_.sleep_until(earliest);
            if (held()) {
                // INHIBIT came during the gap: wait it out, as above.
                if (observer_) observer_->pulse_withdrawn(job.credit_id, pulse);
                if (stop()) {
                    report.cancelled = true;
                    break;
                }
                if (observer_) observer_->pulse_starting(job.credit_id, pulse);
            }
            auto* line = lines_.at(pulse.line);
            // Each edge happened somewhere between the clock read before the call and the
            // time set() returns; the width is only vouched for if both extremes fit.
            const auto start_before = clock_.now();
            const auto started = line->set(active_);
            if (i == 0) report.first_edge = started;
            clock_.sleep_until(started + pulse.width);
            const auto end_before = clock_.now();
            const auto ended = line->set(inactive);
            const auto shortest = end_before - started, longest = ended - start_before;
            const bool certain = shortest >= pulse.width - width_tolerance_ &&
                                 longest <= pulse.width + width_tolerance_;
            if (certain) {
                ++report.pulses_done;
                report.value_done += pulse.value;
            } else {
                ++report.pulses_uncertain;
                report.value_uncertain += pulse.value;
            }
            const bool last = i + 1 == job.pulses.size();
            earliest = ended + (last ? gap_between_jobs_ : job.pulses[i + 1].start - pulse.end());
            next_start_ = ended + gap_between_jobs_;
            if (observer_ && last) {
                if (certain)
                    observer_->pulse_ended(job.credit_id, pulse);
                else
                    observer_->pulse_uncertain(job.credit_id, pulse);
            } else if (observer_) {
                observer_->pulse_ended_next_starting(job.credit_id, pulse, certain,
                                                     job.pulses[i + 1]);
                announced = true;
            }
            if (!last) reports_.push(report);
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
