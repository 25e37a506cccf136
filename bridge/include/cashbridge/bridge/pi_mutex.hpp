/// @file pi_mutex.hpp
/// A mutex with priority inheritance, for state the SCHED_FIFO pulse thread shares with
/// normal threads (the journal): while a normal thread holds it and the pulse thread
/// waits, the holder runs at the pulse thread's priority, so a CPU hog cannot preempt it
/// and stretch a pulse (priority inversion). Same interface as std::mutex.
#pragma once

#include <pthread.h>

namespace cashbridge::bridge {

class PiMutex {
  public:
    PiMutex();
    ~PiMutex();
    PiMutex(const PiMutex&) = delete;
    PiMutex& operator=(const PiMutex&) = delete;

    void lock();
    bool try_lock();
    void unlock();

  private:
    pthread_mutex_t mutex_;
};

}  // namespace cashbridge::bridge
