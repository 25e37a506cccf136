/// @file journal.hpp
/// The durable credit journal (SQLite, WAL, synchronous=FULL): every accepted payment, every
/// pulse before it starts and after it ends, the open sessions and the outbox of reports
/// the broker has not acknowledged, and the receipts due or printed. What it says after a
/// power cut is what happened.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cashbridge/bridge/pi_mutex.hpp"

struct sqlite3;

namespace cashbridge::bridge {

/// The journal cannot be opened, is corrupt, or a write failed. The daemon stops rather
/// than run without a memory of what it credited.
class JournalError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

enum class CreditStatus { accepted, delivering, delivered, failed };
std::string_view to_string(CreditStatus s);

struct JournalCredit {
    std::string payment;
    std::string session;
    std::int64_t amount = 0;
    std::string currency;
    std::optional<std::string> customer;  ///< the payer's id at the server (never shown)
    std::int64_t token_exp = 0;           ///< unix seconds
    CreditStatus status = CreditStatus::accepted;
    std::int64_t delivered = 0;  ///< value of pulses known to have ended
    std::int64_t ambiguous = 0;  ///< value of pulses started but never known to end
    std::optional<std::string> forced;
    std::int64_t next_pulse = 0;  ///< index the next planned pulse gets
};

struct JournalPulse {
    std::int64_t index = 0;
    std::int64_t line = 0;
    std::int64_t value = 0;
};

struct JournalSession {
    std::string id;
    std::optional<std::int64_t> amount;
    std::int64_t expires = 0;  ///< unix seconds
    std::string qr;
};

struct OutboxRow {
    std::int64_t id = 0;
    std::string topic;
    std::string payload;
    bool retain = false;
};

/// A receipt's life: due (pending), being sent to the printer, and how that ended.
enum class ReceiptState { pending, printing, printed, failed, dropped };
std::string_view to_string(ReceiptState s);

struct JournalReceipt {
    std::string key;  ///< "sale:<payment>" or "refund:<payment>": at most one receipt each
    std::string payment;
    bool refund = false;
    std::int64_t amount = 0;     ///< minor units: credited (sale) or owed (refund)
    std::int64_t issued_at = 0;  ///< unix seconds: the date the receipt shows, even if late
};

/// Receipts found at start-up.
struct ReceiptRecovery {
    std::vector<JournalReceipt> pending;  ///< due and never begun: print them now
    std::int64_t interrupted = 0;         ///< stopped mid-print: now failed, never reprinted
};

class Journal {
  public:
    static constexpr int schema_version = 2;

    /// Opens (creating if absent) and migrates. Throws JournalError naming the file if it
    /// cannot be opened, is not a cashbridge journal, is newer than this daemon, or fails
    /// SQLite's integrity check.
    Journal(const std::filesystem::path& file, std::int64_t outbox_max);
    ~Journal();
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    // Credits. Every call is one durable transaction and is safe from any thread.
    std::optional<JournalCredit> find(const std::string& payment);
    /// Records a new payment as accepted; false if the payment id is already known.
    bool accept(const JournalCredit& credit);
    std::vector<JournalCredit> unfinished();
    /// Before a pulse: after this returns, a crash leaves the pulse "started".
    void pulse_started(const std::string& payment, const JournalPulse& pulse);
    /// After a pulse: adds its value to `delivered`.
    void pulse_ended(const std::string& payment, std::int64_t index);
    /// After a pulse whose width could not be vouched for: adds its value to `ambiguous`.
    void pulse_uncertain(const std::string& payment, std::int64_t index);
    /// pulse_ended() or pulse_uncertain() (`certain` says which) and pulse_started() of
    /// the next pulse as one transaction: the pulse thread's gap then waits for one fsync,
    /// not two, and a crash in between leaves the next pulse started (ambiguous) as before.
    void pulse_ended_next_started(const std::string& payment, std::int64_t index, bool certain,
                                  const JournalPulse& next);
    /// A pulse recorded as started that never started after all: forgets it.
    void pulse_withdrawn(const std::string& payment, std::int64_t index);
    /// Pulses of `payment` started but never ended: the machine may or may not have
    /// counted them. Marks them ambiguous (never pulsed again) and returns them.
    std::vector<JournalPulse> settle_ambiguous(const std::string& payment);
    void finish(const std::string& payment, CreditStatus status, const std::string& note);
    /// finish() and the outbox row of its credit report as one transaction, so a crash
    /// cannot leave a finished credit whose report was never queued. Returns the row.
    std::int64_t finish_and_report(const std::string& payment, CreditStatus status,
                                   const std::string& note, const std::string& topic,
                                   const std::string& payload);
    void set_forced(const std::string& payment, const std::string& reason);

    // Sessions.
    void session_opened(const JournalSession& s);
    void session_closed(const std::string& id, const std::string& reason);
    std::vector<JournalSession> open_sessions();
    /// Why a session was closed ("expired", "rotated", ...); nullopt if never seen.
    std::optional<std::string> session_close_reason(const std::string& id);

    // Receipts (journal_receipts.cpp).
    /// Records a receipt as due; false if its key is already known (printed, due or given
    /// up), so a report re-sent after a restart prints nothing.
    bool receipt_due(const JournalReceipt& r);
    void receipt_state(const std::string& key, ReceiptState s);
    std::optional<ReceiptState> receipt_state(const std::string& key);
    /// Once at start-up: marks receipts left "printing" (half of one may be out) as failed
    /// and returns those still due, oldest first.
    ReceiptRecovery recover_receipts();

    // Outbox. Bounded: past `outbox_max` rows the oldest events go first, then the oldest
    // of anything; the number dropped is counted.
    std::int64_t outbox_push(const std::string& topic, const std::string& payload, bool retain,
                             bool is_event);
    std::vector<OutboxRow> outbox_rows();
    void outbox_delete(std::int64_t id);
    std::int64_t outbox_size();
    std::int64_t outbox_dropped() const { return outbox_dropped_; }

  private:
    void end_pulse(const std::string& payment, std::int64_t index, bool certain);
    // The statements of one pulse's start or end, inside the caller's lock and transaction.
    void record_start(const std::string& payment, const JournalPulse& pulse);
    void record_end(const std::string& payment, std::int64_t index, bool certain);
    void record_finish(const std::string& payment, CreditStatus status, const std::string& note);
    std::int64_t insert_outbox_row(const std::string& topic, const std::string& payload,
                                   bool retain, bool is_event);
    struct Db;
    std::unique_ptr<Db> db_;
    /// Shared by the event loop and the SCHED_FIFO pulse thread: priority inheritance
    /// keeps a preempted event loop from holding the pulse thread up.
    PiMutex mutex_;
    std::int64_t outbox_max_;
    std::int64_t outbox_dropped_ = 0;
};

}  // namespace cashbridge::bridge
