// AsyncDisplay: a latest-wins mailbox in front of a slow display.
#include "cashbridge/display/async_display.hpp"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace cashbridge::display {
namespace {

class AsyncDisplay final : public Display {
  public:
    AsyncDisplay(std::unique_ptr<Display> inner, std::function<void(const std::string&)> on_error)
        : inner_(std::move(inner)), on_error_(std::move(on_error)), worker_([this] { run(); }) {}

    ~AsyncDisplay() override {
        {
            std::lock_guard lock(mutex_);
            quit_ = true;
        }
        wake_.notify_one();
        worker_.join();  // draws a pending final screen first
    }

    void show(const Screen& screen) override {
        {
            std::lock_guard lock(mutex_);
            next_ = screen;
        }
        wake_.notify_one();
    }

  private:
    void run() {
        std::unique_lock lock(mutex_);
        for (;;) {
            wake_.wait(lock, [this] { return quit_ || next_; });
            if (!next_) return;
            Screen screen = std::move(*next_);
            next_.reset();
            lock.unlock();
            try {
                inner_->show(screen);
            } catch (const std::exception& e) {
                on_error_(e.what());
            }
            lock.lock();
        }
    }

    std::unique_ptr<Display> inner_;
    std::function<void(const std::string&)> on_error_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::optional<Screen> next_;
    bool quit_ = false;
    std::thread worker_;  // last: starts once everything it uses exists
};

}  // namespace

std::unique_ptr<Display> make_async_display(std::unique_ptr<Display> inner,
                                            std::function<void(const std::string&)> on_error) {
    return std::make_unique<AsyncDisplay>(std::move(inner), std::move(on_error));
}

}  // namespace cashbridge::display
