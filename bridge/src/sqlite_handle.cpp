// SqliteDb, SqliteStmt, SqliteTransaction: the journal's only contact with the C API.
#include "sqlite_handle.hpp"

namespace cashbridge::bridge {

SqliteDb::SqliteDb(const std::string& file) : file_(file) {
    const int rc = sqlite3_open_v2(
        file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
        nullptr);
    if (rc != SQLITE_OK) {
        const std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw JournalError("journal " + file + ": cannot open: " + msg);
    }
    sqlite3_busy_timeout(db_, 5000);
}

SqliteDb::~SqliteDb() {
    sqlite3_close_v2(db_);
}

void SqliteDb::fail(const std::string& what) const {
    throw JournalError("journal " + file_ + ": " + what + ": " + sqlite3_errmsg(db_));
}

void SqliteDb::exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        throw JournalError("journal " + file_ + ": " + msg + " (in: " + sql.substr(0, 60) + ")");
    }
}

SqliteStmt::SqliteStmt(const SqliteDb& db, const char* sql) : db_(db), sql_(sql) {
    if (sqlite3_prepare_v2(db.get(), sql, -1, &stmt_, nullptr) != SQLITE_OK)
        db.fail(std::string("cannot prepare '") + sql + "'");
}

SqliteStmt::~SqliteStmt() {
    sqlite3_finalize(stmt_);
}

SqliteStmt& SqliteStmt::bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
}

SqliteStmt& SqliteStmt::bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
}

SqliteStmt& SqliteStmt::bind(int i, const std::optional<std::string>& v) {
    if (v) return bind(i, *v);
    sqlite3_bind_null(stmt_, i);
    return *this;
}

SqliteStmt& SqliteStmt::bind(int i, const std::optional<std::int64_t>& v) {
    if (v) return bind(i, *v);
    sqlite3_bind_null(stmt_, i);
    return *this;
}

bool SqliteStmt::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_.fail(std::string("'") + sql_ + "' failed");
}

void SqliteStmt::run() {
    while (step()) {
    }
}

std::int64_t SqliteStmt::integer(int col) const {
    return sqlite3_column_int64(stmt_, col);
}

std::string SqliteStmt::text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
}

std::optional<std::string> SqliteStmt::optional_text(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return text(col);
}

std::optional<std::int64_t> SqliteStmt::optional_integer(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return integer(col);
}

SqliteTransaction::SqliteTransaction(SqliteDb& db) : db_(db) {
    db_.exec("BEGIN IMMEDIATE");
}

SqliteTransaction::~SqliteTransaction() {
    if (!done_) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqliteTransaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace cashbridge::bridge
