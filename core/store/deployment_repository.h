// SPDX-License-Identifier: MIT
#pragma once

// DeploymentRepository: the project's history of what was done to its targets (deploy, canary,
// promote, rollback, refused uploads): who, when, which package and under which override.

#include "common/result.h"
#include "store/records.h"

#include <QList>

namespace mlwb {

class Database;

class DeploymentRepository {
public:
    explicit DeploymentRepository(Database &db) : m_db(db) {}

    // Records one action, at now (UTC) unless record.at says when. Needs a target, a model and
    // who did it; a canary share from 0 to 100.
    Result<qint64> add(const DeploymentRecord &record);
    // A target's records, newest first.
    Result<QList<DeploymentRecord>> list(qint64 targetId);

private:
    Database &m_db;
};

} // namespace mlwb
