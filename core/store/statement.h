// SPDX-License-Identifier: MIT
#pragma once

// Statement: a prepared sqlite3 statement (RAII) with typed bind and column access.

#include "common/result.h"

#include <QByteArray>
#include <QString>

struct sqlite3_stmt;

namespace mlwb {

class Database;

class Statement {
public:
    Statement() = default;
    Statement(Database *db, sqlite3_stmt *stmt) : m_db(db), m_stmt(stmt) {}
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    // Binding is 1-based like sqlite3.
    Statement &bind(int index, qint64 value);
    Statement &bind(int index, int value) { return bind(index, qint64(value)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, const QString &value);
    Statement &bind(int index, const QByteArray &blob);
    // Binds the bytes without copying them (large blobs): they must stay alive and unchanged
    // until the statement has run or been reset.
    Statement &bindView(int index, const QByteArray &blob);
    Statement &bindNull(int index);

    // Returns true while a row is available, false when done; a failure is an error.
    Result<bool> step();
    // Runs to completion (INSERT/UPDATE/DELETE) and resets.
    Status run();
    void reset();

    qint64 columnInt(int col) const;
    double columnDouble(int col) const;
    QString columnText(int col) const;
    QByteArray columnBlob(int col) const;
    bool columnIsNull(int col) const;

    sqlite3_stmt *handle() const { return m_stmt; }

private:
    Database *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

} // namespace mlwb
