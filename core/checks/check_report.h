// SPDX-License-Identifier: MIT
#pragma once

// CheckReport: what the pre-deployment checks found, as a package's checks.json holds it:
//
//   {"format": 1, "status": "passed"|"failed", "run_at", "by", "route": "matrix-vector"|"forward",
//    "config": {CheckConfig}, "items": [{"id", "group", "name", "value", "op", "threshold",
//    "passed", "gate", "unit", "detail"}],
//    "latency": {"batches": [{"batch", "p50_ms", "p95_ms", "p99_ms", "rows_per_s", "samples"}],
//                "threads": [{"threads", "rows_per_s"}]},
//    "memory": {"load_kb", "growth_kb_per_1000"}, "metrics": {test split metrics},
//    "robustness": [{"case", "expected", "outcome", "passed"}]}
//
// An item with gate true blocks deployment when it fails. NaN values travel as "NaN".

#include "common/result.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <limits>

namespace mlwb {

struct CheckReport {
    struct Item {
        QString id;    // "gate.accuracy", "latency.p99", ...
        QString group; // "quality", "regression", "latency", "memory", "robustness", ...
        QString name;
        double value = std::numeric_limits<double>::quiet_NaN();
        QString op; // ">=", "<=", or empty for a check without a number
        double threshold = std::numeric_limits<double>::quiet_NaN();
        bool passed = false;
        bool gate = true;
        QString unit;
        QString detail;
    };

    QDateTime runAt;
    QString by;
    QString route;
    QJsonObject config;
    QList<Item> items;
    QJsonObject latency;
    QJsonObject memory;
    QJsonObject metrics;
    QJsonArray robustness;

    bool passed() const;
    QStringList failedGates() const; // the names of the gate items that failed
    QJsonObject toJson() const;
    static Result<CheckReport> fromJson(const QJsonObject &json);
};

} // namespace mlwb
