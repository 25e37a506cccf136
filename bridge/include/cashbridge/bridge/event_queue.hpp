/// @file event_queue.hpp
/// A thread-safe queue whose eventfd polls readable while items are pending, so worker
/// threads hand results to the single-threaded event loop without locks in the loop.
#pragma once

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "cashbridge/hal/unique_fd.hpp"

namespace cashbridge::bridge {

template <typename T>
class EventQueue {
  public:
    EventQueue() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
        if (!fd_) hal::throw_errno("eventfd");
    }
    void push(T item) {
        {
            std::lock_guard lock(mutex_);
            items_.push_back(std::move(item));
        }
        const std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(fd_.get(), &one, sizeof one);
    }
    /// Takes everything pending and resets the fd.
    std::vector<T> drain() {
        std::uint64_t count = 0;
        [[maybe_unused]] auto n = ::read(fd_.get(), &count, sizeof count);
        std::lock_guard lock(mutex_);
        std::vector<T> out(std::make_move_iterator(items_.begin()),
                           std::make_move_iterator(items_.end()));
        items_.clear();
        return out;
    }
    int fd() const { return fd_.get(); }

  private:
    hal::UniqueFd fd_;
    std::mutex mutex_;
    std::deque<T> items_;
};

}  // namespace cashbridge::bridge
