// SPDX-License-Identifier: MIT
#include "store/dataset_repository.h"

#include "store/database.h"
#include "store/statement.h"
#include "store/store_util.h"

namespace mlwb {

Result<qint64> DatasetRepository::add(const DatasetRecord &r, const QByteArray &data)
{
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO dataset(name, created_at, source_path, content_hash, row_count, column_count,"
        " schema_json, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    if (!st)
        return st.failure();
    st->bind(1, r.name)
        .bind(2, toSeconds(r.createdAt.isValid() ? r.createdAt : QDateTime::currentDateTimeUtc()))
        .bind(3, r.sourcePath)
        .bind(4, r.contentHash)
        .bind(5, r.rowCount)
        .bind(6, r.columnCount)
        .bind(7, QString::fromUtf8(r.schemaJson))
        .bindView(8, data); // tens of MB for large data sets; runs below, while data lives
    if (auto s = st->run(); !s) {
        if (s.error().contains(QStringLiteral("UNIQUE")))
            return conflict(QStringLiteral("a dataset named \"%1\" already exists").arg(r.name));
        return s.failure();
    }
    return m_db.lastInsertId();
}

Result<QList<DatasetRecord>> DatasetRepository::select(const QString &where, const QString &arg)
{
    auto st = m_db.prepare(QStringLiteral(
        "SELECT id, name, created_at, source_path, content_hash, row_count, column_count, "
        "schema_json FROM dataset %1 ORDER BY name").arg(where));
    if (!st)
        return st.failure();
    if (!arg.isNull())
        st->bind(1, arg);
    QList<DatasetRecord> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        DatasetRecord r;
        r.id = st->columnInt(0);
        r.name = st->columnText(1);
        r.createdAt = fromSeconds(st->columnDouble(2));
        r.sourcePath = st->columnText(3);
        r.contentHash = st->columnText(4);
        r.rowCount = st->columnInt(5);
        r.columnCount = st->columnInt(6);
        r.schemaJson = st->columnText(7).toUtf8();
        out << r;
    }
    return out;
}

Result<QList<DatasetRecord>> DatasetRepository::list() { return select(QString(), QString()); }

Result<DatasetRecord> DatasetRepository::get(qint64 id)
{
    auto rows = select(QStringLiteral("WHERE id = ?1"), QString::number(id));
    if (!rows)
        return rows.failure();
    if (rows->isEmpty())
        return notFound(QStringLiteral("no dataset with id %1").arg(id));
    return rows->first();
}

Result<DatasetRecord> DatasetRepository::byName(const QString &name)
{
    auto rows = select(QStringLiteral("WHERE name = ?1"), name);
    if (!rows)
        return rows.failure();
    if (rows->isEmpty())
        return notFound(QStringLiteral("no dataset named \"%1\"").arg(name));
    return rows->first();
}

Result<QByteArray> DatasetRepository::data(qint64 id)
{
    auto st = m_db.prepare(QStringLiteral("SELECT data FROM dataset WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, id);
    auto row = st->step();
    if (!row)
        return row.failure();
    if (!*row)
        return notFound(QStringLiteral("no dataset with id %1").arg(id));
    return st->columnBlob(0);
}

Status DatasetRepository::rename(qint64 id, const QString &name)
{
    return execChecked(m_db, QStringLiteral("UPDATE dataset SET name = ?2 WHERE id = ?1"), id, name,
                       QStringLiteral("dataset"));
}

Status DatasetRepository::remove(qint64 id)
{
    return execChecked(m_db, QStringLiteral("DELETE FROM dataset WHERE id = ?1"), id, QString(),
                       QStringLiteral("dataset"));
}

} // namespace mlwb
