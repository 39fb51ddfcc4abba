// SPDX-License-Identifier: MIT
// Reports survive the trip through JSON text (as stored in the project file), NaN and infinity
// included, and damaged JSON is refused with the path of the bad field.

#include "eval/classification_evaluator.h"
#include "eval/regression_evaluator.h"
#include "eval/evaluation_json.h"

#include "test_support.h"

#include <QJsonDocument>

#include <cmath>

using namespace mlwb;

namespace {

QJsonObject throughText(const QJsonObject &json)
{
    const QByteArray text = QJsonDocument(json).toJson(QJsonDocument::Compact);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    EXPECT_EQ(error.error, QJsonParseError::NoError) << qPrintable(error.errorString());
    return doc.object();
}

// NaN-aware equality: the undefined metrics must come back undefined.
bool same(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

bool same(const std::vector<double> &a, const std::vector<double> &b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (!same(a[i], b[i]))
            return false;
    }
    return true;
}

ClassificationResult sampleClassification()
{
    // Three classes, class 2 absent from the labels: NaN AUC and AP to carry through.
    const std::vector<float> p{0.7f, 0.2f, 0.1f, 0.3f, 0.6f, 0.1f, 0.6f, 0.3f, 0.1f,
                               0.2f, 0.5f, 0.3f, 0.15f, 0.8f, 0.05f};
    const std::vector<qint64> y{0, 1, 1, 0, 1};
    Result<ClassificationResult> r = ClassificationEvaluator::evaluate(
        p, y, {QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("émeu")});
    EXPECT_TRUE(r.ok());
    return std::move(r).value();
}

} // namespace

TEST(EvaluationJson, ClassificationRoundTrip)
{
    const ClassificationResult original = sampleClassification();
    const QJsonObject json = throughText(original.toJson());
    EXPECT_FALSE(json.contains(QStringLiteral("predictions")));
    EXPECT_TRUE(json.value(QStringLiteral("metrics")).toObject().contains(QStringLiteral("roc_auc")));

    Result<ClassificationResult> back = ClassificationResult::fromJson(json);
    ASSERT_TRUE(back.ok()) << qPrintable(back.error());
    EXPECT_EQ(back->n, original.n);
    EXPECT_EQ(back->classNames, original.classNames);
    const auto a = original.flatMetrics();
    const auto b = back->flatMetrics();
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].first, b[i].first);
        EXPECT_TRUE(same(a[i].second, b[i].second)) << qPrintable(a[i].first);
    }
    EXPECT_EQ(back->confusion, original.confusion);
    ASSERT_EQ(back->perClass.size(), 3u);
    for (size_t c = 0; c < 3; ++c) {
        const ClassMetrics &x = original.perClass[c];
        const ClassMetrics &z = back->perClass[c];
        EXPECT_EQ(z.name, x.name);
        EXPECT_EQ(z.support, x.support);
        EXPECT_TRUE(same(z.f1, x.f1));
        EXPECT_TRUE(same(z.rocAuc, x.rocAuc));
        EXPECT_TRUE(same(z.averagePrecision, x.averagePrecision));
        EXPECT_TRUE(same(z.roc.fpr, x.roc.fpr));
        EXPECT_TRUE(same(z.roc.tpr, x.roc.tpr));
        EXPECT_TRUE(same(z.roc.thresholds, x.roc.thresholds));
        EXPECT_TRUE(same(z.pr.precision, x.pr.precision));
        EXPECT_TRUE(same(z.pr.thresholds, x.pr.thresholds));
    }
    EXPECT_TRUE(std::isnan(back->perClass[2].rocAuc));
    EXPECT_TRUE(std::isinf(back->perClass[0].roc.thresholds.front()));
    ASSERT_EQ(back->calibration.size(), original.calibration.size());
    for (size_t i = 0; i < original.calibration.size(); ++i) {
        EXPECT_EQ(back->calibration[i].count, original.calibration[i].count);
        EXPECT_TRUE(same(back->calibration[i].meanConfidence,
                         original.calibration[i].meanConfidence));
    }
    EXPECT_TRUE(back->predictions.empty());
}

TEST(EvaluationJson, ClassificationRowsOnRequest)
{
    const ClassificationResult original = sampleClassification();
    Result<ClassificationResult> back =
        ClassificationResult::fromJson(throughText(original.toJson(ResultRows::Include)));
    ASSERT_TRUE(back.ok()) << qPrintable(back.error());
    EXPECT_EQ(back->predictions, original.predictions);
    EXPECT_EQ(back->confidences, original.confidences);
}

TEST(EvaluationJson, RegressionRoundTrip)
{
    Result<RegressionResult> original = RegressionEvaluator::evaluate(
        std::vector<double>{2.5, 0.0, 2, 8}, std::vector<double>{3, -0.5, 2, 7});
    ASSERT_TRUE(original.ok());
    Result<RegressionResult> back = RegressionResult::fromJson(throughText(original->toJson()));
    ASSERT_TRUE(back.ok()) << qPrintable(back.error());
    EXPECT_EQ(back->flatMetrics(), original->flatMetrics());
    ASSERT_EQ(back->residuals.size(), 4u);
    EXPECT_EQ(back->residuals[1].residual, -0.5);
    EXPECT_EQ(back->histogram.counts, original->histogram.counts);
    EXPECT_EQ(back->histogram.lower, original->histogram.lower);

    // A single row has an undefined R^2, stored as "NaN".
    Result<RegressionResult> one =
        RegressionEvaluator::evaluate(std::vector<double>{1}, std::vector<double>{2});
    ASSERT_TRUE(one.ok());
    const QJsonObject json = throughText(one->toJson());
    EXPECT_EQ(json.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("r2")).toString(),
              QStringLiteral("NaN"));
    Result<RegressionResult> oneBack = RegressionResult::fromJson(json);
    ASSERT_TRUE(oneBack.ok());
    EXPECT_TRUE(std::isnan(oneBack->r2));
}

TEST(EvaluationJson, DamagedJsonNamesTheField)
{
    QJsonObject json = sampleClassification().toJson();
    QJsonArray classes = json.value(QStringLiteral("per_class")).toArray();
    QJsonObject second = classes.at(1).toObject();
    QJsonObject roc = second.value(QStringLiteral("roc")).toObject();
    roc.insert(QStringLiteral("tpr"), QJsonArray{0.0, QStringLiteral("high")});
    second.insert(QStringLiteral("roc"), roc);
    classes.replace(1, second);
    json.insert(QStringLiteral("per_class"), classes);
    Result<ClassificationResult> r = ClassificationResult::fromJson(json);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains(QStringLiteral("per_class[1].roc.tpr[1]"))) << qPrintable(r.error());

    QJsonObject noMetric = sampleClassification().toJson();
    QJsonObject metrics = noMetric.value(QStringLiteral("metrics")).toObject();
    metrics.remove(QStringLiteral("ece"));
    noMetric.insert(QStringLiteral("metrics"), metrics);
    Result<ClassificationResult> missing = ClassificationResult::fromJson(noMetric);
    ASSERT_FALSE(missing.ok());
    EXPECT_TRUE(missing.error().contains(QStringLiteral("metrics.ece: missing")))
        << qPrintable(missing.error());

    Result<RegressionResult> wrongKind = RegressionResult::fromJson(sampleClassification().toJson());
    ASSERT_FALSE(wrongKind.ok());
    EXPECT_TRUE(wrongKind.error().contains(QStringLiteral("kind")));

    QJsonObject badMatrix = sampleClassification().toJson();
    badMatrix.insert(QStringLiteral("confusion_matrix"), QJsonArray{QJsonArray{1, 2}});
    EXPECT_FALSE(ClassificationResult::fromJson(badMatrix).ok());
}

TEST(EvaluationJson, NonFiniteNumbers)
{
    EXPECT_EQ(EvaluationJson::fromNumber(NAN).toString(), QStringLiteral("NaN"));
    EXPECT_EQ(EvaluationJson::fromNumber(INFINITY).toString(), QStringLiteral("Infinity"));
    EXPECT_EQ(EvaluationJson::fromNumber(-INFINITY).toString(), QStringLiteral("-Infinity"));
    EXPECT_EQ(EvaluationJson::fromNumber(0.25).toDouble(), 0.25);
}

TEST(EvaluationJson, ReadsNonFiniteNumbersOfEveryStoredForm)
{
    // Reports stored before schema 4 wrote NaN as null and infinities as "inf" / "-inf".
    QJsonObject json = sampleClassification().toJson();
    QJsonObject metrics = json.value(QStringLiteral("metrics")).toObject();
    metrics.insert(QStringLiteral("log_loss"), QStringLiteral("Infinity"));
    metrics.insert(QStringLiteral("ece"), QJsonValue(QJsonValue::Null));
    json.insert(QStringLiteral("metrics"), metrics);
    Result<ClassificationResult> r = ClassificationResult::fromJson(throughText(json));
    ASSERT_TRUE(r.ok()) << qPrintable(r.error());
    EXPECT_TRUE(std::isinf(r->logLoss) && r->logLoss > 0);
    EXPECT_TRUE(std::isnan(r->ece));
    metrics.insert(QStringLiteral("log_loss"), QStringLiteral("-inf"));
    json.insert(QStringLiteral("metrics"), metrics);
    EXPECT_TRUE(ClassificationResult::fromJson(json).ok());
    metrics.insert(QStringLiteral("log_loss"), QStringLiteral("lots"));
    json.insert(QStringLiteral("metrics"), metrics);
    EXPECT_FALSE(ClassificationResult::fromJson(json).ok());
}
