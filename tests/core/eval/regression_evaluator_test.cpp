// SPDX-License-Identifier: MIT
// Regression metrics against scikit-learn's documented examples and definitions.

#include "eval/regression_evaluator.h"

#include "test_support.h"

#include <cmath>
#include <numeric>
#include <random>

using namespace mlwb;
using mlwb::test::nearlyEqual;

namespace {

RegressionResult evaluateOrFail(const std::vector<double> &predictions,
                                const std::vector<double> &targets,
                                const RegressionOptions &options = {})
{
    Result<RegressionResult> r = RegressionEvaluator::evaluate(predictions, targets, options);
    EXPECT_TRUE(r.ok()) << qPrintable(r.ok() ? QString() : r.error());
    return r.ok() ? std::move(r).value() : RegressionResult{};
}

} // namespace

// sklearn docs, y_true [3, -0.5, 2, 7], y_pred [2.5, 0.0, 2, 8]:
//   mean_squared_error 0.375, mean_absolute_error 0.5, r2_score 0.948..., max_error 1
//   r2: SS_res = 1.5, mean 2.875, SS_tot = 29.1875 -> 1 - 1.5 / 29.1875
TEST(RegressionEvaluator, SklearnExample)
{
    const RegressionResult r = evaluateOrFail({2.5, 0.0, 2, 8}, {3, -0.5, 2, 7});
    EXPECT_EQ(r.n, 4);
    EXPECT_DOUBLE_EQ(r.mse, 0.375);
    EXPECT_DOUBLE_EQ(r.rmse, std::sqrt(0.375));
    EXPECT_DOUBLE_EQ(r.mae, 0.5);
    EXPECT_DOUBLE_EQ(r.r2, 1.0 - 1.5 / 29.1875);
    EXPECT_NEAR(r.r2, 0.9486081370449679, 1e-12);
    EXPECT_DOUBLE_EQ(r.maxError, 1.0);
    ASSERT_EQ(r.residuals.size(), 4u);
    // residual = target - prediction
    EXPECT_DOUBLE_EQ(r.residuals[0].residual, 0.5);
    EXPECT_DOUBLE_EQ(r.residuals[3].residual, -1.0);
    EXPECT_DOUBLE_EQ(r.residuals[3].prediction, 8.0);
}

TEST(RegressionEvaluator, MeanPredictorHasZeroR2)
{
    std::mt19937 rng(1);
    std::normal_distribution<double> d(1000.0, 5.0);
    std::vector<double> targets(500);
    for (double &t : targets)
        t = d(rng);
    const double mean = std::accumulate(targets.begin(), targets.end(), 0.0) / 500.0;
    const RegressionResult r = evaluateOrFail(std::vector<double>(500, mean), targets);
    EXPECT_NEAR(r.r2, 0.0, 1e-12);
    EXPECT_TRUE(nearlyEqual(evaluateOrFail(targets, targets).r2, 1.0));
}

TEST(RegressionEvaluator, ConstantTargetsAndSingleRowFollowSklearn)
{
    EXPECT_DOUBLE_EQ(evaluateOrFail({2, 2, 2}, {2, 2, 2}).r2, 1.0);
    EXPECT_DOUBLE_EQ(evaluateOrFail({1, 2, 3}, {2, 2, 2}).r2, 0.0);
    EXPECT_TRUE(std::isnan(evaluateOrFail({1}, {2}).r2));
    // A worse-than-mean model goes negative: SS_res 8, SS_tot 2.
    EXPECT_DOUBLE_EQ(evaluateOrFail({3, 1}, {1, 3}).r2, -3.0);
}

TEST(RegressionEvaluator, FloatInputsMatchDouble)
{
    const std::vector<float> p{2.5f, 0.0f, 2.0f, 8.0f};
    const std::vector<float> t{3.0f, -0.5f, 2.0f, 7.0f};
    Result<RegressionResult> r = RegressionEvaluator::evaluate(p, t);
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ(r->mse, 0.375);
}

TEST(RegressionEvaluator, ResidualSampleIsCappedDeterministicAndInOrder)
{
    const int n = 20000;
    std::vector<double> p(n), t(n);
    for (int i = 0; i < n; ++i) {
        p[size_t(i)] = i;
        t[size_t(i)] = i + std::sin(double(i));
    }
    const RegressionResult a = evaluateOrFail(p, t);
    const RegressionResult b = evaluateOrFail(p, t);
    ASSERT_EQ(a.residuals.size(), 5000u);
    bool same = true;
    for (size_t i = 0; i < a.residuals.size(); ++i)
        same = same && a.residuals[i].prediction == b.residuals[i].prediction;
    EXPECT_TRUE(same);
    for (size_t i = 1; i < a.residuals.size(); ++i)
        ASSERT_LT(a.residuals[i - 1].prediction, a.residuals[i].prediction);
    // Spread over the whole range, not just the first rows.
    EXPECT_LT(a.residuals.front().prediction, 100.0);
    EXPECT_GT(a.residuals.back().prediction, n - 100.0);
    EXPECT_NEAR(a.residuals[7].residual, std::sin(a.residuals[7].prediction), 1e-9);

    RegressionOptions all;
    all.maxResidualPoints = 0;
    EXPECT_EQ(evaluateOrFail(p, t, all).residuals.size(), size_t(n));
}

TEST(RegressionEvaluator, HistogramCoversAllRows)
{
    const RegressionResult r = evaluateOrFail({0, 0, 0, 0, 0}, {-2, -1, 0, 1, 2});
    EXPECT_DOUBLE_EQ(r.histogram.lower, -2.0);
    EXPECT_DOUBLE_EQ(r.histogram.upper, 2.0);
    ASSERT_EQ(r.histogram.counts.size(), 30u);
    EXPECT_EQ(std::accumulate(r.histogram.counts.begin(), r.histogram.counts.end(), qint64(0)), 5);
    EXPECT_EQ(r.histogram.counts.front(), 1);
    EXPECT_EQ(r.histogram.counts.back(), 1); // the maximum lands in the last bin

    const RegressionResult flat = evaluateOrFail({1, 1}, {1, 1});
    EXPECT_LT(flat.histogram.lower, flat.histogram.upper);
    EXPECT_EQ(std::accumulate(flat.histogram.counts.begin(), flat.histogram.counts.end(),
                              qint64(0)),
              2);
}

TEST(RegressionEvaluator, BatchesGiveTheSameReport)
{
    const std::vector<double> p{2.5, 0.0, 2, 8, 1};
    const std::vector<double> t{3, -0.5, 2, 7, 1.5};
    RegressionEvaluator evaluator;
    ASSERT_TRUE(evaluator.addBatch(std::span(p).first(2), std::span(t).first(2)).ok());
    const std::vector<double> bad{1.0, NAN};
    const Status rejected = evaluator.addBatch(bad, bad);
    ASSERT_FALSE(rejected.ok());
    EXPECT_TRUE(rejected.error().contains(QStringLiteral("row 3"))) << qPrintable(rejected.error());
    ASSERT_TRUE(evaluator.addBatch(std::span(p).subspan(2), std::span(t).subspan(2)).ok());
    Result<RegressionResult> batched = evaluator.finish();
    ASSERT_TRUE(batched.ok());
    EXPECT_EQ(batched->flatMetrics(), evaluateOrFail(p, t).flatMetrics());
}

TEST(RegressionEvaluator, RejectsBadInput)
{
    EXPECT_FALSE(RegressionEvaluator::evaluate(std::vector<double>{}, std::vector<double>{}).ok());
    EXPECT_FALSE(RegressionEvaluator().finish().ok());
    EXPECT_FALSE(
        RegressionEvaluator::evaluate(std::vector<double>{1, 2}, std::vector<double>{1}).ok());
    Result<RegressionResult> inf = RegressionEvaluator::evaluate(
        std::vector<double>{1, 2}, std::vector<double>{1, INFINITY});
    ASSERT_FALSE(inf.ok());
    EXPECT_TRUE(inf.error().contains(QStringLiteral("row 1: target")));
}

TEST(RegressionEvaluator, FlatMetricsOrderIsTheContract)
{
    QStringList order;
    for (const auto &[name, value] : evaluateOrFail({1, 2}, {1, 3}).flatMetrics())
        order.append(name);
    const QStringList expected{QStringLiteral("mse"), QStringLiteral("rmse"),
                               QStringLiteral("mae"), QStringLiteral("r2"),
                               QStringLiteral("max_error")};
    EXPECT_EQ(order, expected);
    EXPECT_EQ(RegressionResult::metricNames(), expected);
}
