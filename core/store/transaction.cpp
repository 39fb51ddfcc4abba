// SPDX-License-Identifier: MIT
#include "store/transaction.h"

#include "store/database.h"

#include <utility>

namespace mlwb {

Result<Transaction> Transaction::begin(Database &db)
{
    if (auto s = db.exec(QStringLiteral("BEGIN IMMEDIATE")); !s)
        return s.failure();
    return Transaction(&db);
}

Transaction::~Transaction()
{
    if (m_db)
        (void)m_db->exec(QStringLiteral("ROLLBACK"));
}

Transaction::Transaction(Transaction &&other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}

Status Transaction::commit()
{
    Database *db = std::exchange(m_db, nullptr);
    if (auto s = db->exec(QStringLiteral("COMMIT")); !s) {
        (void)db->exec(QStringLiteral("ROLLBACK"));
        return s;
    }
    return {};
}

} // namespace mlwb
