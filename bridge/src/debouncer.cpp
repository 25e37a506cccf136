// Debouncer: a level change counts once the raw level has held it for the window.
#include "cashbridge/bridge/debouncer.hpp"

namespace cashbridge::bridge {

Debouncer::Debouncer(hal::Level initial, std::chrono::nanoseconds window)
    : stable_(initial), window_(window) {}

void Debouncer::on_edge(const hal::Edge& edge) {
    if (edge.level == stable_) {
        // Bounced back before the window ran out: nothing happened, as far as the
        // machine's logic is concerned.
        pending_.reset();
        return;
    }
    // Every edge away from the stable level restarts the window, a repeat of the pending
    // level too: it means the kernel dropped the bounce in between.
    pending_ = edge;
}

std::optional<hal::Edge> Debouncer::poll(hal::TimePoint now) {
    if (!pending_ || now < pending_->at + window_) return std::nullopt;
    const auto edge = *pending_;
    pending_.reset();
    stable_ = edge.level;
    return edge;
}

std::optional<hal::TimePoint> Debouncer::deadline() const {
    if (!pending_) return std::nullopt;
    return pending_->at + window_;
}

}  // namespace cashbridge::bridge
