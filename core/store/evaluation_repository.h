// SPDX-License-Identifier: MIT
#pragma once

// EvaluationRepository: evaluation reports per (run, dataset, split), and the stored
// train/validation/test split of each dataset.

#include "common/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>

#include <vector>

namespace mlwb {

class Database;

struct EvaluationRecord {
    qint64 id = 0;
    qint64 runId = 0;
    qint64 datasetId = 0;
    QString split; // "train", "validation", "test", "all"
    QDateTime createdAt;
    QJsonObject report;
};

struct SplitRecord {
    qint64 datasetId = 0;
    quint64 seed = 0;
    double train = 0.7;
    double validation = 0.15;
    double test = 0.15;
    bool stratified = true;
    std::vector<quint8> assignment; // per row: 0 train, 1 validation, 2 test
};

class EvaluationRepository {
public:
    explicit EvaluationRepository(Database &db) : m_db(db) {}

    Status save(const EvaluationRecord &record); // replaces (run, dataset, split)
    Result<EvaluationRecord> get(qint64 runId, qint64 datasetId, const QString &split);
    Result<QList<EvaluationRecord>> forRun(qint64 runId);

    Status saveSplit(const SplitRecord &split);
    // An error when the dataset has no stored split.
    Result<SplitRecord> split(qint64 datasetId);

private:
    Database &m_db;
};

} // namespace mlwb
