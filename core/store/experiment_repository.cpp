// SPDX-License-Identifier: MIT
#include "store/experiment_repository.h"

#include "store/database.h"
#include "store/statement.h"
#include "store/store_util.h"

#include <QJsonArray>

namespace mlwb {

namespace {

QJsonValue timeValue(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

} // namespace

QJsonObject ExperimentRecord::toJson() const
{
    QJsonObject t;
    for (const auto &[key, value] : tags)
        t.insert(key, value);
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("artifact_location"), artifactLocation},
            {QStringLiteral("deleted"), deleted},
            {QStringLiteral("created"), timeValue(createdAt)},
            {QStringLiteral("updated"), timeValue(updatedAt)},
            {QStringLiteral("tags"), t},
            {QStringLiteral("runs"), runCount}};
}

Result<qint64> ExperimentRepository::create(const QString &name, const QString &artifactLocation)
{
    if (name.trimmed().isEmpty())
        return invalidInput(QStringLiteral("an experiment needs a name"));
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO experiment(name, artifact_location, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)"));
    if (!st)
        return st.failure();
    st->bind(1, name).bind(2, artifactLocation.isNull() ? QStringLiteral("") : artifactLocation).bind(3, nowSeconds());
    if (auto s = st->run(); !s) {
        if (s.error().contains(QLatin1String("UNIQUE")))
            return conflict(QStringLiteral("an experiment named \"%1\" already exists").arg(name));
        return s.failure();
    }
    return m_db.lastInsertId();
}

Result<QList<ExperimentRecord>> ExperimentRepository::select(const QString &where, const std::function<void(Statement &)> &bind)
{
    auto st = m_db.prepare(QStringLiteral(
        "SELECT e.id, e.name, e.artifact_location, e.lifecycle_stage, e.created_at, e.updated_at, "
        "(SELECT count(*) FROM run r WHERE r.experiment_id = e.id AND r.deleted_at IS NULL) "
        "FROM experiment e %1 ORDER BY e.id").arg(where));
    if (!st)
        return st.failure();
    if (bind)
        bind(*st);
    QList<ExperimentRecord> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        ExperimentRecord e;
        e.id = st->columnInt(0);
        e.name = st->columnText(1);
        e.artifactLocation = st->columnText(2);
        e.deleted = st->columnText(3) == QLatin1String("deleted");
        e.createdAt = fromSeconds(st->columnDouble(4));
        e.updatedAt = fromSeconds(st->columnDouble(5));
        e.runCount = st->columnInt(6);
        out << e;
    }
    st = Statement();
    auto tags = m_db.prepare(QStringLiteral("SELECT key, value FROM experiment_tag WHERE experiment_id = ?1 ORDER BY key"));
    if (!tags)
        return tags.failure();
    for (ExperimentRecord &e : out) {
        tags->reset();
        tags->bind(1, e.id);
        for (;;) {
            auto row = tags->step();
            if (!row)
                return row.failure();
            if (!*row)
                break;
            e.tags.append({tags->columnText(0), tags->columnText(1)});
        }
    }
    return out;
}

Result<ExperimentRecord> ExperimentRepository::get(qint64 id)
{
    auto rows = select(QStringLiteral("WHERE e.id = ?1"), [id](Statement &st) { st.bind(1, id); });
    if (!rows)
        return rows.failure();
    if (rows->isEmpty())
        return notFound(QStringLiteral("no experiment with id %1").arg(id));
    return rows->first();
}

Result<ExperimentRecord> ExperimentRepository::find(const QString &name)
{
    auto rows = select(QStringLiteral("WHERE e.name = ?1"), [&name](Statement &st) { st.bind(1, name); });
    if (!rows)
        return rows.failure();
    if (rows->isEmpty())
        return notFound(QStringLiteral("no experiment named \"%1\"").arg(name));
    return rows->first();
}

Result<QList<ExperimentRecord>> ExperimentRepository::list(View view)
{
    switch (view) {
    case View::Active:
        return select(QStringLiteral("WHERE e.lifecycle_stage = 'active'"), {});
    case View::Deleted:
        return select(QStringLiteral("WHERE e.lifecycle_stage = 'deleted'"), {});
    case View::All:
        break;
    }
    return select(QString(), {});
}

Status ExperimentRepository::rename(qint64 id, const QString &name)
{
    if (name.trimmed().isEmpty())
        return invalidInput(QStringLiteral("an experiment needs a name"));
    auto st = m_db.prepare(QStringLiteral("UPDATE experiment SET name = ?2, updated_at = ?3 WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, id).bind(2, name).bind(3, nowSeconds());
    if (auto s = st->run(); !s) {
        if (s.error().contains(QLatin1String("UNIQUE")))
            return conflict(QStringLiteral("an experiment named \"%1\" already exists").arg(name));
        return s;
    }
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no experiment with id %1").arg(id));
    return {};
}

Status ExperimentRepository::setDeleted(qint64 id, bool deleted)
{
    auto st = m_db.prepare(QStringLiteral("UPDATE experiment SET lifecycle_stage = ?2, updated_at = ?3 WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, id).bind(2, deleted ? QStringLiteral("deleted") : QStringLiteral("active")).bind(3, nowSeconds());
    if (auto s = st->run(); !s)
        return s;
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no experiment with id %1").arg(id));
    return {};
}

Status ExperimentRepository::setTag(qint64 id, const QString &key, const QString &value)
{
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO experiment_tag(experiment_id, key, value) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(experiment_id, key) DO UPDATE SET value = excluded.value"));
    if (!st)
        return st.failure();
    st->bind(1, id).bind(2, key).bind(3, value.isNull() ? QStringLiteral("") : value);
    if (auto s = st->run(); !s) {
        if (s.error().contains(QLatin1String("FOREIGN KEY")))
            return notFound(QStringLiteral("no experiment with id %1").arg(id));
        return s;
    }
    return {};
}

} // namespace mlwb
