// SPDX-License-Identifier: MIT
#include "store/deployment_repository.h"

#include "store/database.h"
#include "store/statement.h"

namespace mlwb {

Result<qint64> DeploymentRepository::add(const DeploymentRecord &r)
{
    const QString what = QStringLiteral("the %1 of %2 %3").arg(deploymentActionName(r.action), r.model, r.version).simplified();
    if (r.model.trimmed().isEmpty())
        return invalidInput(QStringLiteral("a deployment record needs the model it concerns"));
    if (r.by.trimmed().isEmpty())
        return invalidInput(QStringLiteral("recording %1 needs the name of who did it").arg(what));
    if (r.canaryPercent < 0 || r.canaryPercent > 100)
        return invalidInput(QStringLiteral("recording %1: a canary share is 0 to 100 percent, not %2").arg(what).arg(r.canaryPercent));
    const QDateTime at = (r.at.isValid() ? r.at : QDateTime::currentDateTimeUtc()).toUTC();
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO deployment(target_id, package_id, model, version, action, canary_percent, by, at, detail, "
        "override_reason) VALUES (?1, ?2, ?3, coalesce(?4, ''), ?5, ?6, ?7, ?8, coalesce(?9, ''), ?10)"));
    if (!st)
        return st.failure();
    st->bind(1, r.targetId);
    if (r.packageId > 0)
        st->bind(2, r.packageId);
    else
        st->bindNull(2);
    st->bind(3, r.model).bind(4, r.version).bind(5, deploymentActionName(r.action));
    st->bind(6, qint64(r.canaryPercent)).bind(7, r.by.trimmed()).bind(8, at.toString(Qt::ISODateWithMs));
    st->bind(9, r.detail);
    if (r.overrideReason.isEmpty())
        st->bindNull(10);
    else
        st->bind(10, r.overrideReason);
    if (auto s = st->run(); !s) {
        if (s.error().contains(QStringLiteral("FOREIGN KEY"))) {
            auto targets = m_db.queryInt(QStringLiteral("SELECT count(*) FROM target WHERE id = %1").arg(r.targetId));
            if (!targets)
                return targets.failure();
            if (*targets == 0)
                return notFound(QStringLiteral("recording %1: no target with id %2").arg(what).arg(r.targetId));
            return notFound(QStringLiteral("recording %1: no package with id %2").arg(what).arg(r.packageId));
        }
        return s.failure().reworded(QStringLiteral("recording %1: %2").arg(what, s.error()));
    }
    return m_db.lastInsertId();
}

Result<QList<DeploymentRecord>> DeploymentRepository::list(qint64 targetId)
{
    auto st = m_db.prepare(QStringLiteral(
        "SELECT d.id, d.target_id, coalesce(d.package_id, 0), d.model, d.version, d.action, d.canary_percent, d.by, "
        "d.at, d.detail, d.override_reason, t.name FROM deployment d JOIN target t ON t.id = d.target_id "
        "WHERE d.target_id = ?1 ORDER BY d.id DESC"));
    if (!st)
        return st.failure();
    st->bind(1, targetId);
    QList<DeploymentRecord> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        DeploymentRecord r;
        r.id = st->columnInt(0);
        r.targetId = st->columnInt(1);
        r.packageId = st->columnInt(2);
        r.model = st->columnText(3);
        r.version = st->columnText(4);
        const auto action = deploymentActionFromName(st->columnText(5));
        if (!action)
            return corrupt(QStringLiteral("deployment record %1 has unknown action \"%2\"").arg(r.id).arg(st->columnText(5)));
        r.action = *action;
        r.canaryPercent = int(st->columnInt(6));
        r.by = st->columnText(7);
        r.at = QDateTime::fromString(st->columnText(8), Qt::ISODateWithMs);
        if (!r.at.isValid())
            return corrupt(QStringLiteral("deployment record %1 has an unreadable time \"%2\"").arg(r.id).arg(st->columnText(8)));
        r.detail = st->columnText(9);
        r.overrideReason = st->columnIsNull(10) ? QString() : st->columnText(10);
        r.targetName = st->columnText(11);
        out << r;
    }
    return out;
}

} // namespace mlwb
