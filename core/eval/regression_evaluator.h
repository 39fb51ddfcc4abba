// SPDX-License-Identifier: MIT
#pragma once

// RegressionEvaluator: turns a regressor's predictions on a split into a RegressionResult, in one
// call (evaluate) or batch by batch (addBatch, then finish). One output per row: a multi-output
// model is evaluated once per output.

#include "common/result.h"
#include "eval/regression_result.h"

#include <span>
#include <vector>

namespace mlwb {

struct RegressionOptions {
    // Rows kept for the residual scatter plot; 0 keeps all.
    int maxResidualPoints = 5000;
    int histogramBins = 30;
    // Seed of the residual sampler; fixed so the same predictions always give the same plot.
    quint64 sampleSeed = 0x6d6c77622d657661ULL;
};

class RegressionEvaluator {
public:
    explicit RegressionEvaluator(RegressionOptions options = {});

    // Same length, finite values; checked before anything is kept. Errors name the row.
    Status addBatch(std::span<const double> predictions, std::span<const double> targets);
    Status addBatch(std::span<const float> predictions, std::span<const float> targets);
    qint64 rowCount() const { return qint64(m_targets.size()); }
    // Fails when no rows were added.
    Result<RegressionResult> finish() const;

    static Result<RegressionResult> evaluate(std::span<const double> predictions,
                                             std::span<const double> targets,
                                             const RegressionOptions &options = {});
    static Result<RegressionResult> evaluate(std::span<const float> predictions,
                                             std::span<const float> targets,
                                             const RegressionOptions &options = {});

private:
    RegressionOptions m_options;
    std::vector<double> m_predictions;
    std::vector<double> m_targets;
};

} // namespace mlwb
