// SPDX-License-Identifier: MIT
#include "eval/regression_evaluator.h"

#include <algorithm>
#include <cmath>

namespace mlwb {

namespace {

template <typename T>
Status checkRows(std::span<const T> predictions, std::span<const T> targets, qint64 firstRow)
{
    if (predictions.size() != targets.size())
        return fail(QStringLiteral("expected one prediction per target: %1 predictions for %2 "
                                   "targets")
                        .arg(predictions.size())
                        .arg(targets.size()));
    for (size_t i = 0; i < targets.size(); ++i) {
        if (!std::isfinite(double(predictions[i])))
            return fail(QStringLiteral("row %1: prediction is %2, expected a finite number")
                            .arg(firstRow + qint64(i))
                            .arg(double(predictions[i])));
        if (!std::isfinite(double(targets[i])))
            return fail(QStringLiteral("row %1: target is %2, expected a finite number")
                            .arg(firstRow + qint64(i))
                            .arg(double(targets[i])));
    }
    return {};
}

// splitmix64: a fully specified generator, unlike std:: distributions whose output differs
// between standard libraries; the residual sample must not change with the platform.
class SplitMix64 {
public:
    explicit SplitMix64(quint64 seed) : m_state(seed) {}
    double uniform()
    {
        quint64 z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        return double(z >> 11) * 0x1.0p-53;
    }

private:
    quint64 m_state;
};

// Inputs are already checked and non-empty.
template <typename T>
RegressionResult compute(std::span<const T> predictions, std::span<const T> targets,
                         const RegressionOptions &options)
{
    const size_t n = targets.size();
    RegressionResult r;
    r.n = qint64(n);

    double targetSum = 0.0;
    for (T y : targets)
        targetSum += double(y);
    const double targetMean = targetSum / double(n);

    // Two passes (mean first) so SS_tot does not cancel for targets far from zero.
    double ssRes = 0.0;
    double ssTot = 0.0;
    double absSum = 0.0;
    double minResidual = std::numeric_limits<double>::infinity();
    double maxResidual = -std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < n; ++i) {
        const double residual = double(targets[i]) - double(predictions[i]);
        const double centred = double(targets[i]) - targetMean;
        ssRes += residual * residual;
        ssTot += centred * centred;
        absSum += std::fabs(residual);
        r.maxError = std::max(r.maxError, std::fabs(residual));
        minResidual = std::min(minResidual, residual);
        maxResidual = std::max(maxResidual, residual);
    }
    r.mse = ssRes / double(n);
    r.rmse = std::sqrt(r.mse);
    r.mae = absSum / double(n);
    if (n < 2)
        r.r2 = std::numeric_limits<double>::quiet_NaN();
    else if (ssTot == 0.0)
        r.r2 = ssRes == 0.0 ? 1.0 : 0.0;
    else
        r.r2 = 1.0 - ssRes / ssTot;

    // Selection sampling (Knuth's algorithm S): exactly `keep` rows, uniformly, in input order.
    const size_t keep = options.maxResidualPoints > 0
                            ? std::min(n, size_t(options.maxResidualPoints))
                            : n;
    r.residuals.reserve(keep);
    SplitMix64 random(options.sampleSeed);
    for (size_t i = 0; i < n && r.residuals.size() < keep; ++i) {
        const size_t needed = keep - r.residuals.size();
        if (needed == n - i || random.uniform() * double(n - i) < double(needed))
            r.residuals.push_back(
                {double(predictions[i]), double(targets[i]) - double(predictions[i])});
    }

    const int bins = std::max(1, options.histogramBins);
    ResidualHistogram &h = r.histogram;
    h.lower = minResidual;
    h.upper = maxResidual;
    if (h.upper <= h.lower) {
        // All residuals equal: centre a unit-wide range on them so the plot still has a bar.
        h.lower -= 0.5;
        h.upper += 0.5;
    }
    h.counts.assign(size_t(bins), 0);
    const double width = (h.upper - h.lower) / bins;
    for (size_t i = 0; i < n; ++i) {
        const double residual = double(targets[i]) - double(predictions[i]);
        const int bin = std::clamp(int((residual - h.lower) / width), 0, bins - 1);
        ++h.counts[size_t(bin)];
    }
    return r;
}

template <typename T>
Result<RegressionResult> evaluateSpans(std::span<const T> predictions, std::span<const T> targets,
                                       const RegressionOptions &options)
{
    if (targets.empty() && predictions.empty())
        return fail(QStringLiteral("no rows to evaluate"));
    if (Status s = checkRows(predictions, targets, 0); !s)
        return s.failure();
    return compute(predictions, targets, options);
}

} // namespace

RegressionEvaluator::RegressionEvaluator(RegressionOptions options) : m_options(options) {}

Status RegressionEvaluator::addBatch(std::span<const double> predictions,
                                     std::span<const double> targets)
{
    if (Status s = checkRows(predictions, targets, rowCount()); !s)
        return s;
    m_predictions.insert(m_predictions.end(), predictions.begin(), predictions.end());
    m_targets.insert(m_targets.end(), targets.begin(), targets.end());
    return {};
}

Status RegressionEvaluator::addBatch(std::span<const float> predictions,
                                     std::span<const float> targets)
{
    if (Status s = checkRows(predictions, targets, rowCount()); !s)
        return s;
    m_predictions.insert(m_predictions.end(), predictions.begin(), predictions.end());
    m_targets.insert(m_targets.end(), targets.begin(), targets.end());
    return {};
}

Result<RegressionResult> RegressionEvaluator::finish() const
{
    if (m_targets.empty())
        return fail(QStringLiteral("no rows to evaluate"));
    return compute(std::span<const double>(m_predictions), std::span<const double>(m_targets),
                   m_options);
}

Result<RegressionResult> RegressionEvaluator::evaluate(std::span<const double> predictions,
                                                       std::span<const double> targets,
                                                       const RegressionOptions &options)
{
    return evaluateSpans(predictions, targets, options);
}

Result<RegressionResult> RegressionEvaluator::evaluate(std::span<const float> predictions,
                                                       std::span<const float> targets,
                                                       const RegressionOptions &options)
{
    return evaluateSpans(predictions, targets, options);
}

} // namespace mlwb
