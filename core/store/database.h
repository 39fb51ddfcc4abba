// SPDX-License-Identifier: MIT
#pragma once

// Database: one sqlite3 connection (RAII). A connection belongs to one thread; a job that writes
// opens its own. Busy waits are handled here so "database is locked" never reaches a user.

#include "common/result.h"

#include <QString>

struct sqlite3;

namespace mlwb {

class Statement;

class Database {
public:
    // Immutable: read-only without locks and without creating -wal or -shm files; only for a
    // file nobody has open (a WAL-mode file with no -wal beside it), since it would not see
    // another connection's writes and a checkpoint could tear what it reads.
    enum class Mode { ReadOnly, ReadWrite, Create, Immutable };

    Database() = default;
    ~Database();
    Database(Database &&other) noexcept;
    Database &operator=(Database &&other) noexcept;
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // Opens without touching the file's content (no pragmas that write).
    static Result<Database> open(const QString &path, Mode mode);

    bool isOpen() const { return m_db != nullptr; }
    bool isReadOnly() const;
    const QString &path() const { return m_path; }
    sqlite3 *handle() const { return m_db; }

    Status exec(const QString &sql);
    Result<Statement> prepare(const QString &sql);
    // Single-value queries (PRAGMA application_id, SELECT count(*) ...).
    Result<qint64> queryInt(const QString &sql);
    Result<QString> queryText(const QString &sql);

    qint64 lastInsertId() const;
    int changes() const;
    QString lastError() const;
    // "<path>: <sqlite message>"
    Error error(const QString &what) const;

    void setBusyTimeout(int ms);
    void close();

private:
    sqlite3 *m_db = nullptr;
    QString m_path;
};

} // namespace mlwb
