// SPDX-License-Identifier: MIT
#pragma once

// RunRepository: training runs (hyperparameters, status, summary), their checkpoints and
// artifacts. Metric series go through MetricLogger (writes) and MetricReader (reads).

#include "common/result.h"
#include "store/records.h"

#include <QJsonArray>
#include <QList>
#include <QStringList>

namespace mlwb {

class Database;

struct CheckpointRecord {
    qint64 id = 0;
    qint64 runId = 0;
    QString tag; // "latest", "best", ...
    qint64 step = 0;
    int epoch = 0;
    QDateTime createdAt;
    QByteArray data;
};

struct ArtifactInfo {
    qint64 id = 0;
    QString name;
    QString mime;
    qint64 size = 0;
    QDateTime createdAt;
};

class RunRepository {
public:
    explicit RunRepository(Database &db) : m_db(db) {}

    Result<qint64> create(const RunRecord &run);
    Result<RunRecord> get(qint64 id);
    // Every run not deleted (MLflow's soft delete), or those of one model, newest first, with
    // model name and version (and a tracked run's experiment) joined.
    Result<QList<RunRecord>> list(qint64 modelId = 0);
    // Every run, the deleted too.
    Result<QList<RunRecord>> listAll();
    // The runs of one experiment, newest first; the deleted ones only when asked.
    Result<QList<RunRecord>> listForExperiment(qint64 experimentId, bool deleted = false);
    // The runs (trials) of one sweep, oldest first.
    Result<QList<RunRecord>> listForSweep(qint64 sweepId);
    Status setStatus(qint64 id, RunStatus status, const QString &message = QString());
    // Claims a queued/interrupted run for this process (status running, owner lease).
    Status markRunning(qint64 id, qint64 leaseId);
    Status setSummary(qint64 id, const QJsonObject &summary);
    Status setHyperparams(qint64 id, const QJsonObject &hyperparams);
    Status rename(qint64 id, const QString &name);

    // Tracked runs (issue #15): MLflow's soft delete and restore; the script's last write;
    // runs/update (status, end time, name; an ended run's end time defaults to now); the data
    // sets it logged; its tags (last write wins).
    Status setDeleted(qint64 id, bool deleted);
    Status touch(qint64 id);
    Status updateTracked(qint64 id, RunStatus status, const QDateTime &finishedAt, const QString &name);
    Status setInputs(qint64 id, const QJsonArray &inputs);
    Status setTag(qint64 runId, const QString &key, const QString &value);
    Status deleteTag(qint64 runId, const QString &key); // not found when it has no such tag
    Result<QList<std::pair<QString, QString>>> tags(qint64 runId); // by key
    Status remove(qint64 id);

    Status saveCheckpoint(const CheckpointRecord &checkpoint); // replaces the same tag
    Result<CheckpointRecord> checkpoint(qint64 runId, const QString &tag);
    Result<QStringList> checkpointTags(qint64 runId);

    Status saveArtifact(qint64 runId, const QString &name, const QString &mime,
                        const QByteArray &data);
    Result<QByteArray> artifact(qint64 runId, const QString &name);
    Result<QList<ArtifactInfo>> artifacts(qint64 runId);

private:
    Result<QList<RunRecord>> select(const QString &where, qint64 arg,
                                    const QString &order = QStringLiteral("r.id DESC"));
    Database &m_db;
};

} // namespace mlwb
