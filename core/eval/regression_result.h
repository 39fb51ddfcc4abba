// SPDX-License-Identifier: MIT
#pragma once

// RegressionResult: error metrics of a regressor on one split plus what the residual plots need.
// Stored per run and split as JSON; the flat "metrics" names are the contract shared with the CLI.
// Definitions follow scikit-learn (mean_squared_error, r2_score, max_error, ...).

#include "common/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <limits>
#include <utility>
#include <vector>

namespace mlwb {

// residual = target - prediction, so points above zero are under-predictions.
struct ResidualPoint {
    double prediction = 0.0;
    double residual = 0.0;
};

// Equal-width bins over [lower, upper]; bin i covers [lower + i w, lower + (i + 1) w), the last
// also holds `upper`.
struct ResidualHistogram {
    double lower = 0.0;
    double upper = 0.0;
    std::vector<qint64> counts;

    double binWidth() const { return counts.empty() ? 0.0 : (upper - lower) / double(counts.size()); }
};

struct RegressionResult {
    static constexpr int kJsonVersion = 1;

    qint64 n = 0;
    double mse = 0.0;
    double rmse = 0.0;
    double mae = 0.0;
    // 1 - SS_res / SS_tot. Constant targets: 1 if predicted exactly, else 0 (sklearn
    // force_finite). NaN with fewer than two rows, like sklearn.
    double r2 = std::numeric_limits<double>::quiet_NaN();
    double maxError = 0.0; // largest |residual|

    // At most RegressionOptions::maxResidualPoints rows for the scatter plot, chosen by a seeded,
    // platform-independent sampler and kept in input order, so reruns draw the same plot.
    std::vector<ResidualPoint> residuals;
    ResidualHistogram histogram; // over all rows, not just the sample

    // The flat metrics in a stable order (the order of metricNames()).
    std::vector<std::pair<QString, double>> flatMetrics() const;
    static QStringList metricNames();

    QJsonObject toJson() const;
    static Result<RegressionResult> fromJson(const QJsonObject &json);
};

} // namespace mlwb
