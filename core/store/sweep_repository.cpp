// SPDX-License-Identifier: MIT
#include "store/sweep_repository.h"

#include "store/database.h"
#include "store/run_repository.h"
#include "store/statement.h"
#include "store/store_util.h"

#include <QJsonDocument>

namespace mlwb {

Result<qint64> SweepRepository::create(const SweepRecord &sweep)
{
    if (sweep.strategy != u"grid" && sweep.strategy != u"random")
        return fail(QStringLiteral("sweep strategy: expected grid or random, got \"%1\"")
                        .arg(sweep.strategy));
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO sweep(name, model_id, strategy, spec_json, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5)"));
    if (!st)
        return st.failure();
    st->bind(1, sweep.name);
    if (sweep.modelId > 0)
        st->bind(2, sweep.modelId);
    else
        st->bindNull(2);
    st->bind(3, sweep.strategy)
        .bind(4, QString::fromUtf8(QJsonDocument(sweep.spec).toJson(QJsonDocument::Compact)))
        .bind(5, nowSeconds());
    if (auto s = st->run(); !s)
        return s.failure();
    return m_db.lastInsertId();
}

Result<QList<SweepRecord>> SweepRepository::select(const QString &where, qint64 arg)
{
    auto st = m_db.prepare(QStringLiteral(
        "SELECT s.id, s.name, coalesce(s.model_id, 0), s.strategy, s.spec_json, s.created_at, "
        "coalesce(m.name, ''), (SELECT count(*) FROM run r WHERE r.sweep_id = s.id) "
        "FROM sweep s LEFT JOIN model m ON s.model_id = m.id %1 ORDER BY s.id DESC").arg(where));
    if (!st)
        return st.failure();
    if (arg)
        st->bind(1, arg);
    QList<SweepRecord> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        SweepRecord s;
        s.id = st->columnInt(0);
        s.name = st->columnText(1);
        s.modelId = st->columnInt(2);
        s.strategy = st->columnText(3);
        s.spec = QJsonDocument::fromJson(st->columnText(4).toUtf8()).object();
        s.createdAt = fromSeconds(st->columnDouble(5));
        s.modelName = st->columnText(6);
        s.runCount = st->columnInt(7);
        out << s;
    }
    return out;
}

Result<SweepRecord> SweepRepository::get(qint64 id)
{
    auto rows = select(QStringLiteral("WHERE s.id = ?1"), id);
    if (!rows)
        return rows.failure();
    if (rows->isEmpty())
        return notFound(QStringLiteral("no sweep with id %1").arg(id));
    return rows->first();
}

Result<QList<SweepRecord>> SweepRepository::list(qint64 modelId)
{
    return modelId ? select(QStringLiteral("WHERE s.model_id = ?1"), modelId)
                   : select(QString(), 0);
}

Result<QList<RunRecord>> SweepRepository::runs(qint64 sweepId)
{
    return RunRepository(m_db).listForSweep(sweepId);
}

} // namespace mlwb
