// SPDX-License-Identifier: MIT
#include "store/evaluation_repository.h"

#include "store/database.h"
#include "store/statement.h"
#include "store/store_util.h"

#include <QJsonDocument>

namespace mlwb {

Status EvaluationRepository::save(const EvaluationRecord &r)
{
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO evaluation(run_id, dataset_id, split, created_at, report_json) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(run_id, dataset_id, split) DO UPDATE SET "
        "created_at = excluded.created_at, report_json = excluded.report_json"));
    if (!st)
        return st.failure();
    st->bind(1, r.runId).bind(2, r.datasetId).bind(3, r.split).bind(4, nowSeconds());
    st->bind(5, QString::fromUtf8(QJsonDocument(r.report).toJson(QJsonDocument::Compact)));
    return st->run();
}

Result<QList<EvaluationRecord>> EvaluationRepository::forRun(qint64 runId)
{
    auto st = m_db.prepare(QStringLiteral(
        "SELECT id, run_id, dataset_id, split, created_at, report_json FROM evaluation "
        "WHERE run_id = ?1 ORDER BY id"));
    if (!st)
        return st.failure();
    st->bind(1, runId);
    QList<EvaluationRecord> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        EvaluationRecord r;
        r.id = st->columnInt(0);
        r.runId = st->columnInt(1);
        r.datasetId = st->columnInt(2);
        r.split = st->columnText(3);
        r.createdAt = fromSeconds(st->columnDouble(4));
        r.report = QJsonDocument::fromJson(st->columnText(5).toUtf8()).object();
        out << r;
    }
    return out;
}

Result<EvaluationRecord> EvaluationRepository::get(qint64 runId, qint64 datasetId,
                                                   const QString &split)
{
    auto all = forRun(runId);
    if (!all)
        return all.failure();
    for (const auto &r : *all) {
        if (r.datasetId == datasetId && r.split == split)
            return r;
    }
    return fail(QStringLiteral("run %1 has no evaluation on dataset %2, split %3")
                    .arg(runId)
                    .arg(datasetId)
                    .arg(split));
}

Status EvaluationRepository::saveSplit(const SplitRecord &s)
{
    auto st = m_db.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO dataset_split(dataset_id, seed, train, validation, test, "
        "stratified, assignment) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    if (!st)
        return st.failure();
    st->bind(1, s.datasetId).bind(2, qint64(s.seed)).bind(3, s.train).bind(4, s.validation);
    st->bind(5, s.test).bind(6, qint64(s.stratified));
    st->bind(7, QByteArray(reinterpret_cast<const char *>(s.assignment.data()),
                           qsizetype(s.assignment.size())));
    return st->run();
}

Result<SplitRecord> EvaluationRepository::split(qint64 datasetId)
{
    auto st = m_db.prepare(QStringLiteral(
        "SELECT seed, train, validation, test, stratified, assignment FROM dataset_split "
        "WHERE dataset_id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, datasetId);
    auto row = st->step();
    if (!row)
        return row.failure();
    if (!*row)
        return fail(QStringLiteral("dataset %1 has no stored split").arg(datasetId));
    SplitRecord s;
    s.datasetId = datasetId;
    s.seed = quint64(st->columnInt(0));
    s.train = st->columnDouble(1);
    s.validation = st->columnDouble(2);
    s.test = st->columnDouble(3);
    s.stratified = st->columnInt(4) != 0;
    const QByteArray a = st->columnBlob(5);
    s.assignment.assign(a.begin(), a.end());
    return s;
}

} // namespace mlwb
