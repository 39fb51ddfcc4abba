// SPDX-License-Identifier: MIT
#include "store/run_repository.h"

#include "common/json_number.h"
#include "store/database.h"
#include "store/statement.h"
#include "store/store_util.h"
#include "store/transaction.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace mlwb {

namespace {

QString toJsonText(const QJsonObject &o)
{
    // A diverged run's NaN loss stays NaN (QJsonDocument would write null, read back as 0).
    return QString::fromUtf8(QJsonDocument(JsonNumber::encode(o)).toJson(QJsonDocument::Compact));
}

QJsonObject fromJsonText(const QString &s)
{
    return QJsonDocument::fromJson(s.toUtf8()).object();
}

} // namespace

Result<qint64> RunRepository::create(const RunRecord &r)
{
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO run(model_version_id, dataset_id, name, status, hyperparams_json, created_at,"
        " message, summary_json, sweep_id, experiment_id, origin, user_id, started_at, heartbeat_at)"
        " VALUES (?1, ?2, coalesce(?3, ''), ?4, ?5, ?6, coalesce(?7, ''), ?8, ?9, ?10, ?11, coalesce(?12, ''), ?13, ?14)"));
    if (!st)
        return st.failure();
    if (r.modelVersionId > 0)
        st->bind(1, r.modelVersionId);
    else
        st->bindNull(1);
    if (r.datasetId > 0)
        st->bind(2, r.datasetId);
    else
        st->bindNull(2);
    const double now = nowSeconds();
    st->bind(3, r.name)
        .bind(4, runStatusName(r.status))
        .bind(5, toJsonText(r.hyperparams))
        .bind(6, r.createdAt.isValid() ? double(r.createdAt.toMSecsSinceEpoch()) / 1000.0 : now)
        .bind(7, r.message)
        .bind(8, toJsonText(r.summary));
    if (r.sweepId > 0)
        st->bind(9, r.sweepId);
    else
        st->bindNull(9);
    if (r.experimentId)
        st->bind(10, *r.experimentId);
    else
        st->bindNull(10);
    st->bind(11, r.tracked ? QStringLiteral("tracking") : QStringLiteral("workbench")).bind(12, r.user);
    if (r.startedAt.isValid())
        st->bind(13, double(r.startedAt.toMSecsSinceEpoch()) / 1000.0);
    else
        st->bindNull(13);
    if (r.tracked)
        st->bind(14, now);
    else
        st->bindNull(14);
    if (auto s = st->run(); !s)
        return s.failure();
    return m_db.lastInsertId();
}

Result<QList<RunRecord>> RunRepository::select(const QString &where, qint64 arg,
                                               const QString &order)
{
    // Left joins: a tracked run has no model version until a model is imported from it.
    auto st = m_db.prepare(QStringLiteral(
        "SELECT r.id, coalesce(r.model_version_id, 0), coalesce(r.dataset_id, 0), r.name, r.status, "
        "r.hyperparams_json, r.created_at, coalesce(r.started_at, 0), coalesce(r.finished_at, 0), "
        "r.message, coalesce(r.owner_lease, 0), r.summary_json, coalesce(r.sweep_id, 0), coalesce(m.name, ''), "
        "coalesce(v.version, 0), coalesce(m.id, 0), r.experiment_id, coalesce(e.name, ''), r.origin, r.user_id, "
        "coalesce(r.deleted_at, 0), coalesce(r.heartbeat_at, 0), r.inputs_json "
        "FROM run r LEFT JOIN model_version v ON r.model_version_id = v.id "
        "LEFT JOIN model m ON v.model_id = m.id LEFT JOIN experiment e ON r.experiment_id = e.id %1 ORDER BY %2").arg(where, order));
    if (!st)
        return st.failure();
    if (arg)
        st->bind(1, arg);
    QList<RunRecord> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        RunRecord r;
        r.id = st->columnInt(0);
        r.modelVersionId = st->columnInt(1);
        r.datasetId = st->columnInt(2);
        r.name = st->columnText(3);
        r.status = runStatusFromName(st->columnText(4));
        r.hyperparams = fromJsonText(st->columnText(5));
        r.createdAt = fromSeconds(st->columnDouble(6));
        r.startedAt = fromSeconds(st->columnDouble(7));
        r.finishedAt = fromSeconds(st->columnDouble(8));
        r.message = st->columnText(9);
        r.ownerLease = st->columnInt(10);
        r.summary = JsonNumber::decodeFlat(fromJsonText(st->columnText(11)));
        r.sweepId = st->columnInt(12);
        r.modelName = st->columnText(13);
        r.modelVersion = int(st->columnInt(14));
        r.modelId = st->columnInt(15);
        if (!st->columnIsNull(16))
            r.experimentId = st->columnInt(16);
        r.experimentName = st->columnText(17);
        r.tracked = st->columnText(18) == QLatin1String("tracking");
        r.user = st->columnText(19);
        r.deletedAt = fromSeconds(st->columnDouble(20));
        r.heartbeatAt = fromSeconds(st->columnDouble(21));
        r.inputs = QJsonDocument::fromJson(st->columnText(22).toUtf8()).array();
        out << r;
    }
    return out;
}

Result<RunRecord> RunRepository::get(qint64 id)
{
    auto rows = select(QStringLiteral("WHERE r.id = ?1"), id);
    if (!rows)
        return rows.failure();
    if (rows->isEmpty())
        return notFound(QStringLiteral("no run with id %1").arg(id));
    return rows->first();
}

Result<QList<RunRecord>> RunRepository::list(qint64 modelId)
{
    return modelId ? select(QStringLiteral("WHERE v.model_id = ?1"), modelId)
                   : select(QStringLiteral("WHERE r.deleted_at IS NULL"), 0);
}

Result<QList<RunRecord>> RunRepository::listForExperiment(qint64 experimentId, bool deleted)
{
    return select(deleted ? QStringLiteral("WHERE r.experiment_id = ?1") : QStringLiteral("WHERE r.experiment_id = ?1 AND r.deleted_at IS NULL"),
                  experimentId, QStringLiteral("r.id DESC"));
}

Result<QList<RunRecord>> RunRepository::listAll()
{
    return select(QString(), 0);
}

Status RunRepository::setDeleted(qint64 id, bool deleted)
{
    auto st = m_db.prepare(QStringLiteral("UPDATE run SET deleted_at = CASE WHEN ?2 THEN ?3 ELSE NULL END WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, id).bind(2, qint64(deleted)).bind(3, nowSeconds());
    if (auto s = st->run(); !s)
        return s;
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no run with id %1").arg(id));
    return {};
}

Status RunRepository::touch(qint64 id)
{
    auto st = m_db.prepare(QStringLiteral("UPDATE run SET heartbeat_at = ?2 WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, id).bind(2, nowSeconds());
    if (auto s = st->run(); !s)
        return s;
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no run with id %1").arg(id));
    return {};
}

Status RunRepository::updateTracked(qint64 id, RunStatus status, const QDateTime &finishedAt, const QString &name)
{
    const bool ends = status == RunStatus::Finished || status == RunStatus::Failed || status == RunStatus::Interrupted;
    auto st = m_db.prepare(QStringLiteral(
        "UPDATE run SET status = ?2, finished_at = CASE WHEN ?3 THEN coalesce(?4, finished_at, ?5) ELSE NULL END, "
        "name = coalesce(?6, name), heartbeat_at = ?5 WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, id).bind(2, runStatusName(status)).bind(3, qint64(ends));
    if (finishedAt.isValid())
        st->bind(4, double(finishedAt.toMSecsSinceEpoch()) / 1000.0);
    else
        st->bindNull(4);
    st->bind(5, nowSeconds());
    if (name.isNull())
        st->bindNull(6);
    else
        st->bind(6, name);
    if (auto s = st->run(); !s)
        return s;
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no run with id %1").arg(id));
    return {};
}

Status RunRepository::setInputs(qint64 id, const QJsonArray &inputs)
{
    return execChecked(m_db, QStringLiteral("UPDATE run SET inputs_json = ?2 WHERE id = ?1"), id,
                       QString::fromUtf8(QJsonDocument(inputs).toJson(QJsonDocument::Compact)), QStringLiteral("run"));
}

Status RunRepository::setTag(qint64 runId, const QString &key, const QString &value)
{
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO run_tag(run_id, key, value) VALUES (?1, ?2, ?3) ON CONFLICT(run_id, key) DO UPDATE SET value = excluded.value"));
    if (!st)
        return st.failure();
    st->bind(1, runId).bind(2, key).bind(3, value.isNull() ? QStringLiteral("") : value);
    return st->run();
}

Status RunRepository::deleteTag(qint64 runId, const QString &key)
{
    auto st = m_db.prepare(QStringLiteral("DELETE FROM run_tag WHERE run_id = ?1 AND key = ?2"));
    if (!st)
        return st.failure();
    st->bind(1, runId).bind(2, key);
    if (auto s = st->run(); !s)
        return s;
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("run %1 has no tag %2").arg(runId).arg(key));
    return {};
}

Result<QList<std::pair<QString, QString>>> RunRepository::tags(qint64 runId)
{
    auto st = m_db.prepare(QStringLiteral("SELECT key, value FROM run_tag WHERE run_id = ?1 ORDER BY key"));
    if (!st)
        return st.failure();
    st->bind(1, runId);
    QList<std::pair<QString, QString>> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        out.append({st->columnText(0), st->columnText(1)});
    }
    return out;
}

Result<QList<RunRecord>> RunRepository::listForSweep(qint64 sweepId)
{
    return select(QStringLiteral("WHERE r.sweep_id = ?1"), sweepId, QStringLiteral("r.id ASC"));
}

Status RunRepository::setStatus(qint64 id, RunStatus status, const QString &message)
{
    const bool ends = status == RunStatus::Finished || status == RunStatus::Failed ||
                      status == RunStatus::Interrupted;
    auto st = m_db.prepare(QStringLiteral(
        "UPDATE run SET status = ?2, message = coalesce(?3, ''), finished_at = CASE WHEN ?4 THEN ?5 ELSE "
        "finished_at END WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, id).bind(2, runStatusName(status)).bind(3, message);
    st->bind(4, qint64(ends)).bind(5, nowSeconds());
    if (auto s = st->run(); !s)
        return s;
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no run with id %1").arg(id));
    return {};
}

Status RunRepository::markRunning(qint64 id, qint64 leaseId)
{
    auto st = m_db.prepare(QStringLiteral(
        "UPDATE run SET status = 'running', owner_lease = ?2, message = '', "
        "started_at = coalesce(started_at, ?3), finished_at = NULL WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, id).bind(3, nowSeconds());
    if (leaseId > 0)
        st->bind(2, leaseId);
    else
        st->bindNull(2);
    if (auto s = st->run(); !s)
        return s;
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no run with id %1").arg(id));
    return {};
}

Status RunRepository::setSummary(qint64 id, const QJsonObject &summary)
{
    return execChecked(m_db, QStringLiteral("UPDATE run SET summary_json = ?2 WHERE id = ?1"), id,
                       toJsonText(summary), QStringLiteral("run"));
}

Status RunRepository::setHyperparams(qint64 id, const QJsonObject &hyperparams)
{
    return execChecked(m_db, QStringLiteral("UPDATE run SET hyperparams_json = ?2 WHERE id = ?1"),
                       id, toJsonText(hyperparams), QStringLiteral("run"));
}

Status RunRepository::rename(qint64 id, const QString &name)
{
    // A run without a name stores '' (the column is NOT NULL; a null QString would bind NULL).
    return execChecked(m_db, QStringLiteral("UPDATE run SET name = ?2 WHERE id = ?1"), id,
                       name.isNull() ? QStringLiteral("") : name, QStringLiteral("run"));
}

Status RunRepository::remove(qint64 id)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.failure();
    for (const QString &table : {QStringLiteral("metric"), QStringLiteral("metric_latest"), QStringLiteral("metric_block"),
                                 QStringLiteral("metric_repeat")}) {
        auto st = m_db.prepare(QStringLiteral("DELETE FROM %1 WHERE run_id = ?1").arg(table));
        if (!st)
            return st.failure();
        st->bind(1, id);
        if (auto s = st->run(); !s)
            return s;
    }
    if (auto s = execChecked(m_db, QStringLiteral("DELETE FROM run WHERE id = ?1"), id, QString(),
                             QStringLiteral("run"));
        !s)
        return s;
    return tx->commit();
}

Status RunRepository::saveCheckpoint(const CheckpointRecord &c)
{
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO checkpoint(run_id, tag, step, epoch, created_at, data) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(run_id, tag) DO UPDATE SET "
        "step = excluded.step, epoch = excluded.epoch, created_at = excluded.created_at, "
        "data = excluded.data"));
    if (!st)
        return st.failure();
    st->bind(1, c.runId).bind(2, c.tag).bind(3, c.step).bind(4, c.epoch).bind(5, nowSeconds());
    st->bind(6, c.data);
    return st->run();
}

Result<CheckpointRecord> RunRepository::checkpoint(qint64 runId, const QString &tag)
{
    auto st = m_db.prepare(QStringLiteral(
        "SELECT id, step, epoch, created_at, data FROM checkpoint WHERE run_id = ?1 AND tag = ?2"));
    if (!st)
        return st.failure();
    st->bind(1, runId).bind(2, tag);
    auto row = st->step();
    if (!row)
        return row.failure();
    if (!*row)
        return fail(QStringLiteral("run %1 has no \"%2\" checkpoint").arg(runId).arg(tag));
    CheckpointRecord c;
    c.id = st->columnInt(0);
    c.runId = runId;
    c.tag = tag;
    c.step = st->columnInt(1);
    c.epoch = int(st->columnInt(2));
    c.createdAt = fromSeconds(st->columnDouble(3));
    c.data = st->columnBlob(4);
    return c;
}

Result<QStringList> RunRepository::checkpointTags(qint64 runId)
{
    auto st = m_db.prepare(QStringLiteral("SELECT tag FROM checkpoint WHERE run_id = ?1 ORDER BY tag"));
    if (!st)
        return st.failure();
    st->bind(1, runId);
    QStringList out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        out << st->columnText(0);
    }
    return out;
}

Status RunRepository::saveArtifact(qint64 runId, const QString &name, const QString &mime,
                                   const QByteArray &data)
{
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO artifact(run_id, name, mime, created_at, data) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT(run_id, name) DO UPDATE SET mime = excluded.mime, "
        "created_at = excluded.created_at, data = excluded.data"));
    if (!st)
        return st.failure();
    st->bind(1, runId).bind(2, name).bind(3, mime).bind(4, nowSeconds()).bind(5, data);
    return st->run();
}

Result<QByteArray> RunRepository::artifact(qint64 runId, const QString &name)
{
    auto st = m_db.prepare(QStringLiteral("SELECT data FROM artifact WHERE run_id = ?1 AND name = ?2"));
    if (!st)
        return st.failure();
    st->bind(1, runId).bind(2, name);
    auto row = st->step();
    if (!row)
        return row.failure();
    if (!*row)
        return fail(QStringLiteral("run %1 has no artifact \"%2\"").arg(runId).arg(name));
    return st->columnBlob(0);
}

Result<QList<ArtifactInfo>> RunRepository::artifacts(qint64 runId)
{
    auto st = m_db.prepare(QStringLiteral(
        "SELECT id, name, mime, length(data), created_at FROM artifact WHERE run_id = ?1 ORDER BY name"));
    if (!st)
        return st.failure();
    st->bind(1, runId);
    QList<ArtifactInfo> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        out << ArtifactInfo{st->columnInt(0), st->columnText(1), st->columnText(2),
                            st->columnInt(3), fromSeconds(st->columnDouble(4))};
    }
    return out;
}

} // namespace mlwb
