// SPDX-License-Identifier: MIT
#pragma once

// RunEvaluator: evaluates a run's trained model on any data set with a matching schema and
// split, storing the report per (run, data set, split).

#include "common/result.h"
#include "store/evaluation_repository.h"

namespace mlwb {

class Database;
struct ScoredRows;

class RunEvaluator {
public:
    explicit RunEvaluator(Database &db) : m_db(db) {}

    // datasetName empty: the run's own data set. `scored`, if given, receives the per-row
    // numbers the stored report was computed from.
    Result<EvaluationRecord> evaluate(qint64 runId, const QString &datasetName,
                                      const QString &split, ScoredRows *scored = nullptr);
    // The trained model (TorchScript archive with its preprocessing inside).
    Result<QByteArray> trainedModel(qint64 runId);

private:
    Database &m_db;
};

} // namespace mlwb
