/// @file receipt_printer.hpp
/// Prints receipts on its own thread: a bounded queue in front of an ESC/POS printer that
/// is asked for its status (DLE EOT) before every receipt and while idle. The event loop
/// only enqueues and reads the condition, so a slow, offline or paperless printer never
/// delays crediting. With a journal, each receipt's fate is recorded there (printing,
/// printed, failed, dropped), so that a restart neither repeats nor forgets one.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "cashbridge/bridge/journal.hpp"
#include "cashbridge/bridge/logger.hpp"
#include "cashbridge/bridge/pos_receipt_config.hpp"
#include "cashbridge/peripherals/receipt_port.hpp"

namespace cashbridge::peripherals {

/// What the state report says about the printer.
enum class PrinterCondition { unknown, ready, paper_low, offline, out_of_paper, missing, error };
std::string_view to_string(PrinterCondition c);

class ReceiptPrinter {
  public:
    /// Opens a port; throws when the device is not there (tried again later).
    using PortOpener = std::function<std::unique_ptr<ReceiptPort>()>;

    /// `journal` may be null (nothing recorded); it must outlive the printer.
    ReceiptPrinter(PortOpener open, const bridge::ReceiptConfig& config, bridge::Logger& log,
                   bridge::Journal* journal = nullptr);
    /// Stops the thread; receipts still queued stay due in the journal (printed after a
    /// restart) and are logged.
    ~ReceiptPrinter();
    ReceiptPrinter(const ReceiptPrinter&) = delete;
    ReceiptPrinter& operator=(const ReceiptPrinter&) = delete;

    /// Queues one receipt (ESC/POS bytes) under its journal key and returns at once. While
    /// the printer is not ready receipts wait; beyond queue_max the oldest is dropped and
    /// counted.
    void print(std::string key, std::string receipt);

    PrinterCondition condition() const { return condition_.load(); }
    std::int64_t printed() const { return printed_.load(); }
    std::int64_t failed() const { return failed_.load(); }
    std::int64_t dropped() const { return dropped_.load(); }
    std::size_t queued() const;

  private:
    void run();
    PrinterCondition query_status();
    void set_condition(PrinterCondition c, const std::string& detail);
    void record(const std::string& key, bridge::ReceiptState s);
    void write(const std::string& key, const std::string& receipt);

    struct Queued {
        std::string key;
        std::string bytes;
    };

    PortOpener open_;
    bridge::ReceiptConfig config_;
    bridge::Logger& log_;
    bridge::Journal* journal_;
    std::unique_ptr<ReceiptPort> port_;  // the printer thread's only

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Queued> queue_;
    bool stopping_ = false;

    std::atomic<PrinterCondition> condition_{PrinterCondition::unknown};
    std::atomic<std::int64_t> printed_{0};
    std::atomic<std::int64_t> failed_{0};
    std::atomic<std::int64_t> dropped_{0};
    std::thread thread_;  // last: starts once everything above exists
};

}  // namespace cashbridge::peripherals
