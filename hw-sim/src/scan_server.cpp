// PaymentServer: payment.scan charged (completed, held or failed as told), payment.cancel
// recorded; a canceled order is never completed unless a test forces the race.
#include <ctime>
#include <stdexcept>

#include "cashbridge/mqtt/scan_messages.hpp"
#include "cashbridge/sim/payment_server.hpp"
#include "cashbridge/sim/unique_fd.hpp"

namespace cashbridge::sim {

ScanOrder* PaymentServer::find_order(const std::string& order) {
    for (auto& o : orders_)
        if (o.order == order) return &o;
    return nullptr;
}

std::string PaymentServer::handle_payment_request(const std::string& payload) {
    const auto d = mqtt::decode_payment_request(payload);
    if (!d) return "mqtt: bad up/payment message: " + d.error.detail;
    if (const auto* cancel = std::get_if<mqtt::PaymentCancel>(&*d)) {
        auto* o = find_order(cancel->order);
        if (!o) return "scan: cancel of unknown order " + cancel->order;
        o->cancel_reason = cancel->reason;
        // Completed already: a real server refunds now (docs/protocol.md).
        o->state = o->state == "completed" ? "refunded" : "canceled";
        return "scan: order " + o->order + " " + o->state + " (" + cancel->reason + ")";
    }
    const auto& scan = std::get<mqtt::PaymentScan>(*d);
    ScanOrder o;
    o.order = scan.order;
    o.session = scan.session;
    o.amount = scan.amount;
    o.code_type = scan.code_type;
    o.code = scan.code;
    orders_.push_back(o);
    std::string line = "scan: order " + scan.order + " " + scan.code_type + " amount " +
                       std::to_string(scan.amount);
    if (scan_mode_ == ScanMode::fail) {
        orders_.back().state = "failed";
        bus_.publish(topics_.down_payment,
                     mqtt::encode(mqtt::PaymentFailed{scan.order, scan.session, "declined"}),
                     false);
        return line + ": answered payment.failed";
    }
    if (scan_mode_ == ScanMode::hold) return line + ": held";
    const auto r = complete_order(scan.order, false);
    return line + ": completed as " + r.payment;
}

PaymentRecord PaymentServer::complete_order(const std::string& order, bool force) {
    auto* o = find_order(order);
    if (!o) throw std::invalid_argument("unknown order " + order);
    const bool canceled = o->state == "canceled";
    if (canceled && !force)
        throw std::invalid_argument("order " + order + " was canceled: never completed");
    if (o->state != "pending" && !canceled)
        throw std::invalid_argument("order " + order + " is " + o->state);
    PayRequest req;
    req.amount = o->amount;
    req.session = o->session;
    const auto rec = pay(req, static_cast<std::int64_t>(std::time(nullptr)), monotonic_ns());
    o = find_order(order);  // pay() does not touch orders_, but stay safe against reuse
    o->payment = rec.payment;
    o->state = "completed";
    o->completed_after_cancel = canceled;
    return rec;
}

}  // namespace cashbridge::sim
