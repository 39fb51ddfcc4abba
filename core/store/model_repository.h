// SPDX-License-Identifier: MIT
#pragma once

// ModelRepository: models and their numbered versions (layer spec or imported TorchScript).

#include "common/result.h"
#include "store/records.h"

#include <QList>

namespace mlwb {

class Database;

class ModelRepository {
public:
    explicit ModelRepository(Database &db) : m_db(db) {}

    Result<qint64> add(const ModelRecord &record);
    // Appends version N+1 of a model.
    Result<ModelVersionRecord> addVersion(qint64 modelId, const QByteArray &specJson,
                                          const QByteArray &torchscript);
    Result<QList<ModelRecord>> list();
    Result<ModelRecord> get(qint64 id);
    Result<ModelRecord> byName(const QString &name);
    Result<QList<ModelVersionRecord>> versions(qint64 modelId); // without the TorchScript blob
    Result<ModelVersionRecord> version(qint64 versionId);        // with the blob
    Result<ModelVersionRecord> latestVersion(qint64 modelId);
    Status rename(qint64 id, const QString &name);
    Status setDescription(qint64 id, const QString &description);
    Status remove(qint64 id);

private:
    Result<QList<ModelRecord>> select(const QString &where, const QString &arg);
    Result<QList<ModelVersionRecord>> selectVersions(const QString &where, qint64 arg, bool blobs);
    Database &m_db;
};

} // namespace mlwb
