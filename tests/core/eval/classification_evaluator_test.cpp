// SPDX-License-Identifier: MIT
// Classification metrics on small cases computed by hand, each following scikit-learn's
// definition (expected values worked out in the comments).

#include "eval/classification_evaluator.h"

#include "test_support.h"

#include <cmath>
#include <random>

using namespace mlwb;
using mlwb::test::nearlyEqual;

namespace {

QStringList names(int k)
{
    QStringList out;
    for (int i = 0; i < k; ++i)
        out.append(QStringLiteral("c%1").arg(i));
    return out;
}

// Rows that put `high` on the predicted class and share the rest equally.
std::vector<float> rowsPredicting(const std::vector<int> &predicted, int k, float high = 0.6f)
{
    std::vector<float> p;
    for (int cls : predicted) {
        for (int c = 0; c < k; ++c)
            p.push_back(c == cls ? high : (1.0f - high) / float(k - 1));
    }
    return p;
}

ClassificationResult evaluateOrFail(const std::vector<float> &p, const std::vector<qint64> &y,
                                    const QStringList &classNames)
{
    Result<ClassificationResult> r = ClassificationEvaluator::evaluate(p, y, classNames);
    EXPECT_TRUE(r.ok()) << qPrintable(r.ok() ? QString() : r.error());
    return r.ok() ? std::move(r).value() : ClassificationResult{};
}

} // namespace

TEST(ClassificationEvaluator, PerfectClassifier)
{
    // One-hot probabilities, three classes.
    const std::vector<qint64> y{0, 1, 2, 2, 1, 0};
    std::vector<float> p;
    for (qint64 label : y) {
        for (int c = 0; c < 3; ++c)
            p.push_back(c == label ? 1.0f : 0.0f);
    }
    const ClassificationResult r = evaluateOrFail(p, y, names(3));
    EXPECT_EQ(r.n, 6);
    EXPECT_DOUBLE_EQ(r.accuracy, 1.0);
    EXPECT_DOUBLE_EQ(r.balancedAccuracy, 1.0);
    EXPECT_DOUBLE_EQ(r.f1Macro, 1.0);
    EXPECT_DOUBLE_EQ(r.f1Weighted, 1.0);
    EXPECT_DOUBLE_EQ(r.rocAuc, 1.0);
    EXPECT_DOUBLE_EQ(r.averagePrecision, 1.0);
    EXPECT_NEAR(r.logLoss, 0.0, 1e-14); // -log(1 - 2^-52)
    EXPECT_DOUBLE_EQ(r.ece, 0.0);
    for (int t = 0; t < 3; ++t) {
        for (int q = 0; q < 3; ++q)
            EXPECT_EQ(r.confusionAt(t, q), t == q ? 2 : 0);
    }
    EXPECT_EQ(r.predictions, std::vector<qint64>(y.begin(), y.end()));
    EXPECT_EQ(r.calibration.size(), 10u);
    EXPECT_EQ(r.calibration[9].count, 6);
}

// sklearn classification_report docs: y_true [0, 1, 2, 2, 2], y_pred [0, 0, 2, 2, 1]
//   precision [0.5, 0, 1], recall [1, 0, 0.667], f1 [0.667, 0, 0.8], support [1, 1, 3]
//   accuracy 0.6; macro p 0.5, r 0.556, f1 0.489; weighted p 0.7, r 0.6, f1 0.613
TEST(ClassificationEvaluator, SklearnClassificationReportExample)
{
    const ClassificationResult r =
        evaluateOrFail(rowsPredicting({0, 0, 2, 2, 1}, 3), {0, 1, 2, 2, 2}, names(3));
    EXPECT_DOUBLE_EQ(r.perClass[0].precision, 0.5);
    EXPECT_DOUBLE_EQ(r.perClass[1].precision, 0.0);
    EXPECT_DOUBLE_EQ(r.perClass[2].precision, 1.0);
    EXPECT_DOUBLE_EQ(r.perClass[0].recall, 1.0);
    EXPECT_DOUBLE_EQ(r.perClass[1].recall, 0.0);
    EXPECT_DOUBLE_EQ(r.perClass[2].recall, 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(r.perClass[0].f1, 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(r.perClass[1].f1, 0.0);
    EXPECT_DOUBLE_EQ(r.perClass[2].f1, 0.8);
    EXPECT_EQ(r.perClass[2].support, 3);
    EXPECT_DOUBLE_EQ(r.accuracy, 0.6);
    EXPECT_DOUBLE_EQ(r.precisionMacro, 0.5);
    EXPECT_DOUBLE_EQ(r.recallMacro, 5.0 / 9.0);
    EXPECT_DOUBLE_EQ(r.f1Macro, (2.0 / 3.0 + 0.8) / 3.0);
    EXPECT_DOUBLE_EQ(r.precisionWeighted, 0.7);
    EXPECT_DOUBLE_EQ(r.recallWeighted, 0.6);
    EXPECT_DOUBLE_EQ(r.f1Weighted, (2.0 / 3.0 + 3 * 0.8) / 5.0);
    EXPECT_DOUBLE_EQ(r.balancedAccuracy, 5.0 / 9.0);
    EXPECT_EQ(r.confusionAt(1, 0), 1); // true 1 predicted 0
    EXPECT_EQ(r.confusionAt(2, 1), 1);
    EXPECT_EQ(r.confusionAt(2, 2), 2);
}

// Eight of class 0, two of class 1, always predicting 0:
//   class 0: p 0.8, r 1, f1 16/18; class 1: all 0 (zero_division=0)
//   macro f1 = 0.444, weighted f1 = 0.8 * 0.889 = 0.711; balanced accuracy 0.5, accuracy 0.8
TEST(ClassificationEvaluator, WeightedVersusMacroUnderImbalance)
{
    std::vector<qint64> y(8, 0);
    y.push_back(1);
    y.push_back(1);
    const ClassificationResult r =
        evaluateOrFail(rowsPredicting(std::vector<int>(10, 0), 2, 0.7f), y, names(2));
    EXPECT_DOUBLE_EQ(r.accuracy, 0.8);
    EXPECT_DOUBLE_EQ(r.balancedAccuracy, 0.5);
    EXPECT_DOUBLE_EQ(r.f1Macro, 16.0 / 18.0 / 2.0);
    EXPECT_DOUBLE_EQ(r.f1Weighted, 0.8 * 16.0 / 18.0);
    EXPECT_DOUBLE_EQ(r.precisionMacro, 0.4);
    EXPECT_DOUBLE_EQ(r.precisionWeighted, 0.64);
    EXPECT_DOUBLE_EQ(r.recallMacro, 0.5);
    EXPECT_DOUBLE_EQ(r.recallWeighted, 0.8);
    // Every row has the same scores: chance-level ranking.
    EXPECT_DOUBLE_EQ(r.rocAuc, 0.5);
    EXPECT_DOUBLE_EQ(r.averagePrecision, 0.2);
}

// sklearn docs: balanced_accuracy_score([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1]) = 0.625
TEST(ClassificationEvaluator, BalancedAccuracySklearnExample)
{
    const ClassificationResult r =
        evaluateOrFail(rowsPredicting({0, 1, 0, 0, 0, 1}, 2), {0, 1, 0, 0, 1, 0}, names(2));
    EXPECT_DOUBLE_EQ(r.balancedAccuracy, 0.625);
}

// sklearn docs: log_loss(["spam", "ham", "ham", "spam"],
//                        [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]) = 0.21616...
//   = -(ln .9 + ln .9 + ln .8 + ln .65) / 4
TEST(ClassificationEvaluator, LogLossSklearnExample)
{
    const ClassificationResult r =
        evaluateOrFail({0.1f, 0.9f, 0.9f, 0.1f, 0.8f, 0.2f, 0.35f, 0.65f}, {1, 0, 0, 1},
                       {QStringLiteral("ham"), QStringLiteral("spam")});
    EXPECT_NEAR(r.logLoss, 0.21616187468057912, 1e-7);
}

TEST(ClassificationEvaluator, LogLossClipsZeroProbability)
{
    // Second row gives the true class probability 0: clipped to float64's eps 2^-52 like sklearn's
    // eps="auto", -ln(2^-52) = 36.0437. sklearn 1.2: log_loss([0, 1], [[1, 0], [1, 0]])
    // = 18.021826694558577.
    const ClassificationResult r = evaluateOrFail({1.0f, 0.0f, 1.0f, 0.0f}, {0, 1}, names(2));
    EXPECT_NEAR(r.logLoss, 18.021826694558577, 1e-12);
}

// sklearn's log_loss renormalises each row after clipping, so a row summing to 1.0004 (within
// the evaluator's tolerance) scores -ln(0.5 / 1.0004), not -ln(0.5). sklearn 1.2:
// log_loss([0, 1], [[0.5, 0.5004], [0.3, 0.7]]) = 0.5251110222600024 (with the float inputs'
// exact values below).
TEST(ClassificationEvaluator, LogLossRenormalisesRowsLikeSklearn)
{
    const ClassificationResult r =
        evaluateOrFail({0.5f, 0.5004f, 0.3f, 0.7f}, {0, 1}, names(2));
    const double expected = -(std::log(0.5 / (0.5 + double(0.5004f)))
                              + std::log(double(0.7f) / (double(0.3f) + double(0.7f))))
        / 2.0;
    EXPECT_NEAR(expected, 0.5251110222600024, 1e-7); // the float rounding of 0.5004 and 0.7
    EXPECT_NEAR(r.logLoss, expected, 1e-15);
}

// Top-class confidences 0.92 (right) and 0.96 (wrong) share bin (0.9, 1]: mean 0.94, accuracy
// 0.5; 0.65 (right) is alone in (0.6, 0.7]; 0.55 (wrong) alone in (0.5, 0.6].
//   ECE = 2/4 * 0.44 + 1/4 * 0.35 + 1/4 * 0.55 = 0.445
TEST(ClassificationEvaluator, CalibrationBinsAndEce)
{
    const ClassificationResult r = evaluateOrFail(
        {0.92f, 0.08f, 0.96f, 0.04f, 0.35f, 0.65f, 0.45f, 0.55f}, {0, 1, 1, 0}, names(2));
    EXPECT_NEAR(r.ece, 0.445, 1e-6);
    ASSERT_EQ(r.calibration.size(), 10u);
    EXPECT_EQ(r.calibration[9].count, 2);
    EXPECT_NEAR(r.calibration[9].meanConfidence, 0.94, 1e-6);
    EXPECT_DOUBLE_EQ(r.calibration[9].accuracy, 0.5);
    EXPECT_EQ(r.calibration[6].count, 1);
    EXPECT_EQ(r.calibration[5].count, 1);
    EXPECT_EQ(r.calibration[0].count, 0);
    EXPECT_TRUE(std::isnan(r.calibration[0].meanConfidence));
    EXPECT_DOUBLE_EQ(r.calibration[6].lower, 0.6);
    EXPECT_DOUBLE_EQ(r.calibration[6].upper, 0.7);
}

TEST(ClassificationEvaluator, BinaryAucIsPositiveClass)
{
    // Class 1 scores are sklearn's example [0.1, 0.4, 0.35, 0.8] with y [0, 0, 1, 1]: AUC 0.75.
    const std::vector<float> positive{0.1f, 0.4f, 0.35f, 0.8f};
    Result<ClassificationResult> r = ClassificationEvaluator::evaluateBinary(
        positive, std::vector<qint64>{0, 0, 1, 1}, names(2));
    ASSERT_TRUE(r.ok()) << qPrintable(r.error());
    EXPECT_DOUBLE_EQ(r->rocAuc, 0.75);
    EXPECT_DOUBLE_EQ(r->averagePrecision, 0.5 + 0.5 * 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(r->perClass[1].rocAuc, 0.75);
    EXPECT_EQ(r->perClass[1].roc.fpr.size(), 5u);
    // Argmax at 0.5 threshold: predicted [0, 0, 0, 1].
    EXPECT_DOUBLE_EQ(r->accuracy, 0.75);
}

TEST(ClassificationEvaluator, AbsentClassIsExcludedFromMacroAuc)
{
    // Three classes, class 2 never occurs in the labels nor wins the argmax.
    const std::vector<float> p{0.7f, 0.2f, 0.1f, 0.3f, 0.6f, 0.1f, 0.6f, 0.3f, 0.1f,
                               0.2f, 0.5f, 0.3f};
    const std::vector<qint64> y{0, 1, 1, 0};
    const ClassificationResult r = evaluateOrFail(p, y, names(3));
    EXPECT_TRUE(std::isnan(r.perClass[2].rocAuc));
    EXPECT_TRUE(std::isnan(r.perClass[2].averagePrecision));
    EXPECT_TRUE(r.perClass[2].roc.fpr.empty());
    EXPECT_EQ(r.perClass[2].support, 0);
    EXPECT_DOUBLE_EQ(r.perClass[2].precision, 0.0);
    EXPECT_DOUBLE_EQ(r.perClass[2].f1, 0.0);
    ASSERT_FALSE(std::isnan(r.perClass[0].rocAuc));
    EXPECT_DOUBLE_EQ(r.rocAuc, (r.perClass[0].rocAuc + r.perClass[1].rocAuc) / 2.0);
    EXPECT_DOUBLE_EQ(r.averagePrecision,
                     (r.perClass[0].averagePrecision + r.perClass[1].averagePrecision) / 2.0);
    // Class 0 scores: 0.7(+) 0.6(-) 0.3(-) 0.2(+): pairs won 2 of 4 -> 0.5.
    EXPECT_DOUBLE_EQ(r.perClass[0].rocAuc, 0.5);
    // Predicted [0, 1, 0, 1]: recall 0.5 each; balanced accuracy over present classes only.
    EXPECT_DOUBLE_EQ(r.balancedAccuracy, 0.5);
    // Class 2 is in neither the labels nor the predictions, so the macro averages leave it out
    // like sklearn's recall_score(average="macro") = 0.5 (not 1/3).
    EXPECT_DOUBLE_EQ(r.recallMacro, 0.5);
    EXPECT_DOUBLE_EQ(r.precisionMacro, 0.5);
    EXPECT_DOUBLE_EQ(r.f1Macro, 0.5);
}

// Four classes: c2 is predicted once but never the label, c3 is neither. sklearn 1.2 with its
// default labels (unique_labels(y_true, y_pred) = {0, 1, 2}), y_true [0, 0, 1, 1, 1, 0],
// y_pred [0, 2, 0, 1, 1, 0]:
//   precision [2/3, 1, 0], recall [2/3, 2/3, 0], f1 [2/3, 0.8, 0]
//   macro p 0.5555555555555555, r 0.4444444444444444, f1 0.48888888888888893
//   weighted p 0.8333333333333334, r 0.6666666666666666, f1 0.7333333333333334
//   balanced accuracy 0.6666666666666666 (classes of y_true only)
TEST(ClassificationEvaluator, MacroAveragesLeaveOutClassesAbsentFromLabelsAndPredictions)
{
    const ClassificationResult r =
        evaluateOrFail(rowsPredicting({0, 2, 0, 1, 1, 0}, 4), {0, 0, 1, 1, 1, 0}, names(4));
    ASSERT_EQ(r.perClass.size(), 4u) << "every class is still listed";
    EXPECT_EQ(r.perClass[3].support, 0);
    EXPECT_DOUBLE_EQ(r.perClass[3].precision, 0.0);
    EXPECT_DOUBLE_EQ(r.perClass[2].precision, 0.0); // predicted once, wrongly
    EXPECT_DOUBLE_EQ(r.perClass[1].f1, 0.8);
    EXPECT_NEAR(r.precisionMacro, 0.5555555555555555, 1e-15);
    EXPECT_NEAR(r.recallMacro, 0.4444444444444444, 1e-15);
    EXPECT_NEAR(r.f1Macro, 0.48888888888888893, 1e-15);
    EXPECT_NEAR(r.precisionWeighted, 0.8333333333333334, 1e-15);
    EXPECT_NEAR(r.recallWeighted, 0.6666666666666666, 1e-15);
    EXPECT_NEAR(r.f1Weighted, 0.7333333333333334, 1e-15);
    EXPECT_NEAR(r.balancedAccuracy, 0.6666666666666666, 1e-15);
}

TEST(ClassificationEvaluator, RandomClassifierIsNearChance)
{
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    const int n = 20000;
    const int k = 4;
    std::vector<float> p;
    std::vector<qint64> y;
    for (int i = 0; i < n; ++i) {
        float row[k];
        float sum = 0.0f;
        for (float &v : row) {
            v = u(rng);
            sum += v;
        }
        for (float v : row)
            p.push_back(v / sum);
        y.push_back(qint64(rng() % k));
    }
    const ClassificationResult r = evaluateOrFail(p, y, names(k));
    EXPECT_NEAR(r.accuracy, 0.25, 0.02);
    EXPECT_NEAR(r.rocAuc, 0.5, 0.02);
    EXPECT_NEAR(r.averagePrecision, 0.25, 0.02);
    EXPECT_GT(r.ece, 0.1); // confident-looking tops, right a quarter of the time
}

TEST(ClassificationEvaluator, BatchesGiveTheSameReport)
{
    const std::vector<float> p = rowsPredicting({0, 0, 2, 2, 1, 1}, 3);
    const std::vector<qint64> y{0, 1, 2, 2, 2, 1};
    const ClassificationResult once = evaluateOrFail(p, y, names(3));

    ClassificationEvaluator evaluator(names(3));
    ASSERT_TRUE(evaluator.addBatch(std::span(p).first(6), std::span(y).first(2)).ok());
    // A bad batch is rejected whole, with the row counted across batches.
    const std::vector<qint64> bad{2, 7};
    const Status rejected = evaluator.addBatch(std::span(p).subspan(6, 6), bad);
    ASSERT_FALSE(rejected.ok());
    EXPECT_TRUE(rejected.error().contains(QStringLiteral("row 3"))) << qPrintable(rejected.error());
    EXPECT_EQ(evaluator.rowCount(), 2);
    ASSERT_TRUE(evaluator.addBatch(std::span(p).subspan(6), std::span(y).subspan(2)).ok());
    Result<ClassificationResult> batched = evaluator.finish();
    ASSERT_TRUE(batched.ok());
    EXPECT_EQ(batched->flatMetrics(), once.flatMetrics());
    EXPECT_EQ(batched->confusion, once.confusion);
}

TEST(ClassificationEvaluator, RejectsBadInput)
{
    const std::vector<float> p{0.5f, 0.5f};
    EXPECT_FALSE(ClassificationEvaluator::evaluate({}, {}, names(2)).ok());
    EXPECT_FALSE(ClassificationEvaluator(names(2)).finish().ok());
    EXPECT_FALSE(ClassificationEvaluator::evaluate(p, std::vector<qint64>{0}, names(1)).ok());
    EXPECT_FALSE(ClassificationEvaluator::evaluate(p, std::vector<qint64>{0, 1}, names(2)).ok());

    const auto error = [](std::vector<float> probs, std::vector<qint64> labels) {
        Result<ClassificationResult> r = ClassificationEvaluator::evaluate(probs, labels, names(2));
        EXPECT_FALSE(r.ok());
        return r.ok() ? QString() : r.error();
    };
    EXPECT_TRUE(error({0.5f, 0.5f, 0.2f, 0.8f}, {0, 2}).contains(QStringLiteral("row 1")));
    EXPECT_TRUE(error({0.5f, 0.5f, NAN, 0.8f}, {0, 1}).contains(QStringLiteral("row 1")));
    EXPECT_TRUE(error({2.5f, -1.0f}, {0}).contains(QStringLiteral("logits")));
    EXPECT_TRUE(error({0.5f, 0.6f}, {0}).contains(QStringLiteral("sum")));
    EXPECT_TRUE(error({0.5f, 0.5f}, {-1}).contains(QStringLiteral("label -1")));
}

TEST(ClassificationEvaluator, FlatMetricsOrderIsTheContract)
{
    const ClassificationResult r = evaluateOrFail(rowsPredicting({0, 1}, 2), {0, 1}, names(2));
    QStringList order;
    for (const auto &[name, value] : r.flatMetrics())
        order.append(name);
    const QStringList expected{
        QStringLiteral("accuracy"),          QStringLiteral("balanced_accuracy"),
        QStringLiteral("precision_macro"),   QStringLiteral("recall_macro"),
        QStringLiteral("f1_macro"),          QStringLiteral("precision_weighted"),
        QStringLiteral("recall_weighted"),   QStringLiteral("f1_weighted"),
        QStringLiteral("log_loss"),          QStringLiteral("roc_auc"),
        QStringLiteral("average_precision"), QStringLiteral("ece")};
    EXPECT_EQ(order, expected);
    EXPECT_EQ(ClassificationResult::metricNames(), expected);
}

TEST(ClassificationEvaluator, MillionRowsTenClasses)
{
    std::mt19937 rng(9);
    const int n = 1000000;
    const int k = 10;
    std::vector<float> p(size_t(n) * k);
    std::vector<qint64> y(n);
    for (int i = 0; i < n; ++i) {
        y[size_t(i)] = qint64(rng() % k);
        float sum = 0.0f;
        for (int c = 0; c < k; ++c) {
            const float v = float(rng() % 100 + (c == y[size_t(i)] ? 60 : 0));
            p[size_t(i) * k + c] = v;
            sum += v;
        }
        for (int c = 0; c < k; ++c)
            p[size_t(i) * k + c] /= sum;
    }
    Result<ClassificationResult> r = ClassificationEvaluator::evaluate(p, y, names(k));
    ASSERT_TRUE(r.ok());
    EXPECT_GT(r->rocAuc, 0.6);
    for (const ClassMetrics &c : r->perClass)
        EXPECT_LE(c.roc.fpr.size(), 1000u);
}
