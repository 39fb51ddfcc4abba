// SPDX-License-Identifier: MIT
#include "store/model_repository.h"

#include "store/database.h"
#include "store/statement.h"
#include "store/store_util.h"
#include "store/transaction.h"

namespace mlwb {

Result<qint64> ModelRepository::add(const ModelRecord &r)
{
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO model(name, kind, dataset_id, created_at, description) "
        "VALUES (?1, ?2, ?3, ?4, coalesce(?5, ''))"));
    if (!st)
        return st.failure();
    st->bind(1, r.name).bind(2, modelKindName(r.kind)).bind(4, nowSeconds()).bind(5, r.description);
    if (r.datasetId > 0)
        st->bind(3, r.datasetId);
    else
        st->bindNull(3);
    if (auto s = st->run(); !s) {
        if (s.error().contains(QStringLiteral("UNIQUE")))
            return conflict(QStringLiteral("a model named \"%1\" already exists").arg(r.name));
        return s.failure();
    }
    return m_db.lastInsertId();
}

Result<ModelVersionRecord> ModelRepository::addVersion(qint64 modelId, const QByteArray &specJson,
                                                       const QByteArray &torchscript)
{
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO model_version(model_id, version, created_at, spec_json, torchscript) "
        "VALUES (?1, (SELECT coalesce(max(version), 0) + 1 FROM model_version WHERE model_id = ?1),"
        " ?2, ?3, ?4)"));
    if (!st)
        return st.failure();
    st->bind(1, modelId).bind(2, nowSeconds());
    if (specJson.isNull())
        st->bindNull(3);
    else
        st->bind(3, QString::fromUtf8(specJson));
    st->bind(4, torchscript);
    if (auto s = st->run(); !s)
        return s.failure();
    return version(m_db.lastInsertId());
}

Result<QList<ModelRecord>> ModelRepository::select(const QString &where, const QString &arg)
{
    auto st = m_db.prepare(QStringLiteral(
        "SELECT id, name, kind, coalesce(dataset_id, 0), created_at, description FROM model %1 "
        "ORDER BY name").arg(where));
    if (!st)
        return st.failure();
    if (!arg.isNull())
        st->bind(1, arg);
    QList<ModelRecord> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        ModelRecord r;
        r.id = st->columnInt(0);
        r.name = st->columnText(1);
        const auto kind = modelKindFromName(st->columnText(2));
        if (!kind)
            return corrupt(QStringLiteral("model %1 has unknown kind \"%2\"").arg(r.id).arg(st->columnText(2)));
        r.kind = *kind;
        r.datasetId = st->columnInt(3);
        r.createdAt = fromSeconds(st->columnDouble(4));
        r.description = st->columnText(5);
        out << r;
    }
    return out;
}

Result<QList<ModelRecord>> ModelRepository::list() { return select(QString(), QString()); }

Result<ModelRecord> ModelRepository::get(qint64 id)
{
    auto rows = select(QStringLiteral("WHERE id = ?1"), QString::number(id));
    if (!rows)
        return rows.failure();
    if (rows->isEmpty())
        return notFound(QStringLiteral("no model with id %1").arg(id));
    return rows->first();
}

Result<ModelRecord> ModelRepository::byName(const QString &name)
{
    auto rows = select(QStringLiteral("WHERE name = ?1"), name);
    if (!rows)
        return rows.failure();
    if (rows->isEmpty())
        return notFound(QStringLiteral("no model named \"%1\"").arg(name));
    return rows->first();
}

Result<QList<ModelVersionRecord>> ModelRepository::selectVersions(const QString &where, qint64 arg,
                                                                  bool blobs)
{
    auto st = m_db.prepare(
        QStringLiteral("SELECT id, model_id, version, created_at, spec_json, %1 FROM model_version "
                       "%2 ORDER BY version")
            .arg(blobs ? QStringLiteral("torchscript") : QStringLiteral("NULL"), where));
    if (!st)
        return st.failure();
    st->bind(1, arg);
    QList<ModelVersionRecord> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        ModelVersionRecord r;
        r.id = st->columnInt(0);
        r.modelId = st->columnInt(1);
        r.version = int(st->columnInt(2));
        r.createdAt = fromSeconds(st->columnDouble(3));
        if (!st->columnIsNull(4))
            r.specJson = st->columnText(4).toUtf8();
        r.torchscript = st->columnBlob(5);
        out << r;
    }
    return out;
}

Result<QList<ModelVersionRecord>> ModelRepository::versions(qint64 modelId)
{
    return selectVersions(QStringLiteral("WHERE model_id = ?1"), modelId, false);
}

Result<ModelVersionRecord> ModelRepository::version(qint64 versionId)
{
    auto rows = selectVersions(QStringLiteral("WHERE id = ?1"), versionId, true);
    if (!rows)
        return rows.failure();
    if (rows->isEmpty())
        return notFound(QStringLiteral("no model version with id %1").arg(versionId));
    return rows->first();
}

Result<ModelVersionRecord> ModelRepository::latestVersion(qint64 modelId)
{
    auto rows = selectVersions(
        QStringLiteral("WHERE model_id = ?1 AND version = (SELECT max(version) FROM model_version "
                       "WHERE model_id = ?1)"),
        modelId, true);
    if (!rows)
        return rows.failure();
    if (rows->isEmpty())
        return fail(QStringLiteral("model %1 has no version").arg(modelId));
    return rows->first();
}

Status ModelRepository::rename(qint64 id, const QString &name)
{
    return execChecked(m_db, QStringLiteral("UPDATE model SET name = ?2 WHERE id = ?1"), id, name,
                       QStringLiteral("model"));
}

Status ModelRepository::setDescription(qint64 id, const QString &description)
{
    return execChecked(m_db, QStringLiteral("UPDATE model SET description = ?2 WHERE id = ?1"), id,
                       description, QStringLiteral("model"));
}

Status ModelRepository::remove(qint64 id)
{
    // Metric points have no foreign key (it would cost a lookup per logged point): delete them
    // with the model's runs in one transaction.
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.failure();
    const QString runs = QStringLiteral(
        "(SELECT r.id FROM run r JOIN model_version v ON r.model_version_id = v.id "
        "WHERE v.model_id = ?1)");
    for (const QString &table : {QStringLiteral("metric"), QStringLiteral("metric_latest"), QStringLiteral("metric_block")}) {
        auto st = m_db.prepare(QStringLiteral("DELETE FROM %1 WHERE run_id IN %2").arg(table, runs));
        if (!st)
            return st.failure();
        st->bind(1, id);
        if (auto s = st->run(); !s)
            return s;
    }
    if (auto s = execChecked(m_db, QStringLiteral("DELETE FROM model WHERE id = ?1"), id, QString(),
                             QStringLiteral("model"));
        !s)
        return s;
    return tx->commit();
}

} // namespace mlwb
