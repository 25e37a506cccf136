// PosBusTap: the bridge's reports, turned into POS datagrams, receipts and state details.
#include "cashbridge/peripherals/pos_bus_tap.hpp"

#include <ctime>

#include "cashbridge/peripherals/pos_datagram.hpp"
#include "cashbridge/peripherals/receipt_layout.hpp"

namespace cashbridge::peripherals {
namespace {

/// Payments remembered for their session; far more than can be in flight.
constexpr std::size_t remembered = 256;

std::int64_t now_unix() {
    return static_cast<std::int64_t>(std::time(nullptr));
}

}  // namespace

PosBusTap::PosBusTap(mqtt::MessageBus& inner, const bridge::Config& config, PosSender* pos,
                     ReceiptPrinter* printer, bridge::Journal& journal, bridge::Logger& log)
    : inner_(inner),
      config_(config),
      pos_(pos),
      printer_(printer),
      journal_(journal),
      log_(log),
      topics_(config.machine_id) {
    resume_receipts();
}

std::uint64_t PosBusTap::publish(const std::string& topic, std::string payload, bool retain) {
    if (topic == topics_.state) {
        if (auto d = mqtt::decode_state(payload)) {
            last_state_ = *d;
            payload = enrich(std::move(*d));
        }
        return inner_.publish(topic, std::move(payload), retain);
    }
    const auto id = inner_.publish(topic, payload, retain);
    try {
        if (topic == topics_.up_session) observe_session(payload);
        if (topic == topics_.up_credit) observe_credit(payload);
    } catch (const std::exception& e) {
        log_.error("pos", std::string("peripheral update failed: ") + e.what());
    }
    return id;
}

void PosBusTap::observe_session(const std::string& payload) {
    const auto m = mqtt::decode_session(payload);
    if (!m) return;
    if (const auto* open = std::get_if<mqtt::SessionOpen>(&*m))
        send_pos(encode(
            PosOrder{config_.machine_id, open->session, open->amount, open->currency, now_unix()}));
}

void PosBusTap::observe_credit(const std::string& payload) {
    const auto m = mqtt::decode_credit(payload);
    if (!m) return;
    const auto& currency = config_.payment.currency;
    if (const auto* a = std::get_if<mqtt::PaymentAccepted>(&*m)) {
        remember_session(a->payment, a->session);
    } else if (const auto* d = std::get_if<mqtt::CreditDelivered>(&*m)) {
        send_pos(
            encode(PosResult{config_.machine_id, session_of(d->payment), d->payment,
                             "credit.delivered", d->amount, currency, std::nullopt, now_unix()}));
        print_receipt(d->payment, d->amount, false);
    } else if (const auto* r = std::get_if<mqtt::PaymentRejected>(&*m)) {
        send_pos(encode(PosResult{config_.machine_id, session_of(r->payment), r->payment,
                                  "payment.rejected", 0, currency, r->reason, now_unix()}));
    } else if (const auto* f = std::get_if<mqtt::CreditFailed>(&*m)) {
        send_pos(encode(PosResult{config_.machine_id, session_of(f->payment), f->payment,
                                  "credit.failed", f->amount, currency, f->reason, now_unix()}));
        if (config_.receipt.refunds && f->owed > 0) print_receipt(f->payment, f->owed, true);
    }
}

void PosBusTap::send_pos(const std::string& datagram) {
    if (!pos_) return;
    if (pos_->send(datagram) > 0) log_.warn("pos", "datagram not sent: " + pos_->last_error());
}

void PosBusTap::print_receipt(const std::string& payment, std::int64_t amount, bool refund) {
    if (!printer_) return;
    const bridge::JournalReceipt r{(refund ? "refund:" : "sale:") + payment, payment, refund,
                                   amount, now_unix()};
    // The outbox re-sends reports until the broker confirms them, also after a restart:
    // the journal, not memory, says whether this receipt was already due.
    if (!journal_.receipt_due(r)) {
        log_.info("receipt", r.key + " is already in the journal: not printed again");
        return;
    }
    queue_receipt(r);
}

void PosBusTap::queue_receipt(const bridge::JournalReceipt& r) {
    ReceiptData d;
    d.kind = r.refund ? ReceiptKind::refund : ReceiptKind::sale;
    d.machine = config_.machine_name;
    d.machine_id = config_.machine_id;
    d.unix_time = r.issued_at;
    d.amount = r.amount;
    d.currency = config_.payment.currency;
    d.currency_exponent = config_.payment.currency_exponent;
    d.payment_type = config_.receipt.payment_type;
    d.payment_id = r.payment;
    printer_->print(r.key, encode_receipt(d, config_.receipt));
}

void PosBusTap::resume_receipts() {
    if (!printer_) return;  // without a printer they stay due until one is configured
    const auto found = journal_.recover_receipts();
    if (found.interrupted > 0)
        log_.warn("receipt", std::to_string(found.interrupted) +
                                 " receipt(s) were being printed when the daemon stopped: not "
                                 "printed again (counted as failed)");
    if (!found.pending.empty())
        log_.info("receipt", std::to_string(found.pending.size()) +
                                 " receipt(s) due from before the restart: printing");
    for (const auto& r : found.pending) queue_receipt(r);
}

void PosBusTap::remember_session(const std::string& payment, const std::string& session) {
    if (session_by_payment_.emplace(payment, session).second) payment_order_.push_back(payment);
    if (payment_order_.size() > remembered) {
        session_by_payment_.erase(payment_order_.front());
        payment_order_.pop_front();
    }
}

std::optional<std::string> PosBusTap::session_of(const std::optional<std::string>& payment) const {
    if (!payment) return std::nullopt;
    const auto it = session_by_payment_.find(*payment);
    return it == session_by_payment_.end() ? std::nullopt : std::optional(it->second);
}

std::map<std::string, std::string> PosBusTap::conditions() const {
    std::map<std::string, std::string> c;
    if (printer_) c["printer"] = std::string(to_string(printer_->condition()));
    return c;
}

std::string PosBusTap::enrich(mqtt::StateReport report) {
    if (pos_) {
        report.counters["pos_sent"] = pos_->sent();
        report.counters["pos_send_errors"] = pos_->failed();
    }
    if (printer_) {
        report.counters["receipts_printed"] = printer_->printed();
        report.counters["receipts_failed"] = printer_->failed();
        report.counters["receipts_dropped"] = printer_->dropped();
        report.counters["receipts_queued"] = static_cast<std::int64_t>(printer_->queued());
    }
    reported_ = conditions();
    for (const auto& [name, condition] : reported_) report.peripherals[name] = condition;
    return mqtt::encode(report);
}

void PosBusTap::tick() {
    if (!last_state_ || conditions() == reported_) return;
    inner_.publish(topics_.state, enrich(*last_state_), true);
}

}  // namespace cashbridge::peripherals
