// SPDX-License-Identifier: MIT
#pragma once

// CheckConfig: what the pre-deployment checks demand of a model's packages: quality gates on the
// test split, how far a new version may fall behind the previous one, latency and memory
// budgets, and how long the measurements run. Stored per model; defaults() gives sensible
// ones for its task.
//
//   {"gates": [{"metric": "accuracy", "min": 0.8}, {"metric": "log_loss", "max": 0.5}],
//    "regression_tolerance": 0.02, "latency_p99_ms": 20, "memory_growth_kb_per_1000": 256,
//    "latency_seconds": 1.0, "python_round_trip": true}

#include "common/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace mlwb {

struct CheckConfig {
    struct Gate {
        QString metric;
        std::optional<double> min; // the metric must be at least this
        std::optional<double> max; // or at most this
        friend bool operator==(const Gate &, const Gate &) = default;
    };

    QList<Gate> gates;
    // A gated metric may be worse than the previous version's by at most this much (absolute).
    double regressionTolerance = 0.02;
    // p99 latency of one row through the engine, in milliseconds.
    double latencyP99Ms = 20;
    // Resident memory growth per 1,000 single-row inferences once warm, in KiB.
    double memoryGrowthKbPer1000 = 256;
    // How long each latency measurement runs at most (a batch size, a thread count).
    double latencySeconds = 1.0;
    // Whether the exported model.pt is run in python3-torch (/usr/bin/python3) and compared.
    bool pythonRoundTrip = true;

    // accuracy >= 0.8, f1_macro >= 0.75, roc_auc >= 0.85 for classification; r2 >= 0.3 for
    // regression.
    static CheckConfig defaults(bool classification);

    QJsonObject toJson() const;
    // Names the field that is wrong.
    static Result<CheckConfig> fromJson(const QJsonObject &json);

    friend bool operator==(const CheckConfig &, const CheckConfig &) = default;
};

} // namespace mlwb
