// The receipt printer thread: open the port, ask the status, print what is queued.
#include "cashbridge/peripherals/receipt_printer.hpp"

#include <optional>
#include <vector>

#include "cashbridge/peripherals/escpos_encoder.hpp"
#include "cashbridge/peripherals/serial_port.hpp"

namespace cashbridge::peripherals {
namespace {

/// How long a receipt may take to leave: a 9600 baud port moves ~1 KB/s and a receipt with
/// its QR is ~300 bytes, so this is ample unless the printer holds the line (flow control).
constexpr std::chrono::seconds write_timeout{10};
/// While receipts wait or the printer is missing, ask again this often.
constexpr std::chrono::seconds retry_interval{1};

}  // namespace

std::string_view to_string(PrinterCondition c) {
    switch (c) {
        case PrinterCondition::unknown:
            return "unknown";
        case PrinterCondition::ready:
            return "ready";
        case PrinterCondition::paper_low:
            return "paper_low";
        case PrinterCondition::offline:
            return "offline";
        case PrinterCondition::out_of_paper:
            return "out_of_paper";
        case PrinterCondition::missing:
            return "missing";
        case PrinterCondition::error:
            return "error";
    }
    return "unknown";
}

ReceiptPrinter::ReceiptPrinter(PortOpener open, const bridge::ReceiptConfig& config,
                               bridge::Logger& log, bridge::Journal* journal)
    : open_(std::move(open)),
      config_(config),
      log_(log),
      journal_(journal),
      thread_(&ReceiptPrinter::run, this) {}

ReceiptPrinter::~ReceiptPrinter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    if (!queue_.empty())
        log_.warn("receipt", std::to_string(queue_.size()) + " receipt(s) not printed at stop" +
                                 (journal_ ? "; printed after the restart" : ""));
}

void ReceiptPrinter::print(std::string key, std::string receipt) {
    std::vector<std::string> dropped;
    {
        std::lock_guard lock(mutex_);
        queue_.push_back({std::move(key), std::move(receipt)});
        while (queue_.size() > static_cast<std::size_t>(config_.queue_max)) {
            dropped.push_back(std::move(queue_.front().key));
            queue_.pop_front();
            ++dropped_;
        }
    }
    wake_.notify_all();
    // Given up for good: a pile of old receipts is no use once the printer returns.
    for (const auto& k : dropped) record(k, bridge::ReceiptState::dropped);
}

void ReceiptPrinter::record(const std::string& key, bridge::ReceiptState s) {
    if (!journal_) return;
    try {
        journal_->receipt_state(key, s);
    } catch (const std::exception& e) {
        // The printer thread must not die of it; the journal's own users stop the daemon.
        log_.error("receipt", std::string("cannot record receipt state: ") + e.what());
    }
}

void ReceiptPrinter::write(const std::string& key, const std::string& receipt) {
    // Recorded before the first byte: after a crash mid-write it is not printed again.
    record(key, bridge::ReceiptState::printing);
    try {
        port_->write(receipt, write_timeout);
    } catch (...) {
        ++failed_;  // half a receipt is out: printing it again could double it
        record(key, bridge::ReceiptState::failed);
        throw;
    }
    ++printed_;
    record(key, bridge::ReceiptState::printed);
    log_.info("receipt", "printed " + key);
}

std::size_t ReceiptPrinter::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

void ReceiptPrinter::set_condition(PrinterCondition c, const std::string& detail) {
    if (condition_.exchange(c) == c) return;
    const auto level =
        c == PrinterCondition::ready ? bridge::LogLevel::info : bridge::LogLevel::warn;
    log_.log(level, "receipt",
             "printer " + std::string(to_string(c)) + (detail.empty() ? "" : ": " + detail));
}

PrinterCondition ReceiptPrinter::query_status() {
    using escpos::StatusKind;
    escpos::PrinterStatus status;
    port_->discard_input();
    for (const auto kind : {StatusKind::printer, StatusKind::paper}) {
        port_->write(escpos::status_query(kind), config_.status_timeout);
        const auto b = port_->read_byte(config_.status_timeout);
        // No answer: powered off, cable out, or a printer that does not answer at all.
        if (!b || !escpos::apply_status(kind, *b, status)) return PrinterCondition::offline;
    }
    // A printer without paper also reports itself offline: the more specific reason first.
    if (status.paper_out) return PrinterCondition::out_of_paper;
    if (status.offline) return PrinterCondition::offline;
    return status.paper_near_end ? PrinterCondition::paper_low : PrinterCondition::ready;
}

void ReceiptPrinter::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        const bool waiting = !queue_.empty();
        lock.unlock();
        try {
            if (!port_) port_ = open_();
            const auto c = query_status();
            set_condition(c, "");
            if (waiting && (c == PrinterCondition::ready || c == PrinterCondition::paper_low)) {
                std::optional<Queued> next;
                {
                    std::lock_guard take(mutex_);
                    if (!queue_.empty()) {
                        next = std::move(queue_.front());
                        queue_.pop_front();
                    }
                }
                if (next) write(next->key, next->bytes);
            }
        } catch (const PortVanished& e) {
            port_.reset();
            set_condition(PrinterCondition::missing, e.what());
        } catch (const std::system_error& e) {
            port_.reset();
            set_condition(PrinterCondition::missing, e.what());
        } catch (const std::exception& e) {
            port_.reset();
            set_condition(PrinterCondition::error, e.what());
        }
        lock.lock();
        if (stopping_) break;
        const bool healthy =
            condition_ == PrinterCondition::ready || condition_ == PrinterCondition::paper_low;
        if (healthy && !queue_.empty()) continue;  // print the next one now
        const auto pause = queue_.empty() && healthy ? config_.status_interval : retry_interval;
        wake_.wait_for(lock, pause,
                       [this, &waiting] { return stopping_ || (!waiting && !queue_.empty()); });
    }
}

}  // namespace cashbridge::peripherals
