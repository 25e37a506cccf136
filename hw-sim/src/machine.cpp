// Machine tallies: credit from valid pulses, a bounded log of refused ones.
#include "cashbridge/sim/machine.hpp"

namespace cashbridge::sim {

bool Machine::is_coin_line(const std::string& line) const {
    for (const auto& c : profile().coin_lines)
        if (c.name == line) return true;
    return false;
}

std::optional<PulseResult> Machine::on_coin_level(const std::string& line, int level,
                                                  std::int64_t t_ns) {
    auto result = decoder_.on_level(line, level, t_ns);
    if (!result) return result;
    if (const auto* ok = std::get_if<ValidPulse>(&*result)) {
        counted_ += ok->value;
        ++pulses_;
    } else {
        ++errors_;
        error_log_.push_back(std::get<PulseError>(*result).describe(profile()));
        if (error_log_.size() > max_error_log) error_log_.pop_front();
    }
    return result;
}

void Machine::reset() {
    counted_ = pulses_ = errors_ = 0;
    error_log_.clear();
    // A pulse in progress stays in the decoder: reset only clears what was already counted,
    // it must not make the end of a real pulse look like a stray edge.
}

}  // namespace cashbridge::sim
