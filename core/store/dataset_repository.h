// SPDX-License-Identifier: MIT
#pragma once

// DatasetRepository: imported data sets (schema JSON, compressed column data, content hash).

#include "common/result.h"
#include "store/records.h"

#include <QList>

namespace mlwb {

class Database;

class DatasetRepository {
public:
    explicit DatasetRepository(Database &db) : m_db(db) {}

    Result<qint64> add(const DatasetRecord &record, const QByteArray &data);
    Result<QList<DatasetRecord>> list();
    Result<DatasetRecord> get(qint64 id);
    Result<DatasetRecord> byName(const QString &name);
    Result<QByteArray> data(qint64 id);
    Status rename(qint64 id, const QString &name);
    Status remove(qint64 id);

private:
    Result<QList<DatasetRecord>> select(const QString &where, const QString &arg);
    Database &m_db;
};

} // namespace mlwb
