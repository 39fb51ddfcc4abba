// SPDX-License-Identifier: MIT
#pragma once

// TargetRepository: the agents a project deploys to, by name (unique in the project), with
// their URL and CA certificate. Tokens are never stored here (see deploy/token_store.h).

#include "common/result.h"
#include "store/records.h"

#include <QList>

namespace mlwb {

class Database;

class TargetRepository {
public:
    explicit TargetRepository(Database &db) : m_db(db) {}

    // Stores a target, created now unless record.createdAt says when. The name must be free
    // (else a Conflict) and a file name (letters, digits, '.', '_', '-', not starting with '.'),
    // the URL http:// or https:// with a host, the CA certificate PEM when there is one.
    Result<qint64> add(const TargetRecord &record);
    Result<TargetRecord> get(qint64 id);
    Result<TargetRecord> find(const QString &name);
    Result<QList<TargetRecord>> list(); // by name
    // Points a target at another URL (the local agent's port changes from one start to the next).
    Status setUrl(qint64 id, const QString &url);
    // With its deployment records.
    Status remove(qint64 id);

private:
    Database &m_db;
};

} // namespace mlwb
