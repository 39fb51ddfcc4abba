// SPDX-License-Identifier: MIT
#pragma once

// ChangeFeed: what changed in the project file since the last look, by aggregate and item,
// whoever wrote it. Triggers (schema 5) record, per item, the value of one change counter at
// its latest write; read() asks for the items past the counter it saw last, in one indexed
// query, so its cost follows the amount of change, not the size of the project. A file
// without change tracking (an older schema opened read-only) reports every aggregate with no
// ids: "anything may have changed".

#include "common/result.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace mlwb {

class Database;

// The aggregates the schema tracks. A later area adds its own (with triggers in its migration).
namespace Aggregate {
inline const QString Dataset = QStringLiteral("dataset");       // a data set or its split
inline const QString Model = QStringLiteral("model");           // a model or its versions
inline const QString Sweep = QStringLiteral("sweep");
inline const QString Run = QStringLiteral("run");               // the run's row: name, status, ...
inline const QString Metrics = QStringLiteral("metrics");       // new metric points of a run
inline const QString Evaluation = QStringLiteral("evaluation"); // a run's stored evaluations
inline const QString Artifact = QStringLiteral("artifact");     // a run's artifacts
inline const QString Lease = QStringLiteral("lease");           // who has the file open
inline const QString Package = QStringLiteral("package");       // a package or its overrides
inline const QString Target = QStringLiteral("target");         // a target or its deployments
inline const QString Monitor = QStringLiteral("monitor");       // a target's polls or monitor settings
inline const QString Alert = QStringLiteral("alert");           // a target's alert rules or alerts
inline const QString Report = QStringLiteral("report");         // a stored report definition
inline const QString Experiment = QStringLiteral("experiment"); // a tracked experiment or its tags
} // namespace Aggregate

struct ChangeSet {
    // Aggregate -> changed item ids (ascending). An empty list: any item may have changed.
    QHash<QString, QList<qint64>> items;
    bool isEmpty() const { return items.isEmpty(); }
    bool contains(const QString &aggregate) const { return items.contains(aggregate); }
};

class ChangeFeed {
public:
    // Every aggregate above: what "anything may have changed" lists.
    static const QStringList &aggregates();

    // Starts at the file's current state: read() reports only what changes after this.
    static Result<ChangeFeed> open(Database &db);

    // Changes since the last read() (or open()).
    Result<ChangeSet> read();
    // False for a file without change tracking (see above).
    bool tracked() const { return m_tracked; }
    qint64 lastSeen() const { return m_seen; }

private:
    explicit ChangeFeed(Database &db) : m_db(&db) {}
    Result<qint64> counter();

    Database *m_db;
    bool m_tracked = false;
    qint64 m_seen = 0;
};

} // namespace mlwb
