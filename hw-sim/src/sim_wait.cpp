// `wait`: a control request answered later, when the machine or the bus reaches a condition,
// so tests block on the sim instead of polling it.
#include <stdexcept>

#include "cashbridge/sim/simulator.hpp"
#include "cashbridge/sim/text.hpp"

namespace cashbridge::sim {
namespace {

constexpr std::int64_t default_timeout_ms = 10'000;
constexpr std::int64_t max_timeout_ms = 3'600'000;

std::int64_t int_value(const std::string& key, const std::string& text, std::int64_t max) {
    const auto v = parse_int64(text);
    if (!v || *v < 0 || *v > max)
        throw std::invalid_argument(key + " must be an integer in [0, " + std::to_string(max) +
                                    "], got '" + text + "'");
    return *v;
}

}  // namespace

std::optional<std::string> Simulator::cmd_wait(ControlServer::ClientId client, const Command& c) {
    Wait w;
    w.client = client;
    std::int64_t timeout_ms = default_timeout_ms;
    int conditions = 0;
    for (const auto& [k, v] : c.args) {
        if (k == "timeout_ms") {
            timeout_ms = int_value(k, v, max_timeout_ms);
        } else if (k == "counted") {
            w.kind = Wait::Kind::counted;
            w.counted = int_value(k, v, 1'000'000'000'000);
            ++conditions;
        } else if (k == "report") {
            if (v.empty()) throw std::invalid_argument("report= needs a payment id");
            w.kind = Wait::Kind::report;
            w.payment = v;
            ++conditions;
        } else if (k == "type") {
            w.type = v;
        } else {
            throw std::invalid_argument("unknown argument '" + k + "' for wait");
        }
    }
    for (const auto& word : c.words) {
        if (word == "session") {
            w.kind = Wait::Kind::session;
            ++conditions;
        } else if (word == "settled") {
            w.kind = Wait::Kind::settled;
            ++conditions;
        } else if (word == "new") {
            w.new_session = true;
        } else {
            throw std::invalid_argument("unexpected word '" + word + "' for wait");
        }
    }
    if (conditions != 1)
        throw std::invalid_argument(
            "wait needs exactly one of counted=N, report=PAYMENT, session [new], settled");
    if (w.type && w.kind != Wait::Kind::report)
        throw std::invalid_argument("type= only goes with report=");
    if (w.new_session && w.kind != Wait::Kind::session)
        throw std::invalid_argument("'new' only goes with session");
    if (w.kind != Wait::Kind::counted && !payments_)
        throw std::invalid_argument("no broker: start the sim with --broker");
    w.sessions_before = payments_ ? payments_->sessions_seen() : 0;
    w.deadline_ns = monotonic_ns() + timeout_ms * 1'000'000;
    if (satisfied(w)) return json_print(status().get());
    if (!control_) throw std::invalid_argument("wait needs the control socket");
    waits_.push_back(std::move(w));
    return std::nullopt;
}

bool Simulator::satisfied(const Wait& w) const {
    switch (w.kind) {
        case Wait::Kind::counted:
            return machine_.counted() >= w.counted;
        case Wait::Kind::session:
            return w.new_session ? payments_->sessions_seen() > w.sessions_before
                                 : payments_->session_json().has_value();
        case Wait::Kind::settled:
            return payments_->totals().unsettled == 0;
        case Wait::Kind::report:
            for (const auto& r : payments_->reports())
                if (r.payment == w.payment && (!w.type || r.type == *w.type)) return true;
            return false;
    }
    return false;
}

void Simulator::answer_waits() {
    if (!control_ || waits_.empty()) return;
    const auto now = monotonic_ns();
    std::vector<Wait> keep;
    for (auto& w : waits_) {
        if (satisfied(w)) {
            control_->reply(w.client, json_print(status().get()));
        } else if (now >= w.deadline_ns) {
            auto s = status();
            cJSON_ReplaceItemInObject(s.get(), "ok", cJSON_CreateFalse());
            cJSON_AddStringToObject(s.get(), "error", "timeout");
            control_->reply(w.client, json_print(s.get()));
        } else {
            keep.push_back(std::move(w));
        }
    }
    waits_ = std::move(keep);
}

}  // namespace cashbridge::sim
