// SPDX-License-Identifier: MIT
#pragma once

// ExperimentRepository: the experiments training scripts log runs into through the tracking
// endpoint (schema 10, issue #15), with MLflow's meaning: a named group of runs, soft-deleted
// and restored, with tags (last write wins). Experiment 0, "Default", always exists (MLflow's
// clients log there when no experiment is set). Its runs are in RunRepository.

#include "common/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <utility>

namespace mlwb {

class Database;
class Statement;

struct ExperimentRecord {
    qint64 id = 0;
    QString name;
    QString artifactLocation; // as MLflow names it; empty: the endpoint's mlflow-artifacts: URI
    bool deleted = false;     // lifecycle_stage "deleted"
    QDateTime createdAt, updatedAt;
    QList<std::pair<QString, QString>> tags; // by key
    qint64 runCount = 0;                     // its runs not deleted

    QJsonObject toJson() const;
};

class ExperimentRepository {
public:
    static constexpr qint64 kDefaultId = 0;

    explicit ExperimentRepository(Database &db) : m_db(db) {}

    // A conflict when the name is taken (deleted experiments keep theirs, as in MLflow).
    Result<qint64> create(const QString &name, const QString &artifactLocation = QString());
    Result<ExperimentRecord> get(qint64 id);
    Result<ExperimentRecord> find(const QString &name);
    // By id; the deleted ones too when asked (both: all).
    enum class View { Active, Deleted, All };
    Result<QList<ExperimentRecord>> list(View view = View::Active);
    Status rename(qint64 id, const QString &name);
    Status setDeleted(qint64 id, bool deleted);
    Status setTag(qint64 id, const QString &key, const QString &value);

private:
    Result<QList<ExperimentRecord>> select(const QString &where, const std::function<void(Statement &)> &bind);
    Database &m_db;
};

} // namespace mlwb
