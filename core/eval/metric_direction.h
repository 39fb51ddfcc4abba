// SPDX-License-Identifier: MIT
#pragma once

// MetricDirection: whether a larger value of a metric is better. Early stopping, checkpoint
// selection and comparison tables ask this by metric name instead of each keeping its own list.

#include <QString>

namespace mlwb {

enum class MetricDirection { HigherIsBetter, LowerIsBetter };

// Knows the report metrics (accuracy, f1_macro, roc_auc, ... higher; log_loss, mse, rmse, mae,
// max_error, ece lower) and training names built on them: a split prefix ("val_loss",
// "train/mse", "test.accuracy") is ignored, anything ending in "loss" or "error" is lower, and so
// is "perplexity". Unknown names count as higher-is-better.
MetricDirection metricDirection(const QString &metricName);

inline bool higherIsBetter(const QString &metricName)
{
    return metricDirection(metricName) == MetricDirection::HigherIsBetter;
}

// True when `candidate` beats `best` for this metric; NaN never beats anything and anything beats
// NaN, so a run that diverged never becomes the best checkpoint.
bool isImprovement(const QString &metricName, double candidate, double best);

} // namespace mlwb
