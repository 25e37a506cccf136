/// @file pulse_player.hpp
/// Plays pulse plans on the coin lines from its own thread, against absolute monotonic
/// deadlines, and reports progress to the event loop through an EventQueue.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cashbridge/bridge/event_queue.hpp"
#include "cashbridge/bridge/pulse_plan.hpp"
#include "cashbridge/hal/clock.hpp"
#include "cashbridge/hal/line.hpp"

namespace cashbridge::bridge {

/// Told about each pulse around the edges, on the player's thread: the journal's hook.
class PulseObserver {
  public:
    virtual ~PulseObserver() = default;
    /// Before the line goes active. Must be durable when it returns; throwing stops the
    /// job before the pulse (the report carries the error).
    virtual void pulse_starting(const std::string& credit_id, const PlannedPulse& pulse) = 0;
    /// After the line went inactive again, its width within tolerance.
    virtual void pulse_ended(const std::string& credit_id, const PlannedPulse& pulse) = 0;
    /// After the line went inactive again, but the pulse thread cannot vouch for the width
    /// (it was held off the CPU around an edge): the machine may or may not have counted it.
    virtual void pulse_uncertain(const std::string& credit_id, const PlannedPulse& pulse) = 0;
    /// Announced with pulse_starting() but not started after all (a hold came first).
    virtual void pulse_withdrawn(const std::string& credit_id, const PlannedPulse& pulse) = 0;
    /// After a pulse that has a successor in its job: its end (`certain`: pulse_ended,
    /// else pulse_uncertain) and the announcement of `next`, which an observer may make
    /// durable as one step; it holds up the gap before `next`.
    virtual void pulse_ended_next_starting(const std::string& credit_id, const PlannedPulse& ended,
                                           bool certain, const PlannedPulse& next) {
        if (certain)
            pulse_ended(credit_id, ended);
        else
            pulse_uncertain(credit_id, ended);
        pulse_starting(credit_id, next);
    }
};

struct PulseJob {
    std::string credit_id;  ///< the payment id being credited
    std::vector<PlannedPulse> pulses;
};

/// What the player tells the loop: one report after each pulse and one when the job ends.
struct PulseReport {
    std::string credit_id;
    std::size_t pulses_done = 0;       ///< pulses played with their width within tolerance
    std::int64_t value_done = 0;       ///< minor units delivered so far
    std::size_t pulses_uncertain = 0;  ///< played, but the width may be out of tolerance
    std::int64_t value_uncertain = 0;
    bool finished = false;  ///< the job is over (all played, cancelled, or a line failed)
    bool cancelled = false;
    std::string error;            ///< a line failure, if any
    hal::TimePoint first_edge{};  ///< when the first pulse of the job started
};

class PulsePlayer {
  public:
    /// `lines` index like AcceptorConfig::coins and must outlive the player.
    /// `gap_between_jobs` is the inactive time kept between the last pulse of one job and
    /// the first of the next, so back-to-back credits never merge into one pulse train; it
    /// is also kept from construction on, as a previous process may have released a line
    /// mid-pulse just before. A pulse whose width may be off the plan by more than
    /// `width_tolerance` is reported uncertain (ambiguous), never as delivered.
    PulsePlayer(hal::Clock& clock, std::vector<hal::OutputLine*> lines, hal::Level active,
                std::chrono::microseconds gap_between_jobs,
                std::chrono::microseconds width_tolerance, PulseObserver* observer = nullptr);
    ~PulsePlayer();  ///< finishes the pulse in progress (never cuts one short), then joins
    PulsePlayer(const PulsePlayer&) = delete;
    PulsePlayer& operator=(const PulsePlayer&) = delete;

    void enqueue(PulseJob job);
    /// While held (machine inhibited), no new pulse starts; a pulse in progress completes.
    void set_hold(bool hold);
    /// Stops the job after its current pulse; the final report says how much was delivered.
    void cancel(const std::string& credit_id);
    bool idle() const;
    /// True while set_hold(true) is in force.
    bool held() const;

    int fd() const { return reports_.fd(); }
    /// The playing thread, for its scheduling policy (realtime.hpp).
    std::thread::native_handle_type native_handle() { return thread_.native_handle(); }
    std::vector<PulseReport> drain() { return reports_.drain(); }

    /// Plays one job synchronously on the calling thread; the thread body, exposed so unit
    /// tests can run it against a fake clock. `stop` is checked between pulses.
    PulseReport play(const PulseJob& job, const std::function<bool()>& stop);

  private:
    void run();

    hal::Clock& clock_;
    std::vector<hal::OutputLine*> lines_;
    hal::Level active_;
    std::chrono::microseconds gap_between_jobs_;
    std::chrono::microseconds width_tolerance_;
    PulseObserver* observer_;
    hal::TimePoint next_start_;  // only touched by the playing thread
    EventQueue<PulseReport> reports_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<PulseJob> jobs_;
    std::string current_;
    std::string cancel_id_;
    bool hold_ = false;
    bool busy_ = false;
    bool quit_ = false;
    std::thread thread_;  // last: starts after every member it uses exists
};

}  // namespace cashbridge::bridge
