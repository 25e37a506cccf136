// Pulse decoding: width and gap judged against the profile, the way a coin-acceptor input is.
#include "cashbridge/sim/pulse_decoder.hpp"

#include <cstdio>

namespace cashbridge::sim {
namespace {

std::string ms(std::int64_t ns) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(ns) / 1e6);
    return buf;
}

}  // namespace

std::string_view to_string(PulseFault f) {
    switch (f) {
        case PulseFault::too_short:
            return "too_short";
        case PulseFault::too_long:
            return "too_long";
        case PulseFault::gap_too_short:
            return "gap_too_short";
        case PulseFault::overlap:
            return "overlap";
    }
    return "unknown";
}

std::string PulseError::describe(const Profile& p) const {
    std::string s = line + ": " + std::string(to_string(fault)) + ": width " + ms(width_ns);
    const auto [min, max] = p.widths_of(line);
    switch (fault) {
        case PulseFault::too_short:
            s += " < min " + ms(min);
            break;
        case PulseFault::too_long:
            s += " > max " + ms(max);
            break;
        case PulseFault::gap_too_short:
            break;
        case PulseFault::overlap:
            s += ", another coin line was active at the same time";
            break;
    }
    s += ", gap " + (gap_ns ? ms(*gap_ns) : std::string("none (first pulse)"));
    if (fault == PulseFault::gap_too_short) s += " < min " + ms(p.gap_min_ns);
    return s;
}

PulseDecoder::PulseDecoder(Profile profile)
    : profile_(std::move(profile)), states_(profile_.coin_lines.size()) {}

PulseDecoder::LineState* PulseDecoder::find(std::string_view line) {
    for (std::size_t i = 0; i < profile_.coin_lines.size(); ++i)
        if (profile_.coin_lines[i].name == line) return &states_[i];
    return nullptr;
}

const PulseDecoder::LineState* PulseDecoder::find(std::string_view line) const {
    return const_cast<PulseDecoder*>(this)->find(line);
}

bool PulseDecoder::active(std::string_view line) const {
    const auto* s = find(line);
    return s && s->active;
}

void PulseDecoder::reset() {
    states_.assign(profile_.coin_lines.size(), LineState{});
    idle_since_ns_.reset();
}

std::optional<PulseResult> PulseDecoder::on_level(std::string_view line, int level,
                                                  std::int64_t t_ns) {
    LineState* st = find(line);
    if (!st) return std::nullopt;
    const bool now_active = level == active_level(profile_.active);
    if (now_active == st->active) return std::nullopt;

    if (now_active) {
        bool others_active = false;
        for (auto& other : states_)
            if (other.active) {
                other.overlapped = true;
                others_active = true;
            }
        *st = LineState{true, others_active, t_ns, std::nullopt};
        if (!others_active && idle_since_ns_) st->gap_ns = t_ns - *idle_since_ns_;
        return std::nullopt;
    }

    st->active = false;
    bool any_active = false;
    for (const auto& other : states_) any_active = any_active || other.active;
    if (!any_active) idle_since_ns_ = t_ns;

    const std::int64_t width = t_ns - st->start_ns;
    const std::string name(line);
    auto error = [&](PulseFault f) -> PulseResult {
        return PulseError{f, name, st->start_ns, width, st->gap_ns};
    };
    if (st->overlapped) return error(PulseFault::overlap);
    const auto [min, max] = profile_.widths_of(line);
    if (width < min) return error(PulseFault::too_short);
    if (width > max) return error(PulseFault::too_long);
    if (st->gap_ns && *st->gap_ns < profile_.gap_min_ns) return error(PulseFault::gap_too_short);

    std::int64_t value = 0;
    for (const auto& c : profile_.coin_lines)
        if (c.name == line) value = c.value;
    return ValidPulse{name, value, st->start_ns, width, st->gap_ns};
}

}  // namespace cashbridge::sim
