// SPDX-License-Identifier: MIT
#pragma once

// Transaction: BEGIN IMMEDIATE on construction (waiting for other writers), ROLLBACK unless
// commit() was called. Taking the write lock up front avoids the WAL upgrade deadlock in which
// SQLite returns SQLITE_BUSY without waiting.

#include "common/result.h"

namespace mlwb {

class Database;

class Transaction {
public:
    static Result<Transaction> begin(Database &db);
    ~Transaction();
    Transaction(Transaction &&other) noexcept;
    Transaction &operator=(Transaction &&) = delete;
    Transaction(const Transaction &) = delete;

    Status commit();

private:
    explicit Transaction(Database *db) : m_db(db) {}
    Database *m_db = nullptr;
};

} // namespace mlwb
