// SPDX-License-Identifier: MIT
// ROC / PR curves against scikit-learn's documented outputs and against the Mann-Whitney U
// statistic, which the AUC must equal exactly (ties counting one half).

#include "eval/binary_curves.h"

#include "test_support.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using namespace mlwb;
using mlwb::test::nearlyEqual;

namespace {

BinaryCurves curves(const std::vector<float> &scores, const std::vector<std::uint8_t> &positive,
                    bool dropIntermediate = true, int maxPoints = 0)
{
    BinaryCurveOptions options;
    options.dropIntermediate = dropIntermediate;
    options.maxPoints = maxPoints;
    return computeBinaryCurves(scores, positive, options);
}

void expectVector(const std::vector<double> &actual, const std::vector<double> &expected,
                  double tol = 1e-12)
{
    ASSERT_EQ(actual.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        if (std::isinf(expected[i]))
            EXPECT_EQ(actual[i], expected[i]) << "at " << i;
        else
            EXPECT_TRUE(nearlyEqual(actual[i], expected[i], tol))
                << "at " << i << ": " << actual[i] << " vs " << expected[i];
    }
}

// O(n^2) reference: P(score of a random positive > score of a random negative), ties 1/2.
double mannWhitneyAuc(const std::vector<float> &scores, const std::vector<std::uint8_t> &positive)
{
    double u = 0.0;
    double pairs = 0.0;
    for (size_t i = 0; i < scores.size(); ++i) {
        if (!positive[i])
            continue;
        for (size_t j = 0; j < scores.size(); ++j) {
            if (positive[j])
                continue;
            pairs += 1.0;
            u += scores[i] > scores[j] ? 1.0 : scores[i] == scores[j] ? 0.5 : 0.0;
        }
    }
    return u / pairs;
}

// O(n log n) reference from average ranks: U = R_pos - P (P + 1) / 2.
double rankAuc(const std::vector<float> &scores, const std::vector<std::uint8_t> &positive)
{
    std::vector<size_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
    double rankSumPositive = 0.0;
    double p = 0.0;
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j < order.size() && scores[order[j]] == scores[order[i]])
            ++j;
        const double averageRank = (double(i + 1) + double(j)) / 2.0;
        for (size_t t = i; t < j; ++t) {
            if (positive[order[t]]) {
                rankSumPositive += averageRank;
                p += 1.0;
            }
        }
        i = j;
    }
    const double n = double(scores.size()) - p;
    return (rankSumPositive - p * (p + 1.0) / 2.0) / (p * n);
}

} // namespace

// sklearn docs: roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
//   fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1], thresholds [inf, 0.8, 0.4, 0.35, 0.1]
//   roc_auc_score = 0.75
TEST(BinaryCurves, RocMatchesSklearnExample)
{
    const BinaryCurves c = curves({0.1f, 0.4f, 0.35f, 0.8f}, {0, 0, 1, 1});
    expectVector(c.roc.fpr, {0, 0, 0.5, 0.5, 1});
    expectVector(c.roc.tpr, {0, 0.5, 0.5, 1, 1});
    expectVector(c.roc.thresholds,
                 {INFINITY, double(0.8f), double(0.4f), double(0.35f), double(0.1f)});
    EXPECT_DOUBLE_EQ(c.auc, 0.75);
    EXPECT_EQ(c.positives, 2);
    EXPECT_EQ(c.negatives, 2);
}

// sklearn docs: precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
//   precision [0.5, 0.667, 0.5, 1, 1], recall [1, 1, 0.5, 0.5, 0], thresholds [0.1, 0.35, 0.4, 0.8]
//   average_precision_score = 0.8333: 0.5 * 1 + 0.5 * 2/3
TEST(BinaryCurves, PrecisionRecallAndAveragePrecisionMatchSklearnExample)
{
    const BinaryCurves c = curves({0.1f, 0.4f, 0.35f, 0.8f}, {0, 0, 1, 1});
    expectVector(c.pr.precision, {0.5, 2.0 / 3.0, 0.5, 1, 1});
    expectVector(c.pr.recall, {1, 1, 0.5, 0.5, 0});
    expectVector(c.pr.thresholds, {double(0.1f), double(0.35f), double(0.4f), double(0.8f)});
    EXPECT_DOUBLE_EQ(c.averagePrecision, 0.5 + 0.5 * 2.0 / 3.0);
}

// Scores 0.9(+) 0.5(+,-,+) 0.1(-): the tie forms one threshold.
//   counts: tps [1, 3, 3], fps [0, 1, 2]; P = 3, N = 2
//   AUC = (1 * (3 + 1) + 1 * (3 + 3)) / (2 * 3 * 2) = 10/12; Mann-Whitney: (2 + 1.5 + 1.5) / 6
//   AP = (1 * 1 + 2 * 3/4) / 3 = 2.5/3
TEST(BinaryCurves, TiedScoresFormOneThreshold)
{
    const BinaryCurves c = curves({0.5f, 0.5f, 0.9f, 0.1f, 0.5f}, {1, 0, 1, 0, 1});
    expectVector(c.roc.fpr, {0, 0, 0.5, 1});
    expectVector(c.roc.tpr, {0, 1.0 / 3.0, 1, 1});
    EXPECT_DOUBLE_EQ(c.auc, 10.0 / 12.0);
    EXPECT_DOUBLE_EQ(c.averagePrecision, 2.5 / 3.0);
    expectVector(c.pr.precision, {0.6, 0.75, 1, 1});
    expectVector(c.pr.recall, {1, 1, 1.0 / 3.0, 0});
}

// A constant scorer is a random classifier: the diagonal, AUC 1/2 and AP = prevalence.
TEST(BinaryCurves, ConstantScoresGiveChanceLevel)
{
    const BinaryCurves c = curves({0.5f, 0.5f, 0.5f, 0.5f, 0.5f}, {1, 0, 0, 1, 0});
    expectVector(c.roc.fpr, {0, 1});
    expectVector(c.roc.tpr, {0, 1});
    EXPECT_DOUBLE_EQ(c.auc, 0.5);
    EXPECT_DOUBLE_EQ(c.averagePrecision, 0.4);
    expectVector(c.pr.precision, {0.4, 1});
    expectVector(c.pr.recall, {1, 0});
    expectVector(c.pr.thresholds, {double(0.5f)});
}

TEST(BinaryCurves, PerfectAndInvertedRankings)
{
    const BinaryCurves perfect = curves({0.9f, 0.8f, 0.3f, 0.2f}, {1, 1, 0, 0});
    EXPECT_DOUBLE_EQ(perfect.auc, 1.0);
    EXPECT_DOUBLE_EQ(perfect.averagePrecision, 1.0);
    const BinaryCurves inverted = curves({0.9f, 0.8f, 0.3f, 0.2f}, {0, 0, 1, 1});
    EXPECT_DOUBLE_EQ(inverted.auc, 0.0);
    // Positives found last: (1/2 * 1/3) + (1/2 * 2/4)
    EXPECT_DOUBLE_EQ(inverted.averagePrecision, 0.5 / 3.0 + 0.5 * 0.5);
}

// sklearn: roc_curve([1, 1, 0, 0], [0.9, 0.8, 0.3, 0.2]) drops the collinear (0.5, 1) point:
//   fpr [0, 0, 0, 1], tpr [0, 0.5, 1, 1], thresholds [inf, 0.9, 0.8, 0.2]
TEST(BinaryCurves, DropIntermediateRemovesCollinearPointsOnly)
{
    const BinaryCurves dropped = curves({0.9f, 0.8f, 0.3f, 0.2f}, {1, 1, 0, 0}, true);
    expectVector(dropped.roc.fpr, {0, 0, 0, 1});
    expectVector(dropped.roc.tpr, {0, 0.5, 1, 1});
    expectVector(dropped.roc.thresholds, {INFINITY, double(0.9f), double(0.8f), double(0.2f)});

    const BinaryCurves kept = curves({0.9f, 0.8f, 0.3f, 0.2f}, {1, 1, 0, 0}, false);
    expectVector(kept.roc.fpr, {0, 0, 0, 0.5, 1});
    expectVector(kept.roc.tpr, {0, 0.5, 1, 1, 1});
    EXPECT_EQ(kept.auc, dropped.auc);
}

TEST(BinaryCurves, MissingClassLeavesCurvesUndefined)
{
    const BinaryCurves noPositive = curves({0.2f, 0.7f}, {0, 0});
    EXPECT_TRUE(std::isnan(noPositive.auc));
    EXPECT_TRUE(std::isnan(noPositive.averagePrecision));
    EXPECT_TRUE(noPositive.roc.fpr.empty());
    EXPECT_TRUE(noPositive.pr.precision.empty());

    // All positive: ROC undefined, but precision is 1 everywhere so AP = 1.
    const BinaryCurves noNegative = curves({0.2f, 0.7f}, {1, 1});
    EXPECT_TRUE(std::isnan(noNegative.auc));
    EXPECT_DOUBLE_EQ(noNegative.averagePrecision, 1.0);

    const BinaryCurves empty = curves({}, {});
    EXPECT_TRUE(std::isnan(empty.auc));
}

TEST(BinaryCurves, AucEqualsMannWhitneyOnRandomSampleWithTies)
{
    std::mt19937 rng(42);
    for (int trial = 0; trial < 20; ++trial) {
        const int n = 50 + trial * 20;
        std::vector<float> scores(static_cast<size_t>(n));
        std::vector<std::uint8_t> positive(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i) {
            positive[size_t(i)] = rng() % 3 == 0;
            // Twelve levels force many ties; positives skew higher so the AUC is not 1/2.
            scores[size_t(i)] = float(rng() % 12 + (positive[size_t(i)] ? 3 : 0)) / 16.0f;
        }
        const BinaryCurves c = curves(scores, positive, trial % 2 == 0);
        EXPECT_TRUE(nearlyEqual(c.auc, mannWhitneyAuc(scores, positive), 1e-12))
            << "trial " << trial << ": " << c.auc << " vs " << mannWhitneyAuc(scores, positive);
        EXPECT_TRUE(nearlyEqual(c.auc, rankAuc(scores, positive), 1e-12));
    }
}

// Arbitrarily ordered scores: AP by brute force over distinct thresholds.
TEST(BinaryCurves, AveragePrecisionMatchesThresholdSweep)
{
    std::mt19937 rng(7);
    const int n = 300;
    std::vector<float> scores(n);
    std::vector<std::uint8_t> positive(n);
    for (int i = 0; i < n; ++i) {
        positive[size_t(i)] = rng() % 4 == 0;
        scores[size_t(i)] = float(rng() % 40) / 40.0f;
    }
    std::vector<float> thresholds(scores);
    std::sort(thresholds.begin(), thresholds.end(), std::greater<>());
    thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
    const double p = double(std::count(positive.begin(), positive.end(), 1));
    double ap = 0.0;
    double previousRecall = 0.0;
    for (float t : thresholds) {
        double tp = 0.0;
        double predicted = 0.0;
        for (int i = 0; i < n; ++i) {
            if (scores[size_t(i)] >= t) {
                predicted += 1.0;
                tp += positive[size_t(i)];
            }
        }
        ap += (tp / p - previousRecall) * (tp / predicted);
        previousRecall = tp / p;
    }
    EXPECT_TRUE(nearlyEqual(curves(scores, positive).averagePrecision, ap, 1e-12));
}

TEST(BinaryCurves, ThinningCapsPointsAndKeepsEndsAndAuc)
{
    std::mt19937 rng(3);
    const int n = 20000;
    std::vector<float> scores(n);
    std::vector<std::uint8_t> positive(n);
    std::normal_distribution<float> noise(0.0f, 1.0f);
    for (int i = 0; i < n; ++i) {
        positive[size_t(i)] = rng() % 2;
        scores[size_t(i)] = noise(rng) + (positive[size_t(i)] ? 1.0f : 0.0f);
    }
    const BinaryCurves full = curves(scores, positive, false, 0);
    const BinaryCurves thin = curves(scores, positive, false, 100);
    ASSERT_GT(full.roc.fpr.size(), 1000u);
    EXPECT_LE(thin.roc.fpr.size(), 100u);
    EXPECT_GE(thin.roc.fpr.size(), 90u);
    EXPECT_EQ(thin.roc.fpr.size(), thin.roc.thresholds.size());
    EXPECT_EQ(thin.roc.fpr.front(), 0.0);
    EXPECT_EQ(thin.roc.tpr.front(), 0.0);
    EXPECT_EQ(thin.roc.fpr.back(), 1.0);
    EXPECT_EQ(thin.roc.tpr.back(), 1.0);
    EXPECT_TRUE(std::is_sorted(thin.roc.fpr.begin(), thin.roc.fpr.end()));
    EXPECT_EQ(thin.auc, full.auc);
    EXPECT_EQ(thin.averagePrecision, full.averagePrecision);

    EXPECT_LE(thin.pr.precision.size(), 100u);
    EXPECT_EQ(thin.pr.thresholds.size() + 1, thin.pr.precision.size());
    EXPECT_EQ(thin.pr.recall.back(), 0.0);
    EXPECT_EQ(thin.pr.precision.back(), 1.0);
    EXPECT_EQ(thin.pr.recall.front(), 1.0);
    EXPECT_EQ(thin.pr.thresholds.front(), full.pr.thresholds.front());
}

// A million rows with heavy ties: must agree with the rank formula and run in about a second.
TEST(BinaryCurves, MillionRowsMatchRankFormula)
{
    std::mt19937 rng(11);
    const int n = 1000000;
    std::vector<float> scores(n);
    std::vector<std::uint8_t> positive(n);
    for (int i = 0; i < n; ++i) {
        positive[size_t(i)] = rng() % 5 == 0;
        scores[size_t(i)] = float(rng() % 1000 + (positive[size_t(i)] ? 200 : 0)) / 1200.0f;
    }
    const BinaryCurves c = curves(scores, positive, true, 1000);
    EXPECT_TRUE(nearlyEqual(c.auc, rankAuc(scores, positive), 1e-12));
    EXPECT_LE(c.roc.fpr.size(), 1000u);
}
