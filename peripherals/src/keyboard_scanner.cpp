// KeyboardScanner: a grabbed evdev keyboard that is reopened when it returns.
#include "cashbridge/peripherals/keyboard_scanner.hpp"

namespace cashbridge::peripherals {
namespace {
constexpr auto retry_every = std::chrono::seconds(1);
}

KeyboardScanner::KeyboardScanner(std::string path, std::size_t max_length)
    : path_(std::move(path)), decoder_(max_length) {}

bool KeyboardScanner::tick(Clock::time_point now) {
    if (keyboard_ || (next_try_ && now < *next_try_)) return false;
    next_try_ = now + retry_every;
    try {
        keyboard_.emplace(EvdevKeyboard::open(path_));
        name_ = keyboard_->name();
        error_.clear();
        decoder_.reset();
        return true;
    } catch (const EvdevError& e) {
        error_ = e.what();  // missing, not a keyboard, or grabbed by another: next second
        return false;
    }
}

std::vector<TypedLine> KeyboardScanner::read_available() {
    std::vector<TypedLine> lines;
    if (!keyboard_) return lines;
    std::vector<KeyEvent> keys;
    bool lost = false;
    try {
        lost = keyboard_->read_keys(keys);
    } catch (const EvdevError& e) {
        error_ = e.what();
        keyboard_.reset();
    }
    if (lost) decoder_.events_lost();
    for (const auto& k : keys)
        if (auto line = decoder_.key(k.code, k.value)) lines.push_back(std::move(*line));
    if (!keyboard_) decoder_.reset();  // half a code typed before the unplug is no code
    return lines;
}

}  // namespace cashbridge::peripherals
