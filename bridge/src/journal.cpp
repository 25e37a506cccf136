// Journal: the schema, its migrations, and the credit and session records.
#include "cashbridge/bridge/journal.hpp"

#include <array>

#include "sqlite_handle.hpp"

namespace cashbridge::bridge {

namespace {

// Migration N takes the schema from version N to N+1. Append, never edit: journals in the
// field were written by the old steps.
constexpr std::array<const char*, 2> migrations = {
    R"(CREATE TABLE credits(
           payment TEXT PRIMARY KEY, session TEXT NOT NULL, amount INTEGER NOT NULL,
           currency TEXT NOT NULL, customer TEXT, token_exp INTEGER NOT NULL,
           status TEXT NOT NULL CHECK(status IN ('accepted','delivering','delivered','failed')),
           delivered INTEGER NOT NULL DEFAULT 0, ambiguous INTEGER NOT NULL DEFAULT 0,
           forced TEXT, note TEXT, next_pulse INTEGER NOT NULL DEFAULT 0,
           accepted_at INTEGER NOT NULL DEFAULT (unixepoch()), updated_at INTEGER);
       CREATE TABLE pulses(
           payment TEXT NOT NULL REFERENCES credits(payment), idx INTEGER NOT NULL,
           line INTEGER NOT NULL, value INTEGER NOT NULL,
           state TEXT NOT NULL CHECK(state IN ('started','ended','ambiguous')),
           PRIMARY KEY(payment, idx));
       CREATE TABLE sessions(
           id TEXT PRIMARY KEY, amount INTEGER, expires INTEGER NOT NULL, qr TEXT NOT NULL,
           opened_at INTEGER NOT NULL DEFAULT (unixepoch()), closed TEXT);
       CREATE TABLE outbox(
           id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, payload BLOB NOT NULL,
           retain INTEGER NOT NULL, is_event INTEGER NOT NULL);)",
    // 1 -> 2: receipts, so that a restart neither prints one twice nor forgets one.
    R"(CREATE TABLE receipts(
           key TEXT PRIMARY KEY, payment TEXT NOT NULL, refund INTEGER NOT NULL,
           amount INTEGER NOT NULL, issued_at INTEGER NOT NULL,
           state TEXT NOT NULL
               CHECK(state IN ('pending','printing','printed','failed','dropped')),
           updated_at INTEGER NOT NULL DEFAULT (unixepoch()));)",
};

int user_version(SqliteDb& db) {
    SqliteStmt q(db, "PRAGMA user_version");
    q.step();
    return static_cast<int>(q.integer(0));
}

bool has_tables(SqliteDb& db) {
    SqliteStmt q(db, "SELECT count(*) FROM sqlite_master");
    q.step();
    return q.integer(0) > 0;
}

CreditStatus status_from(const std::string& s) {
    if (s == "delivering") return CreditStatus::delivering;
    if (s == "delivered") return CreditStatus::delivered;
    if (s == "failed") return CreditStatus::failed;
    return CreditStatus::accepted;
}

constexpr const char* credit_columns =
    "SELECT payment, session, amount, currency, customer, token_exp, status, delivered, "
    "ambiguous, forced, next_pulse FROM credits ";

JournalCredit read_credit(const SqliteStmt& q) {
    JournalCredit c;
    c.payment = q.text(0);
    c.session = q.text(1);
    c.amount = q.integer(2);
    c.currency = q.text(3);
    c.customer = q.optional_text(4);
    c.token_exp = q.integer(5);
    c.status = status_from(q.text(6));
    c.delivered = q.integer(7);
    c.ambiguous = q.integer(8);
    c.forced = q.optional_text(9);
    c.next_pulse = q.integer(10);
    return c;
}

}  // namespace

std::string_view to_string(CreditStatus s) {
    switch (s) {
        case CreditStatus::accepted:
            return "accepted";
        case CreditStatus::delivering:
            return "delivering";
        case CreditStatus::delivered:
            return "delivered";
        case CreditStatus::failed:
            break;
    }
    return "failed";
}

Journal::Journal(const std::filesystem::path& file, std::int64_t outbox_max)
    : db_(std::make_unique<Db>(file.string())), outbox_max_(outbox_max) {
    auto& db = db_->db;
    // A damaged file must stop the daemon: starting with an empty journal would forget
    // which payments were already credited.
    {
        SqliteStmt check(db, "PRAGMA quick_check");
        if (!check.step() || check.text(0) != "ok")
            throw JournalError("journal " + file.string() + " is damaged (" + check.text(0) +
                               "); keep it for inspection and restore a backup, or move it "
                               "aside to start a new one");
    }
    const int version = user_version(db);
    if (version == 0 && has_tables(db))
        throw JournalError("journal " + file.string() +
                           " is an SQLite file but not a cashbridge journal");
    if (version > schema_version)
        throw JournalError("journal " + file.string() + " has schema version " +
                           std::to_string(version) + ", newer than this cashbridged understands (" +
                           std::to_string(schema_version) + ")");
    {
        SqliteStmt wal(db, "PRAGMA journal_mode=WAL");
        if (!wal.step() || wal.text(0) != "wal")
            throw JournalError("journal " + file.string() + ": cannot switch to WAL mode");
    }
    // FULL: every commit is fsynced, so an acknowledged payment survives a power cut.
    db.exec("PRAGMA synchronous=FULL");
    for (int v = version; v < schema_version; ++v) {
        SqliteTransaction t(db);
        db.exec(migrations[static_cast<std::size_t>(v)]);
        db.exec("PRAGMA user_version=" + std::to_string(v + 1));
        t.commit();
    }
}

Journal::~Journal() = default;

std::optional<JournalCredit> Journal::find(const std::string& payment) {
    std::lock_guard lock(mutex_);
    SqliteStmt q(db_->db, (std::string(credit_columns) + "WHERE payment = ?").c_str());
    q.bind(1, payment);
    if (!q.step()) return std::nullopt;
    return read_credit(q);
}

bool Journal::accept(const JournalCredit& c) {
    std::lock_guard lock(mutex_);
    SqliteStmt q(
        db_->db,
        "INSERT OR IGNORE INTO credits(payment, session, amount, currency, customer, token_exp, "
        "status, forced) VALUES(?, ?, ?, ?, ?, ?, 'accepted', ?)");
    q.bind(1, c.payment).bind(2, c.session).bind(3, c.amount).bind(4, c.currency);
    q.bind(5, c.customer).bind(6, c.token_exp).bind(7, c.forced);
    q.run();
    return sqlite3_changes(db_->db.get()) == 1;
}

std::vector<JournalCredit> Journal::unfinished() {
    std::lock_guard lock(mutex_);
    SqliteStmt q(db_->db, (std::string(credit_columns) +
                           "WHERE status IN ('accepted','delivering') ORDER BY accepted_at, rowid")
                              .c_str());
    std::vector<JournalCredit> out;
    while (q.step()) out.push_back(read_credit(q));
    return out;
}

void Journal::pulse_started(const std::string& payment, const JournalPulse& p) {
    std::lock_guard lock(mutex_);
    SqliteTransaction t(db_->db);
    record_start(payment, p);
    t.commit();
}

void Journal::pulse_ended_next_started(const std::string& payment, std::int64_t index, bool certain,
                                       const JournalPulse& next) {
    std::lock_guard lock(mutex_);
    SqliteTransaction t(db_->db);
    record_end(payment, index, certain);
    record_start(payment, next);
    t.commit();
}

void Journal::record_start(const std::string& payment, const JournalPulse& p) {
    SqliteStmt ins(
        db_->db,
        "INSERT INTO pulses(payment, idx, line, value, state) VALUES(?, ?, ?, ?, 'started')");
    ins.bind(1, payment).bind(2, p.index).bind(3, p.line).bind(4, p.value).run();
    SqliteStmt upd(db_->db,
                   "UPDATE credits SET status = 'delivering', next_pulse = max(next_pulse, ? + 1), "
                   "updated_at = unixepoch() WHERE payment = ?");
    upd.bind(1, p.index).bind(2, payment).run();
}

void Journal::pulse_ended(const std::string& payment, std::int64_t index) {
    end_pulse(payment, index, true);
}

void Journal::pulse_uncertain(const std::string& payment, std::int64_t index) {
    end_pulse(payment, index, false);
}

void Journal::pulse_withdrawn(const std::string& payment, std::int64_t index) {
    std::lock_guard lock(mutex_);
    SqliteStmt del(db_->db,
                   "DELETE FROM pulses WHERE payment = ? AND idx = ? AND state = 'started'");
    del.bind(1, payment).bind(2, index).run();
}

void Journal::end_pulse(const std::string& payment, std::int64_t index, bool certain) {
    std::lock_guard lock(mutex_);
    SqliteTransaction t(db_->db);
    record_end(payment, index, certain);
    t.commit();
}

void Journal::record_end(const std::string& payment, std::int64_t index, bool certain) {
    SqliteStmt upd(db_->db, certain ? "UPDATE pulses SET state = 'ended' WHERE payment = ? AND "
                                      "idx = ? AND state = 'started'"
                                    : "UPDATE pulses SET state = 'ambiguous' WHERE payment = ? "
                                      "AND idx = ? AND state = 'started'");
    upd.bind(1, payment).bind(2, index).run();
    if (sqlite3_changes(db_->db.get()) == 1) {
        SqliteStmt add(db_->db,
                       certain ? "UPDATE credits SET delivered = delivered + (SELECT value FROM "
                                 "pulses WHERE payment = ?1 AND idx = ?2), updated_at = "
                                 "unixepoch() WHERE payment = ?1"
                               : "UPDATE credits SET ambiguous = ambiguous + (SELECT value FROM "
                                 "pulses WHERE payment = ?1 AND idx = ?2), updated_at = "
                                 "unixepoch() WHERE payment = ?1");
        add.bind(1, payment).bind(2, index).run();
    }
}

std::vector<JournalPulse> Journal::settle_ambiguous(const std::string& payment) {
    std::lock_guard lock(mutex_);
    SqliteTransaction t(db_->db);
    std::vector<JournalPulse> out;
    {
        SqliteStmt q(db_->db,
                     "SELECT idx, line, value FROM pulses WHERE payment = ? AND state = 'started' "
                     "ORDER BY idx");
        q.bind(1, payment);
        while (q.step()) out.push_back({q.integer(0), q.integer(1), q.integer(2)});
    }
    std::int64_t value = 0;
    for (const auto& p : out) value += p.value;
    SqliteStmt mark(
        db_->db, "UPDATE pulses SET state = 'ambiguous' WHERE payment = ? AND state = 'started'");
    mark.bind(1, payment).run();
    SqliteStmt add(db_->db, "UPDATE credits SET ambiguous = ambiguous + ? WHERE payment = ?");
    add.bind(1, value).bind(2, payment).run();
    t.commit();
    return out;
}

void Journal::finish(const std::string& payment, CreditStatus status, const std::string& note) {
    std::lock_guard lock(mutex_);
    record_finish(payment, status, note);
}

std::int64_t Journal::finish_and_report(const std::string& payment, CreditStatus status,
                                        const std::string& note, const std::string& topic,
                                        const std::string& payload) {
    std::lock_guard lock(mutex_);
    SqliteTransaction t(db_->db);
    record_finish(payment, status, note);
    const auto row = insert_outbox_row(topic, payload, false, false);
    t.commit();
    return row;
}

void Journal::record_finish(const std::string& payment, CreditStatus status,
                            const std::string& note) {
    SqliteStmt q(
        db_->db,
        "UPDATE credits SET status = ?, note = ?, updated_at = unixepoch() WHERE payment = ?");
    q.bind(1, std::string(to_string(status))).bind(2, note).bind(3, payment).run();
}

void Journal::set_forced(const std::string& payment, const std::string& reason) {
    std::lock_guard lock(mutex_);
    SqliteStmt q(db_->db, "UPDATE credits SET forced = coalesce(forced, ?) WHERE payment = ?");
    q.bind(1, reason).bind(2, payment).run();
}

}  // namespace cashbridge::bridge
