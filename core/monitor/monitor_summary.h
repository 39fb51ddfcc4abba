// SPDX-License-Identifier: MIT
#pragma once

// MonitorSummary: what a target's monitoring says over a time range, per served model version:
// traffic, errors, latency quantiles, the prediction distribution and every feature's drift
// against the package's baseline. `mlwb monitor --once` prints it, the Monitoring pane shows it.
// NaN (no traffic, a gap) stays NaN: in JSON it is null, in text "n/a".

#include "monitor/feature_drift.h"
#include "monitor/monitor_view.h"

#include <QJsonObject>
#include <QList>

namespace mlwb {

class MonitorBaselines;

class MonitorSummary {
public:
    struct Version {
        QString model;
        QString version;
        MonitorView::Totals totals;
        bool hasBaseline = false;
        QString baselineError;     // why there is none
        QString runName;           // the run the package was built from
        qint64 runId = 0;
        std::optional<FeatureDrift::Figures> prediction; // against the training predictions
        QList<FeatureDrift::Figures> features;           // in the baseline's order
        QStringList problems;                            // a feature that could not be judged, and why
        int drifted() const;                             // features at Red
    };

    static MonitorSummary compute(const MonitorView &view, MonitorBaselines &baselines,
                                  const FeatureDrift::Thresholds &thresholds = {});

    qint64 fromMs = 0, toMs = 0;
    int okPolls = 0, failedPolls = 0, resets = 0;
    qint64 lastOkMs = 0;
    QList<Version> versions;

    QJsonObject toJson() const;
    static QJsonValue number(double v); // null for NaN and infinities
};

} // namespace mlwb
