// SPDX-License-Identifier: MIT
#include "store/alert_repository.h"

#include "store/database.h"
#include "store/statement.h"

#include <cmath>
#include <limits>

namespace mlwb {

namespace {

// An empty text as '' (a null QString binds NULL, which the NOT NULL columns refuse).
QString nn(const QString &s) { return s.isNull() ? QStringLiteral("") : s; }

const QString kRuleColumns = QStringLiteral("id, target_id, model, metric, feature, statistic, op, threshold, for_ms, enabled, origin");

AlertRuleRecord ruleFrom(const Statement &st)
{
    AlertRuleRecord r;
    r.id = st.columnInt(0);
    r.targetId = st.columnInt(1);
    r.model = st.columnText(2);
    r.metric = st.columnText(3);
    r.feature = st.columnText(4);
    r.statistic = st.columnText(5);
    r.op = st.columnText(6);
    r.threshold = st.columnDouble(7);
    r.forMs = st.columnInt(8);
    r.enabled = st.columnInt(9) != 0;
    r.origin = st.columnText(10);
    return r;
}

QString iso(const QDateTime &t) { return t.toUTC().toString(Qt::ISODateWithMs); }

} // namespace

const QStringList &AlertRepository::metrics()
{
    static const QStringList all = {QStringLiteral("error_rate"),         QStringLiteral("latency_p99_ms"),
                                    QStringLiteral("throughput_rps"),     QStringLiteral("no_traffic_minutes"),
                                    QStringLiteral("unreachable_minutes"), QStringLiteral("drift")};
    return all;
}

const QStringList &AlertRepository::statistics()
{
    static const QStringList all = {QStringLiteral("psi"), QStringLiteral("ks"), QStringLiteral("wasserstein"),
                                    QStringLiteral("jensen_shannon"), QStringLiteral("chi_squared")};
    return all;
}

Status AlertRepository::check(const AlertRuleRecord &r)
{
    const QString who = QStringLiteral("alert rule %1%2").arg(r.model, r.feature.isEmpty() ? QString() : QLatin1Char('/') + r.feature);
    if (r.model.trimmed().isEmpty())
        return invalidInput(QStringLiteral("an alert rule needs the model it watches"));
    if (!metrics().contains(r.metric))
        return invalidInput(QStringLiteral("%1: the metric \"%2\" is not one of %3").arg(who, r.metric, metrics().join(QStringLiteral(", "))));
    if (r.op != QLatin1String(">") && r.op != QLatin1String("<"))
        return invalidInput(QStringLiteral("%1: the condition is \"%2\", not > or <").arg(who, r.op));
    if (!std::isfinite(r.threshold))
        return invalidInput(QStringLiteral("%1: the threshold must be a finite number").arg(who));
    if (r.forMs < 0)
        return invalidInput(QStringLiteral("%1: the for-duration cannot be negative").arg(who));
    if (r.metric == QLatin1String("drift")) {
        if (r.feature.isEmpty())
            return invalidInput(QStringLiteral("%1: a drift rule names its feature").arg(who));
        if (!statistics().contains(r.statistic))
            return invalidInput(QStringLiteral("%1: the statistic \"%2\" is not one of %3").arg(who, r.statistic, statistics().join(QStringLiteral(", "))));
    }
    if (r.origin != QLatin1String("default") && r.origin != QLatin1String("user"))
        return invalidInput(QStringLiteral("%1: the origin is \"%2\", not default or user").arg(who, r.origin));
    return {};
}

Result<qint64> AlertRepository::addRule(const AlertRuleRecord &r)
{
    if (Status s = check(r); !s)
        return s.failure();
    auto st = m_db.prepare(QStringLiteral("INSERT INTO alert_rule(target_id, model, metric, feature, statistic, op, threshold, for_ms, "
                                          "enabled, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
    if (!st)
        return st.failure();
    st->bind(1, r.targetId).bind(2, r.model).bind(3, r.metric).bind(4, nn(r.feature)).bind(5, nn(r.statistic)).bind(6, r.op);
    st->bind(7, r.threshold).bind(8, r.forMs).bind(9, r.enabled ? 1 : 0).bind(10, r.origin);
    if (Status s = st->run(); !s) {
        if (s.error().contains(QStringLiteral("FOREIGN KEY")))
            return notFound(QStringLiteral("no target with id %1").arg(r.targetId));
        return s.failure().reworded(QStringLiteral("adding an alert rule: %1").arg(s.error()));
    }
    return m_db.lastInsertId();
}

Result<AlertRuleRecord> AlertRepository::rule(qint64 id)
{
    auto st = m_db.prepare(QStringLiteral("SELECT %1 FROM alert_rule WHERE id = ?1").arg(kRuleColumns));
    if (!st)
        return st.failure();
    st->bind(1, id);
    auto row = st->step();
    if (!row)
        return row.failure();
    if (!*row)
        return notFound(QStringLiteral("no alert rule with id %1 (mlwb alerts FILE --rules lists them)").arg(id));
    return ruleFrom(*st);
}

Result<QList<AlertRuleRecord>> AlertRepository::rules(qint64 targetId)
{
    auto st = m_db.prepare(QStringLiteral("SELECT %1 FROM alert_rule WHERE ?1 = 0 OR target_id = ?1 ORDER BY target_id, model, id").arg(kRuleColumns));
    if (!st)
        return st.failure();
    st->bind(1, targetId);
    QList<AlertRuleRecord> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        out << ruleFrom(*st);
    }
    return out;
}

Status AlertRepository::updateRule(const AlertRuleRecord &r)
{
    if (Status s = check(r); !s)
        return s;
    auto st = m_db.prepare(QStringLiteral("UPDATE alert_rule SET model = ?2, metric = ?3, feature = ?4, statistic = ?5, op = ?6, "
                                          "threshold = ?7, for_ms = ?8, enabled = ?9, origin = ?10 WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, r.id).bind(2, r.model).bind(3, r.metric).bind(4, nn(r.feature)).bind(5, nn(r.statistic)).bind(6, r.op);
    st->bind(7, r.threshold).bind(8, r.forMs).bind(9, r.enabled ? 1 : 0).bind(10, r.origin);
    if (Status s = st->run(); !s)
        return s.failure().reworded(QStringLiteral("changing alert rule %1: %2").arg(r.id).arg(s.error()));
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no alert rule with id %1").arg(r.id));
    return {};
}

Status AlertRepository::setEnabled(qint64 ruleId, bool enabled)
{
    Result<AlertRuleRecord> r = rule(ruleId);
    if (!r)
        return r.failure();
    r->enabled = enabled;
    return updateRule(*r);
}

Status AlertRepository::removeRule(qint64 ruleId)
{
    auto st = m_db.prepare(QStringLiteral("DELETE FROM alert_rule WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, ruleId);
    if (Status s = st->run(); !s)
        return s;
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no alert rule with id %1").arg(ruleId));
    return {};
}

Result<qint64> AlertRepository::fire(qint64 ruleId, const QString &model, const QString &version, const QDateTime &firedAt,
                                     double value, const QString &message)
{
    Result<AlertRuleRecord> r = rule(ruleId);
    if (!r)
        return r.failure();
    auto st = m_db.prepare(QStringLiteral("INSERT INTO alert(rule_id, target_id, model, version, fired_at, value, message) "
                                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    if (!st)
        return st.failure();
    st->bind(1, ruleId).bind(2, r->targetId).bind(3, model).bind(4, nn(version)).bind(5, iso(firedAt));
    if (std::isnan(value))
        st->bindNull(6);
    else
        st->bind(6, value);
    st->bind(7, nn(message));
    if (Status s = st->run(); !s)
        return s.failure().reworded(QStringLiteral("storing an alert of rule %1: %2").arg(ruleId).arg(s.error()));
    return m_db.lastInsertId();
}

Status AlertRepository::clear(qint64 alertId, const QDateTime &clearedAt)
{
    auto st = m_db.prepare(QStringLiteral("UPDATE alert SET cleared_at = ?2 WHERE id = ?1 AND cleared_at IS NULL"));
    if (!st)
        return st.failure();
    st->bind(1, alertId).bind(2, iso(clearedAt));
    if (Status s = st->run(); !s)
        return s;
    if (m_db.changes() == 0)
        return notFound(QStringLiteral("no firing alert with id %1").arg(alertId));
    return {};
}

Result<QList<AlertRecord>> AlertRepository::selectAlerts(const QString &where, qint64 targetId, const QString &order, int limit)
{
    auto st = m_db.prepare(QStringLiteral("SELECT id, coalesce(rule_id, 0), target_id, model, version, fired_at, cleared_at, value, message "
                                          "FROM alert WHERE (?1 = 0 OR target_id = ?1) %1 ORDER BY %2 LIMIT ?2")
                               .arg(where, order));
    if (!st)
        return st.failure();
    st->bind(1, targetId).bind(2, qint64(limit));
    QList<AlertRecord> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        AlertRecord a;
        a.id = st->columnInt(0);
        a.ruleId = st->columnInt(1);
        a.targetId = st->columnInt(2);
        a.model = st->columnText(3);
        a.version = st->columnText(4);
        a.firedAt = QDateTime::fromString(st->columnText(5), Qt::ISODateWithMs);
        if (!st->columnIsNull(6))
            a.clearedAt = QDateTime::fromString(st->columnText(6), Qt::ISODateWithMs);
        a.value = st->columnIsNull(7) ? std::numeric_limits<double>::quiet_NaN() : st->columnDouble(7);
        a.message = st->columnText(8);
        out << a;
    }
    return out;
}

Result<AlertRecord> AlertRepository::alert(qint64 id)
{
    auto st = m_db.prepare(QStringLiteral("SELECT target_id FROM alert WHERE id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, id);
    auto row = st->step();
    if (!row)
        return row.failure();
    if (!*row)
        return notFound(QStringLiteral("no alert with id %1").arg(id));
    const qint64 target = st->columnInt(0);
    st = Statement();
    auto list = selectAlerts(QStringLiteral("AND id = %1").arg(id), target, QStringLiteral("id"), 1);
    if (!list)
        return list.failure();
    if (list->isEmpty())
        return notFound(QStringLiteral("no alert with id %1").arg(id));
    return list->first();
}

Result<QList<AlertRecord>> AlertRepository::active(qint64 targetId)
{
    return selectAlerts(QStringLiteral("AND cleared_at IS NULL"), targetId, QStringLiteral("id"), 1'000'000);
}

Result<QList<AlertRecord>> AlertRepository::history(qint64 targetId, int limit)
{
    return selectAlerts(QString(), targetId, QStringLiteral("id DESC"), std::max(1, limit));
}

} // namespace mlwb
