// Journal: receipts due and printed, so a restart neither repeats nor forgets one.
#include "cashbridge/bridge/journal.hpp"
#include "sqlite_handle.hpp"

namespace cashbridge::bridge {
namespace {

ReceiptState receipt_state_from(const std::string& s) {
    if (s == "printing") return ReceiptState::printing;
    if (s == "printed") return ReceiptState::printed;
    if (s == "failed") return ReceiptState::failed;
    if (s == "dropped") return ReceiptState::dropped;
    return ReceiptState::pending;
}

}  // namespace

std::string_view to_string(ReceiptState s) {
    switch (s) {
        case ReceiptState::pending:
            return "pending";
        case ReceiptState::printing:
            return "printing";
        case ReceiptState::printed:
            return "printed";
        case ReceiptState::failed:
            return "failed";
        case ReceiptState::dropped:
            break;
    }
    return "dropped";
}

bool Journal::receipt_due(const JournalReceipt& r) {
    std::lock_guard lock(mutex_);
    SqliteStmt q(db_->db,
                 "INSERT OR IGNORE INTO receipts(key, payment, refund, amount, issued_at, state) "
                 "VALUES(?, ?, ?, ?, ?, 'pending')");
    q.bind(1, r.key).bind(2, r.payment).bind(3, std::int64_t{r.refund});
    q.bind(4, r.amount).bind(5, r.issued_at).run();
    return sqlite3_changes(db_->db.get()) == 1;
}

void Journal::receipt_state(const std::string& key, ReceiptState s) {
    std::lock_guard lock(mutex_);
    SqliteStmt q(db_->db, "UPDATE receipts SET state = ?, updated_at = unixepoch() WHERE key = ?");
    q.bind(1, std::string(to_string(s))).bind(2, key).run();
}

std::optional<ReceiptState> Journal::receipt_state(const std::string& key) {
    std::lock_guard lock(mutex_);
    SqliteStmt q(db_->db, "SELECT state FROM receipts WHERE key = ?");
    q.bind(1, key);
    if (!q.step()) return std::nullopt;
    return receipt_state_from(q.text(0));
}

ReceiptRecovery Journal::recover_receipts() {
    std::lock_guard lock(mutex_);
    SqliteTransaction t(db_->db);
    ReceiptRecovery out;
    {
        // The printer may have printed all, part or none of it: printing it again could
        // give the customer two, so it is counted as failed, as a failed write is.
        SqliteStmt mark(db_->db,
                        "UPDATE receipts SET state = 'failed', updated_at = unixepoch() "
                        "WHERE state = 'printing'");
        mark.run();
        out.interrupted = sqlite3_changes(db_->db.get());
    }
    SqliteStmt q(db_->db,
                 "SELECT key, payment, refund, amount, issued_at FROM receipts "
                 "WHERE state = 'pending' ORDER BY rowid");
    while (q.step())
        out.pending.push_back(
            {q.text(0), q.text(1), q.integer(2) != 0, q.integer(3), q.integer(4)});
    t.commit();
    return out;
}

}  // namespace cashbridge::bridge
