// WatchedInput: raw edges in, debounced active/inactive changes out.
#include "cashbridge/bridge/watched_input.hpp"

namespace cashbridge::bridge {

WatchedInput::WatchedInput(std::unique_ptr<hal::InputLine> line, hal::Level active,
                           std::chrono::nanoseconds debounce)
    : line_(std::move(line)), active_(active), debouncer_(line_->level(), debounce) {}

void WatchedInput::read_edges() {
    while (auto edge = line_->read_edge()) debouncer_.on_edge(*edge);
}

std::vector<bool> WatchedInput::changes(hal::TimePoint now) {
    std::vector<bool> out;
    while (auto edge = debouncer_.poll(now)) out.push_back(edge->level == active_);
    return out;
}

}  // namespace cashbridge::bridge
