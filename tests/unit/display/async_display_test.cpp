// AsyncDisplay: show() never waits for a slow screen, the newest screen wins, and errors
// reach the handler instead of the caller.
#include "cashbridge/display/async_display.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace cashbridge::display {
namespace {

using namespace std::chrono_literals;

struct SlowDisplay : Display {
    std::mutex* mutex;
    std::vector<Screen>* drawn;
    bool fail = false;
    void show(const Screen& s) override {
        std::this_thread::sleep_for(50ms);
        if (fail) throw std::runtime_error("/dev/fb9: gone");
        std::lock_guard lock(*mutex);
        drawn->push_back(s);
    }
};

Screen with_reason(std::string r) {
    Screen s;
    s.state = ScreenState::unavailable;
    s.reason = std::move(r);
    return s;
}

TEST(AsyncDisplay, ShowReturnsAtOnceAndTheNewestScreenWins) {
    std::mutex mutex;
    std::vector<Screen> drawn;
    auto inner = std::make_unique<SlowDisplay>();
    inner->mutex = &mutex;
    inner->drawn = &drawn;
    {
        auto d = make_async_display(std::move(inner), [](const std::string&) {});
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < 10; ++i) d->show(with_reason("r" + std::to_string(i)));
        EXPECT_LT(std::chrono::steady_clock::now() - t0, 40ms);
    }  // destruction draws what is pending
    ASSERT_FALSE(drawn.empty());
    EXPECT_LT(drawn.size(), 10u);  // superseded screens were skipped
    EXPECT_EQ(drawn.back().reason, "r9");
}

TEST(AsyncDisplay, ErrorsGoToTheHandler) {
    std::mutex mutex;
    std::vector<Screen> drawn;
    auto inner = std::make_unique<SlowDisplay>();
    inner->mutex = &mutex;
    inner->drawn = &drawn;
    inner->fail = true;
    std::atomic<int> errors{0};
    std::string message;
    {
        auto d = make_async_display(std::move(inner), [&](const std::string& m) {
            message = m;
            ++errors;
        });
        EXPECT_NO_THROW(d->show(with_reason("x")));
    }
    EXPECT_EQ(errors, 1);
    EXPECT_EQ(message, "/dev/fb9: gone");
}

}  // namespace
}  // namespace cashbridge::display
