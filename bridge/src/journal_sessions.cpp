// Journal: open sessions (so a restart can ask about them) and the bounded outbox.
#include "cashbridge/bridge/journal.hpp"
#include "sqlite_handle.hpp"

namespace cashbridge::bridge {

void Journal::session_opened(const JournalSession& s) {
    std::lock_guard lock(mutex_);
    SqliteStmt q(db_->db,
                 "INSERT OR REPLACE INTO sessions(id, amount, expires, qr) VALUES(?, ?, ?, ?)");
    q.bind(1, s.id).bind(2, s.amount).bind(3, s.expires).bind(4, s.qr).run();
    // Sessions are only needed until they are closed and any late payment has had time to
    // arrive; keep the table small on a device that runs for years.
    SqliteStmt prune(
        db_->db,
        "DELETE FROM sessions WHERE closed IS NOT NULL AND expires < unixepoch() - 7 * 86400");
    prune.run();
}

void Journal::session_closed(const std::string& id, const std::string& reason) {
    std::lock_guard lock(mutex_);
    SqliteStmt q(db_->db, "UPDATE sessions SET closed = ? WHERE id = ? AND closed IS NULL");
    q.bind(1, reason).bind(2, id).run();
}

std::vector<JournalSession> Journal::open_sessions() {
    std::lock_guard lock(mutex_);
    SqliteStmt q(db_->db,
                 "SELECT id, amount, expires, qr FROM sessions WHERE closed IS NULL ORDER BY "
                 "opened_at, rowid");
    std::vector<JournalSession> out;
    while (q.step()) out.push_back({q.text(0), q.optional_integer(1), q.integer(2), q.text(3)});
    return out;
}

std::optional<std::string> Journal::session_close_reason(const std::string& id) {
    std::lock_guard lock(mutex_);
    SqliteStmt q(db_->db, "SELECT coalesce(closed, 'open') FROM sessions WHERE id = ?");
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    return q.text(0);
}

std::int64_t Journal::outbox_push(const std::string& topic, const std::string& payload, bool retain,
                                  bool is_event) {
    std::lock_guard lock(mutex_);
    SqliteTransaction t(db_->db);
    const auto id = insert_outbox_row(topic, payload, retain, is_event);
    t.commit();
    return id;
}

std::int64_t Journal::insert_outbox_row(const std::string& topic, const std::string& payload,
                                        bool retain, bool is_event) {
    SqliteStmt count(db_->db, "SELECT count(*) FROM outbox");
    count.step();
    auto excess = count.integer(0) + 1 - outbox_max_;
    if (excess > 0) {
        // Events are for people watching; credit reports are what a refund depends on.
        SqliteStmt drop(db_->db,
                        "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY is_event "
                        "DESC, id LIMIT ?)");
        drop.bind(1, excess).run();
        outbox_dropped_ += excess;
    }
    SqliteStmt ins(db_->db,
                   "INSERT INTO outbox(topic, payload, retain, is_event) VALUES(?, ?, ?, ?)");
    ins.bind(1, topic)
        .bind(2, payload)
        .bind(3, std::int64_t{retain})
        .bind(4, std::int64_t{is_event})
        .run();
    return sqlite3_last_insert_rowid(db_->db.get());
}

std::vector<OutboxRow> Journal::outbox_rows() {
    std::lock_guard lock(mutex_);
    SqliteStmt q(db_->db, "SELECT id, topic, payload, retain FROM outbox ORDER BY id");
    std::vector<OutboxRow> out;
    while (q.step()) out.push_back({q.integer(0), q.text(1), q.text(2), q.integer(3) != 0});
    return out;
}

void Journal::outbox_delete(std::int64_t id) {
    std::lock_guard lock(mutex_);
    SqliteStmt q(db_->db, "DELETE FROM outbox WHERE id = ?");
    q.bind(1, id).run();
}

std::int64_t Journal::outbox_size() {
    std::lock_guard lock(mutex_);
    SqliteStmt q(db_->db, "SELECT count(*) FROM outbox");
    q.step();
    return q.integer(0);
}

}  // namespace cashbridge::bridge
