// SPDX-License-Identifier: MIT
#include "store/row_snapshot.h"

#include "store/database.h"
#include "store/statement.h"
#include "store/transaction.h"

#include <QHash>

namespace mlwb {

namespace {

struct Reference {
    QString child;
    QString from;
    QString parentColumn;
    QString onDelete; // "CASCADE", "SET NULL", ...
    bool byConvention = false;
};

// Columns named "<parent>_id" without a foreign key reference their parent by convention; they
// are kept without one on purpose (metric points, metric blocks: a lookup per logged point) and
// the repositories delete their rows with the parent. Their rows are restored with INSERT OR
// IGNORE, since a repository may also have left them in place.
QString conventionColumn(const QString &parent)
{
    return parent + QStringLiteral("_id");
}

QString quoted(const QString &identifier)
{
    QString q = identifier;
    q.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

Result<QStringList> tableNames(Database &db)
{
    auto st = db.prepare(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite_%' ORDER BY name"));
    if (!st)
        return st.failure();
    QStringList out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            return out;
        out << st->columnText(0);
    }
}

Result<QStringList> columnNames(Database &db, const QString &table)
{
    auto st = db.prepare(QStringLiteral("SELECT name FROM pragma_table_info(?1) ORDER BY cid"));
    if (!st)
        return st.failure();
    st->bind(1, table);
    QStringList out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        out << st->columnText(0);
    }
    if (out.isEmpty())
        return fail(QStringLiteral("%1: no table \u201c%2\u201d").arg(db.path(), table));
    return out;
}

// Every reference to `parent`, by foreign key or by convention.
Result<QList<Reference>> referencesTo(Database &db, const QString &parent)
{
    auto tables = tableNames(db);
    if (!tables)
        return tables.failure();
    QList<Reference> out;
    auto st =
        db.prepare(QStringLiteral("SELECT \"table\", \"from\", coalesce(\"to\", 'id'), on_delete "
                                  "FROM pragma_foreign_key_list(?1)"));
    if (!st)
        return st.failure();
    for (const QString &child : std::as_const(*tables)) {
        st->reset();
        st->bind(1, child);
        for (;;) {
            auto row = st->step();
            if (!row)
                return row.failure();
            if (!*row)
                break;
            if (st->columnText(0) == parent)
                out << Reference{child, st->columnText(1), st->columnText(2),
                                 st->columnText(3).toUpper(), false};
        }
    }
    const QString column = conventionColumn(parent);
    for (const QString &child : std::as_const(*tables)) {
        if (child == parent)
            continue;
        const bool hasForeignKey = std::any_of(out.cbegin(), out.cend(), [&](const Reference &r) {
            return r.child == child && r.from == column;
        });
        if (hasForeignKey)
            continue;
        auto columns = columnNames(db, child);
        if (columns && columns->contains(column))
            out << Reference{child, column, QStringLiteral("id"), QStringLiteral("CASCADE"), true};
    }
    return out;
}

void bindVariant(Statement &st, int index, const QVariant &v)
{
    switch (v.typeId()) {
    case QMetaType::LongLong:
        st.bind(index, v.toLongLong());
        break;
    case QMetaType::Double:
        st.bind(index, v.toDouble());
        break;
    case QMetaType::QString:
        st.bind(index, v.toString());
        break;
    case QMetaType::QByteArray:
        st.bind(index, v.toByteArray());
        break;
    default:
        st.bindNull(index);
        break;
    }
}

} // namespace

Result<RowSnapshot> RowSnapshot::capture(Database &db, const QString &table, qint64 id)
{
    RowSnapshot snapshot;
    if (auto s = snapshot.captureRows(db, table, QStringLiteral("id"), QVariant(id), 0, false); !s)
        return s.failure();
    if (snapshot.m_tables.isEmpty() || snapshot.m_tables.first().rows.isEmpty())
        return fail(QStringLiteral("%1: no %2 with id %3").arg(db.path(), table).arg(id));
    return snapshot;
}

Status RowSnapshot::captureRows(Database &db, const QString &table, const QString &column,
                                const QVariant &value, int depth, bool orIgnore)
{
    if (depth > 16)
        return fail(QStringLiteral("%1: references nest too deep below \u201c%2\u201d")
                        .arg(db.path(), table));
    auto columns = columnNames(db, table);
    if (!columns)
        return columns.failure();
    // typeof() keeps integers, reals, text, blobs and nulls apart, so they go back unchanged.
    QStringList select;
    for (const QString &c : std::as_const(*columns))
        select << QStringLiteral("typeof(%1), %1").arg(quoted(c));
    auto st =
        db.prepare(QStringLiteral("SELECT %1 FROM %2 WHERE %3 = ?1")
                       .arg(select.join(QStringLiteral(", ")), quoted(table), quoted(column)));
    if (!st)
        return st.failure();
    bindVariant(*st, 1, value);
    TableRows rows{table, *columns, {}, orIgnore};
    for (;;) {
        auto more = st->step();
        if (!more)
            return more.failure();
        if (!*more)
            break;
        QVariantList row;
        row.reserve(columns->size());
        for (int c = 0; c < columns->size(); ++c) {
            const QString type = st->columnText(2 * c);
            const int col = 2 * c + 1;
            if (type == QLatin1String("integer"))
                row << QVariant(qint64(st->columnInt(col)));
            else if (type == QLatin1String("real"))
                row << QVariant(st->columnDouble(col));
            else if (type == QLatin1String("text"))
                row << QVariant(st->columnText(col));
            else if (type == QLatin1String("blob"))
                row << QVariant(st->columnBlob(col));
            else
                row << QVariant();
        }
        rows.rows << std::move(row);
    }
    st = Statement();
    if (rows.rows.isEmpty())
        return {};
    const TableRows captured = rows;
    m_tables << std::move(rows);

    auto refs = referencesTo(db, table);
    if (!refs)
        return refs.failure();
    for (const Reference &ref : std::as_const(*refs)) {
        const int parentCol = captured.columns.indexOf(ref.parentColumn);
        if (parentCol < 0)
            continue;
        for (const QVariantList &row : captured.rows) {
            const QVariant key = row.at(parentCol);
            if (ref.onDelete == QLatin1String("CASCADE")) {
                if (auto s = captureRows(db, ref.child, ref.from, key, depth + 1, ref.byConvention);
                    !s)
                    return s;
            } else if (ref.onDelete == QLatin1String("SET NULL")) {
                auto q = db.prepare(QStringLiteral("SELECT rowid FROM %1 WHERE %2 = ?1")
                                        .arg(quoted(ref.child), quoted(ref.from)));
                if (!q)
                    return q.failure();
                bindVariant(*q, 1, key);
                NulledReference nulled{ref.child, ref.from, {}, key};
                for (;;) {
                    auto more = q->step();
                    if (!more)
                        return more.failure();
                    if (!*more)
                        break;
                    nulled.rowids << q->columnInt(0);
                }
                if (!nulled.rowids.isEmpty())
                    m_references << std::move(nulled);
            }
        }
    }
    return {};
}

Status RowSnapshot::restore(Database &db) const
{
    auto tx = Transaction::begin(db);
    if (!tx)
        return tx.failure();
    for (const TableRows &t : m_tables) {
        QStringList cols, params;
        for (int i = 0; i < t.columns.size(); ++i) {
            cols << quoted(t.columns.at(i));
            params << QStringLiteral("?%1").arg(i + 1);
        }
        auto st = db.prepare(QStringLiteral("INSERT %1INTO %2(%3) VALUES (%4)")
                                 .arg(t.orIgnore ? QStringLiteral("OR IGNORE ") : QString(),
                                      quoted(t.table), cols.join(u','), params.join(u',')));
        if (!st)
            return st.failure();
        for (const QVariantList &row : t.rows) {
            for (int i = 0; i < row.size(); ++i)
                bindVariant(*st, i + 1, row.at(i));
            if (auto s = st->run(); !s)
                return fail(QStringLiteral("cannot restore a row of \u201c%1\u201d: %2")
                                .arg(t.table, s.error()));
        }
    }
    for (const NulledReference &ref : m_references) {
        auto st = db.prepare(QStringLiteral("UPDATE %1 SET %2 = ?1 WHERE rowid = ?2 AND %2 IS NULL")
                                 .arg(quoted(ref.table), quoted(ref.column)));
        if (!st)
            return st.failure();
        for (qint64 rowid : ref.rowids) {
            bindVariant(*st, 1, ref.value);
            st->bind(2, rowid);
            if (auto s = st->run(); !s)
                return s;
        }
    }
    return tx->commit();
}

qint64 RowSnapshot::rowCount() const
{
    qint64 n = 0;
    for (const TableRows &t : m_tables)
        n += t.rows.size();
    return n;
}

} // namespace mlwb
