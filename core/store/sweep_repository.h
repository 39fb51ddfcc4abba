// SPDX-License-Identifier: MIT
#pragma once

// SweepRepository: hyperparameter sweeps (name, model, strategy, spec) and the runs they group.
// The spec's meaning belongs to train/SweepSpec; here it is only stored JSON.

#include "common/result.h"
#include "store/records.h"

#include <QList>

namespace mlwb {

class Database;

class SweepRepository {
public:
    explicit SweepRepository(Database &db) : m_db(db) {}

    Result<qint64> create(const SweepRecord &sweep);
    Result<SweepRecord> get(qint64 id);
    // Every sweep, or those of one model, newest first, with model name and run count joined.
    Result<QList<SweepRecord>> list(qint64 modelId = 0);
    // The sweep's runs (its trials), oldest first.
    Result<QList<RunRecord>> runs(qint64 sweepId);

private:
    Result<QList<SweepRecord>> select(const QString &where, qint64 arg);
    Database &m_db;
};

} // namespace mlwb
