// SPDX-License-Identifier: MIT
#pragma once

// RowSnapshot: what deleting one row takes with it, kept so the delete can be undone. Follows
// the file's foreign keys (ON DELETE CASCADE rows are copied, blobs included; ON DELETE SET NULL
// references are remembered) plus the references that have no foreign key on purpose (a
// "run_id" column in metric tables). New tables are covered without changes here.

#include "common/result.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace mlwb {

class Database;

class RowSnapshot {
public:
    // Copies row `id` of `table` and everything that depends on it.
    static Result<RowSnapshot> capture(Database &db, const QString &table, qint64 id);
    // Inserts every copied row again (same ids) and restores the nulled references, in one
    // transaction.
    Status restore(Database &db) const;
    qint64 rowCount() const;

private:
    struct TableRows {
        QString table;
        QStringList columns;
        QList<QVariantList> rows;
        bool orIgnore = false; // referenced by convention only
    };
    struct NulledReference {
        QString table;
        QString column;
        QList<qint64> rowids;
        QVariant value;
    };
    Status captureRows(Database &db, const QString &table, const QString &column,
                       const QVariant &value, int depth, bool orIgnore);

    QList<TableRows> m_tables; // parents before children
    QList<NulledReference> m_references;
};

} // namespace mlwb
