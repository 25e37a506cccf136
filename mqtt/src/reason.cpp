// Stable wire strings of reason codes and enums; changing one breaks payment servers.
#include "cashbridge/mqtt/reason.hpp"

#include <array>
#include <utility>

#include "cashbridge/mqtt/messages.hpp"

namespace cashbridge::mqtt {
namespace {

constexpr std::array<std::pair<Reason, std::string_view>, 14> reasons{{
    {Reason::malformed_json, "malformed_json"},
    {Reason::unsupported_version, "unsupported_version"},
    {Reason::unknown_type, "unknown_type"},
    {Reason::oversized, "oversized"},
    {Reason::not_jws, "not_jws"},
    {Reason::bad_alg, "bad_alg"},
    {Reason::bad_signature, "bad_signature"},
    {Reason::bad_claims, "bad_claims"},
    {Reason::expired, "expired"},
    {Reason::wrong_machine, "wrong_machine"},
    {Reason::wrong_currency, "wrong_currency"},
    {Reason::bad_amount, "bad_amount"},
    {Reason::amount_too_large, "amount_too_large"},
    {Reason::amount_not_multiple, "amount_not_multiple"},
}};

constexpr std::array<std::pair<EventLevel, std::string_view>, 4> levels{{
    {EventLevel::debug, "debug"},
    {EventLevel::info, "info"},
    {EventLevel::warning, "warning"},
    {EventLevel::error, "error"},
}};

constexpr std::array<std::pair<MachineState, std::string_view>, 4> states{{
    {MachineState::ready, "ready"},
    {MachineState::paid, "paid"},
    {MachineState::unavailable, "unavailable"},
    {MachineState::fault, "fault"},
}};

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
    for (const auto& [k, v] : table)
        if (k == e) return v;
    return "unknown";
}

template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view s) {
    for (const auto& [k, v] : table)
        if (v == s) return k;
    return std::nullopt;
}

}  // namespace

std::string_view to_string(Reason r) {
    return name_of(reasons, r);
}
std::optional<Reason> reason_from_string(std::string_view s) {
    return value_of(reasons, s);
}
std::string_view to_string(EventLevel l) {
    return name_of(levels, l);
}
std::optional<EventLevel> event_level_from_string(std::string_view s) {
    return value_of(levels, s);
}
std::string_view to_string(MachineState s) {
    return name_of(states, s);
}
std::optional<MachineState> machine_state_from_string(std::string_view s) {
    return value_of(states, s);
}

}  // namespace cashbridge::mqtt
