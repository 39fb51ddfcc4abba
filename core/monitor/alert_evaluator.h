// SPDX-License-Identifier: MIT
#pragma once

// AlertEvaluator: a target's alert rules (docs/monitoring.md) checked against what its monitor
// stored, and the project's alerts brought in line: an alert fires (a row with fired_at, shown
// in the pane, the explorer and as a desktop notification) when its rule's condition holds, and
// clears (cleared_at) when it no longer does. A rule's figure is computed over the window that
// ends now and reaches back its for-duration, at least 5 minutes (1 hour for drift, so a
// feature is judged on enough rows): the condition has held for the for-duration when the
// figure over that whole window crosses the threshold. This needs no state between polls, so
// `mlwb monitor --once`, a restarted workbench and a colleague's copy judge alike.
//
// Rules are per model; error rate, latency and drift are judged per served version (a canary
// is judged on its own traffic and against its own package's baseline), throughput, no traffic
// and unreachable per model. A figure that cannot be computed (no traffic, no baseline, a gap)
// never fires a rule and never clears one that fired on data: unknown is not fine.

#include "common/result.h"
#include "store/records.h"

#include <QList>
#include <QString>

#include <functional>

namespace mlwb {

class Database;
class MonitorBaselines;
class MonitorView;

class AlertEvaluator {
public:
    struct Finding {
        AlertRuleRecord rule;
        QString version;   // empty: the model as a whole
        double value = 0;  // NaN when unknown
        bool known = false;
        bool holds = false;
        QString message;
    };
    struct Change {
        AlertRecord alert;
        bool fired = false; // else cleared
    };

    // The rules every deployment starts with (origin "default"): each feature's drift beyond
    // its default threshold (FeatureDrift's defaults), error rate above 1 %, p99 latency above
    // the package's check figure plus 1 ms (the checks time the engine alone; the agent adds
    // HTTP parsing and the batching queue), no traffic for 10 minutes, unreachable for 5.
    static QList<AlertRuleRecord> defaultRules(qint64 targetId, const QString &model, const QJsonObject &baseline,
                                               std::optional<double> checkP99Ms);
    // Adds the default rules of every model the target serves that has no rules yet.
    static Status ensureDefaults(Database &db, MonitorBaselines &baselines, qint64 targetId,
                                 const QList<std::pair<QString, QString>> &modelVersions);

    // Every enabled rule of the target judged at nowMs. `viewFor(from, to)` gives the stored
    // monitoring over a range (MonitorReader in use, a prepared view in tests).
    static Result<QList<Finding>> evaluate(const QList<AlertRuleRecord> &rules, qint64 nowMs, qint64 intervalMs,
                                           const std::function<Result<MonitorView>(qint64, qint64)> &viewFor,
                                           MonitorBaselines &baselines);
    // Fires and clears the project's alerts to match; what changed.
    static Result<QList<Change>> apply(Database &db, qint64 targetId, const QList<Finding> &findings, qint64 nowMs);

    // One figure of a rule over a view, for a version ("" every version); NaN when unknown.
    static double figure(const AlertRuleRecord &rule, const MonitorView &view, const QString &version,
                         MonitorBaselines &baselines, qint64 nowMs, qint64 intervalMs, QString *detail);
    static qint64 windowMs(const AlertRuleRecord &rule);
};

} // namespace mlwb
