// Minimal RAII over the SQLite C API: a connection and prepared statements, with every
// error turned into a JournalError that names the file and the statement.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

#include "cashbridge/bridge/journal.hpp"

namespace cashbridge::bridge {

class SqliteDb {
  public:
    explicit SqliteDb(const std::string& file);
    ~SqliteDb();
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;

    sqlite3* get() const { return db_; }
    const std::string& file() const { return file_; }
    void exec(const std::string& sql);
    [[noreturn]] void fail(const std::string& what) const;

  private:
    std::string file_;
    sqlite3* db_ = nullptr;
};

class SqliteStmt {
  public:
    SqliteStmt(const SqliteDb& db, const char* sql);
    ~SqliteStmt();
    SqliteStmt(const SqliteStmt&) = delete;
    SqliteStmt& operator=(const SqliteStmt&) = delete;

    SqliteStmt& bind(int i, std::int64_t v);
    SqliteStmt& bind(int i, const std::string& v);
    SqliteStmt& bind(int i, const std::optional<std::string>& v);
    SqliteStmt& bind(int i, const std::optional<std::int64_t>& v);
    /// Steps once: true if a row is available.
    bool step();
    /// Steps to completion (statements without rows).
    void run();
    std::int64_t integer(int col) const;
    std::string text(int col) const;
    std::optional<std::string> optional_text(int col) const;
    std::optional<std::int64_t> optional_integer(int col) const;

  private:
    const SqliteDb& db_;
    sqlite3_stmt* stmt_ = nullptr;
    const char* sql_;
};

/// BEGIN IMMEDIATE ... COMMIT, rolled back if the scope is left by an exception.
class SqliteTransaction {
  public:
    explicit SqliteTransaction(SqliteDb& db);
    ~SqliteTransaction();
    void commit();

  private:
    SqliteDb& db_;
    bool done_ = false;
};

/// The journal's connection (pimpl, so journal.hpp does not include sqlite3.h).
struct Journal::Db {
    explicit Db(const std::string& file) : db(file) {}
    SqliteDb db;
};

}  // namespace cashbridge::bridge
