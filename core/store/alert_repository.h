// SPDX-License-Identifier: MIT
#pragma once

// AlertRepository: a target's alert rules and the alerts they fired (schema 8), kept in the
// project so a colleague opening the file sees what fired, when, and when it cleared.

#include "common/result.h"
#include "store/records.h"

#include <QList>

namespace mlwb {

class Database;

class AlertRepository {
public:
    explicit AlertRepository(Database &db) : m_db(db) {}

    // The metrics a rule may watch (docs/monitoring.md).
    static const QStringList &metrics();
    static const QStringList &statistics();
    // A rule that can be stored: a known metric, op > or <, a finite threshold, for_ms >= 0, a
    // feature and a known statistic for drift; each problem named.
    static Status check(const AlertRuleRecord &rule);

    Result<qint64> addRule(const AlertRuleRecord &rule);
    Result<AlertRuleRecord> rule(qint64 id);
    // The target's rules (every target's with 0), by model and id.
    Result<QList<AlertRuleRecord>> rules(qint64 targetId);
    Status updateRule(const AlertRuleRecord &rule);
    Status setEnabled(qint64 ruleId, bool enabled);
    // With its alerts' link to it (they stay, naming no rule).
    Status removeRule(qint64 ruleId);

    // An alert of the rule fires (the target is the rule's).
    Result<qint64> fire(qint64 ruleId, const QString &model, const QString &version, const QDateTime &firedAt, double value,
                        const QString &message);
    Status clear(qint64 alertId, const QDateTime &clearedAt);
    Result<AlertRecord> alert(qint64 id);
    // Alerts firing now, oldest first; every target's with 0.
    Result<QList<AlertRecord>> active(qint64 targetId);
    // Every alert, newest first, at most `limit`; every target's with 0.
    Result<QList<AlertRecord>> history(qint64 targetId, int limit);

private:
    Result<QList<AlertRecord>> selectAlerts(const QString &where, qint64 targetId, const QString &order, int limit);
    Database &m_db;
};

} // namespace mlwb
