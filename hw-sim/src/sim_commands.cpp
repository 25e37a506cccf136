// Control commands of the simulator: status, pay, republish, inhibit, coin_return, wait, reset.
#include <ctime>
#include <set>
#include <stdexcept>

#include "cashbridge/sim/log.hpp"
#include "cashbridge/sim/simulator.hpp"
#include "cashbridge/sim/text.hpp"

namespace cashbridge::sim {
namespace {

/// Rejects arguments a command does not know, so a typo ("ammount=") is an error, not a
/// silently ignored default.
void check_args(const Command& c, std::set<std::string> known, std::size_t max_words) {
    for (const auto& [k, v] : c.args)
        if (!known.count(k))
            throw std::invalid_argument("unknown argument '" + k + "' for " + c.verb);
    if (c.words.size() > max_words)
        throw std::invalid_argument("unexpected word '" + c.words[max_words] + "' for " + c.verb);
}

std::optional<std::int64_t> int_arg(const Command& c, const std::string& key, std::int64_t min,
                                    std::int64_t max) {
    const auto it = c.args.find(key);
    if (it == c.args.end()) return std::nullopt;
    const auto v = parse_int64(it->second);
    if (!v || *v < min || *v > max)
        throw std::invalid_argument(key + " must be an integer in [" + std::to_string(min) + ", " +
                                    std::to_string(max) + "], got '" + it->second + "'");
    return v;
}

std::optional<std::string> str_arg(const Command& c, const std::string& key) {
    const auto it = c.args.find(key);
    if (it == c.args.end()) return std::nullopt;
    if (it->second.empty()) throw std::invalid_argument(key + " must not be empty");
    return it->second;
}

}  // namespace

std::string error_reply(const std::string& text) {
    auto j = json_object();
    cJSON_AddFalseToObject(j.get(), "ok");
    cJSON_AddStringToObject(j.get(), "error", text.c_str());
    return json_print(j.get());
}

Json Simulator::status() const {
    auto j = json_object();
    cJSON* o = j.get();
    cJSON_AddTrueToObject(o, "ok");
    json_int(o, "counted", machine_.counted());
    json_int(o, "pulses", machine_.pulses());
    json_int(o, "errors", machine_.errors());
    auto log = json_array();
    for (const auto& e : machine_.error_log())
        json_append(log.get(), Json(cJSON_CreateString(e.c_str())));
    json_add(o, "error_log", std::move(log));
    const auto& p = machine_.profile();
    const auto inh = p.inhibit_line.empty() ? std::nullopt : lines_.level(p.inhibit_line);
    cJSON_AddBoolToObject(o, "inhibit", inh && *inh == active_level(p.inhibit_active));
    auto lines = json_object();
    for (const auto& l : lines_.status()) {
        auto line = json_object();
        cJSON_AddStringToObject(line.get(), "direction",
                                l.direction == Direction::out ? "out" : "in");
        cJSON_AddBoolToObject(line.get(), "claimed", l.claimed);
        json_int(line.get(), "level", l.level);
        json_add(lines.get(), l.name.c_str(), std::move(line));
    }
    json_add(o, "lines", std::move(lines));
    json_int(o, "cash_in_edges_pending",
             acceptor_ ? static_cast<std::int64_t>(acceptor_->pending()) : 0);
    const std::optional<std::string> none;
    json_add(o, "session", json_or_null(payments_ ? payments_->session_json() : none));
    json_opt_str(o, "availability", payments_ ? payments_->availability() : none);
    json_add(o, "state", json_or_null(payments_ ? payments_->state_json() : none));
    cJSON_AddBoolToObject(o, "mqtt_connected", payments_ && payments_->connected());
    auto reports = json_array();
    auto payments = json_array();
    if (payments_) {
        for (const auto& r : payments_->reports()) {
            auto x = json_object();
            cJSON_AddStringToObject(x.get(), "type", r.type.c_str());
            json_opt_str(x.get(), "payment", r.payment);
            json_opt_str(x.get(), "reason", r.reason);
            json_append(reports.get(), std::move(x));
        }
        for (const auto& r : payments_->payments()) {
            auto x = json_object();
            cJSON* p = x.get();
            cJSON_AddStringToObject(p, "payment", r.payment.c_str());
            cJSON_AddStringToObject(p, "session", r.session.c_str());
            json_int(p, "amount", r.amount);
            cJSON_AddStringToObject(p, "variant", to_string(r.variant).c_str());
            json_int(p, "published_ns", r.published_ns);
            json_opt_int(p, "first_edge_ns", r.first_edge_ns);
            cJSON_AddBoolToObject(p, "resend", r.resend);
            json_int(p, "resends", r.resends);
            json_int(p, "republished", r.republished);
            cJSON_AddBoolToObject(p, "acked", r.acked);
            json_opt_int(p, "paid", r.paid);
            json_int(p, "accepted", r.accepted);
            json_opt_str(p, "rejected", r.rejected);
            json_opt_str(p, "final", r.final_state);
            json_int(p, "delivered_amount", r.delivered_amount);
            json_int(p, "owed", r.owed);
            json_int(p, "ambiguous", r.ambiguous());
            json_int(p, "ambiguous_reports", r.ambiguous_reports);
            json_opt_str(p, "forced", r.forced);
            json_append(payments.get(), std::move(x));
        }
    }
    json_add(o, "printer", printer_ ? printer_->status() : Json(cJSON_CreateNull()));
    json_add(o, "pos", pos_ ? pos_->status() : Json(cJSON_CreateNull()));
    json_add(o, "reports", std::move(reports));
    auto canceled = json_array();
    if (payments_)
        for (const auto& c : payments_->canceled()) {
            auto x = json_object();
            cJSON_AddStringToObject(x.get(), "session", c.session.c_str());
            cJSON_AddStringToObject(x.get(), "reason", c.reason.c_str());
            json_append(canceled.get(), std::move(x));
        }
    json_add(o, "canceled", std::move(canceled));
    json_add(o, "payments", std::move(payments));
    const auto t = payments_ ? payments_->totals() : PaymentTotals{};
    json_int(o, "paid_total", t.paid);
    json_int(o, "delivered_total", t.delivered);
    json_int(o, "ambiguous_total", t.ambiguous);
    json_int(o, "failed_owed_total", t.failed_owed);
    json_int(o, "rejected_total", t.rejected);
    json_int(o, "unsettled", t.unsettled);
    json_int(o, "records_dropped",
             payments_ ? static_cast<std::int64_t>(payments_->records_dropped()) : 0);
    json_int(o, "session_queries",
             payments_ ? static_cast<std::int64_t>(payments_->session_queries()) : 0);
    json_int(o, "session_queries_answered",
             payments_ ? static_cast<std::int64_t>(payments_->session_queries_answered()) : 0);
    return j;
}

std::optional<std::string> Simulator::handle_request(ControlServer::ClientId client,
                                                     const std::string& line) {
    try {
        const Command c = parse_command(line);
        if (c.verb.empty()) return error_reply("empty command");
        if (c.verb == "status") {
            check_args(c, {}, 0);
            return json_print(status().get());
        }
        if (c.verb == "pay") return cmd_pay(c);
        if (c.verb == "republish") return cmd_republish(c);
        if (c.verb == "inhibit") return cmd_inhibit(c);
        if (c.verb == "coin_return") return cmd_coin_return(c);
        if (c.verb == "wait") return cmd_wait(client, c);
        if (c.verb == "insert") return cmd_insert(c);
        if (c.verb == "printer") return cmd_printer(c);
        if (auto reply = serial_command(c)) return *reply;
        if (c.verb == "reset") {
            check_args(c, {}, 0);
            return cmd_reset();
        }
        return error_reply(
            "unknown command '" + c.verb.substr(0, 64) +
            "' (status, pay, republish, inhibit, coin_return, insert, wait, reset, "
            "printer, price, price-bytes, scan, plug, unplug, scan-mode, scan-complete, "
            "orders)");
    } catch (const std::exception& e) {
        return error_reply(e.what());
    }
}

std::string Simulator::cmd_pay(const Command& c) {
    check_args(c, {"amount", "variant", "payment", "session", "iat_age_s", "exp_s", "resend"}, 0);
    if (!payments_) throw std::invalid_argument("no broker: start the sim with --broker");
    PayRequest req;
    req.amount = int_arg(c, "amount", 0, 1'000'000'000);
    if (const auto v = str_arg(c, "variant")) {
        const auto variant = pay_variant_from_string(*v);
        if (!variant) throw std::invalid_argument("unknown variant '" + *v + "'");
        req.variant = *variant;
    }
    req.payment = str_arg(c, "payment");
    req.session = str_arg(c, "session");
    constexpr std::int64_t ten_years_s = 10LL * 366 * 24 * 3600;
    req.iat_age_s = int_arg(c, "iat_age_s", 0, ten_years_s);
    req.exp_s = int_arg(c, "exp_s", 0, ten_years_s);
    if (const auto r = str_arg(c, "resend")) {
        if (*r != "yes" && *r != "no") throw std::invalid_argument("resend must be yes or no");
        req.resend = *r == "yes";
    }
    const auto rec = payments_->pay(req, std::time(nullptr), monotonic_ns());
    log_line("pay " + rec.payment + " amount " + std::to_string(rec.amount) + " variant " +
             to_string(rec.variant) + " session " + rec.session +
             (req.iat_age_s ? " iat_age_s " + std::to_string(*req.iat_age_s) : "") +
             (req.exp_s ? " exp_s " + std::to_string(*req.exp_s) : "") +
             (rec.resend ? "" : " (sent once)"));
    auto j = json_object();
    cJSON_AddTrueToObject(j.get(), "ok");
    cJSON_AddStringToObject(j.get(), "payment", rec.payment.c_str());
    json_int(j.get(), "amount", rec.amount);
    json_int(j.get(), "published_ns", rec.last_sent_ns);
    cJSON_AddBoolToObject(j.get(), "resend", rec.resend);
    return json_print(j.get());
}

std::string Simulator::cmd_republish(const Command& c) {
    check_args(c, {"payment"}, 0);
    if (!payments_) throw std::invalid_argument("no broker: start the sim with --broker");
    const auto id = str_arg(c, "payment");
    if (!id) throw std::invalid_argument("republish needs payment=ID");
    const auto rec = payments_->republish(*id, monotonic_ns());
    log_line("republish " + rec.payment);
    auto j = json_object();
    cJSON_AddTrueToObject(j.get(), "ok");
    cJSON_AddStringToObject(j.get(), "payment", rec.payment.c_str());
    json_int(j.get(), "published_ns", rec.last_sent_ns);
    return json_print(j.get());
}

std::string Simulator::cmd_inhibit(const Command& c) {
    check_args(c, {}, 1);
    const auto& p = machine_.profile();
    if (p.inhibit_line.empty()) throw std::invalid_argument("the profile has no inhibit_line");
    if (c.words.size() != 1 || (c.words[0] != "on" && c.words[0] != "off"))
        throw std::invalid_argument("usage: inhibit on|off");
    const bool on = c.words[0] == "on";
    const int level = on ? active_level(p.inhibit_active) : inactive_level(p.inhibit_active);
    if (auto ev = lines_.drive(p.inhibit_line, level)) on_line_event(*ev);
    log_line(std::string("inhibit ") + (on ? "on" : "off"));
    auto j = json_object();
    cJSON_AddTrueToObject(j.get(), "ok");
    cJSON_AddBoolToObject(j.get(), "inhibit", on);
    return json_print(j.get());
}

std::string Simulator::cmd_coin_return(const Command& c) {
    check_args(c, {}, 1);
    const auto& p = machine_.profile();
    if (p.coin_return_line.empty())
        throw std::invalid_argument("the profile has no coin_return_line");
    if (c.words.size() != 1 || (c.words[0] != "press" && c.words[0] != "release"))
        throw std::invalid_argument("usage: coin_return press|release");
    const bool pressed = c.words[0] == "press";
    const int level =
        pressed ? active_level(p.coin_return_active) : inactive_level(p.coin_return_active);
    if (auto ev = lines_.drive(p.coin_return_line, level)) on_line_event(*ev);
    log_line("coin_return " + c.words[0]);
    auto j = json_object();
    cJSON_AddTrueToObject(j.get(), "ok");
    cJSON_AddBoolToObject(j.get(), "pressed", pressed);
    return json_print(j.get());
}

std::string Simulator::cmd_reset() {
    machine_.reset();
    if (payments_) payments_->reset();
    if (printer_) printer_->reset();
    if (pos_) pos_->reset();
    log_line("reset counters and logs");
    return R"({"ok":true})";
}

}  // namespace cashbridge::sim
