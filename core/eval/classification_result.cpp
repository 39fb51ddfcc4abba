// SPDX-License-Identifier: MIT
#include "eval/classification_result.h"

#include "eval/evaluation_json.h"

#include <QJsonArray>

namespace mlwb {

namespace {

const QString kKind = QStringLiteral("classification");

// The report fields behind the flat metric names, in contract order.
struct MetricField {
    const char *name;
    double ClassificationResult::*field;
};

constexpr MetricField kMetricFields[] = {
    {"accuracy", &ClassificationResult::accuracy},
    {"balanced_accuracy", &ClassificationResult::balancedAccuracy},
    {"precision_macro", &ClassificationResult::precisionMacro},
    {"recall_macro", &ClassificationResult::recallMacro},
    {"f1_macro", &ClassificationResult::f1Macro},
    {"precision_weighted", &ClassificationResult::precisionWeighted},
    {"recall_weighted", &ClassificationResult::recallWeighted},
    {"f1_weighted", &ClassificationResult::f1Weighted},
    {"log_loss", &ClassificationResult::logLoss},
    {"roc_auc", &ClassificationResult::rocAuc},
    {"average_precision", &ClassificationResult::averagePrecision},
    {"ece", &ClassificationResult::ece},
};

QJsonObject rocToJson(const RocCurve &roc)
{
    return QJsonObject{{QStringLiteral("fpr"), EvaluationJson::fromNumbers(roc.fpr)},
                       {QStringLiteral("tpr"), EvaluationJson::fromNumbers(roc.tpr)},
                       {QStringLiteral("thresholds"), EvaluationJson::fromNumbers(roc.thresholds)}};
}

QJsonObject prToJson(const PrCurve &pr)
{
    return QJsonObject{{QStringLiteral("precision"), EvaluationJson::fromNumbers(pr.precision)},
                       {QStringLiteral("recall"), EvaluationJson::fromNumbers(pr.recall)},
                       {QStringLiteral("thresholds"), EvaluationJson::fromNumbers(pr.thresholds)}};
}

RocCurve rocFromJson(EvaluationJson &in, const QJsonObject &json, const QString &path)
{
    RocCurve roc;
    roc.fpr = in.numbers(json, QStringLiteral("fpr"), path);
    roc.tpr = in.numbers(json, QStringLiteral("tpr"), path);
    roc.thresholds = in.numbers(json, QStringLiteral("thresholds"), path);
    if (in.ok() && (roc.tpr.size() != roc.fpr.size() || roc.thresholds.size() != roc.fpr.size()))
        in.fail(path, QStringLiteral("fpr, tpr and thresholds differ in length"));
    return roc;
}

PrCurve prFromJson(EvaluationJson &in, const QJsonObject &json, const QString &path)
{
    PrCurve pr;
    pr.precision = in.numbers(json, QStringLiteral("precision"), path);
    pr.recall = in.numbers(json, QStringLiteral("recall"), path);
    pr.thresholds = in.numbers(json, QStringLiteral("thresholds"), path);
    const size_t m = pr.precision.size();
    if (in.ok() && (pr.recall.size() != m || pr.thresholds.size() + (m ? 1 : 0) != m))
        in.fail(path, QStringLiteral("expected precision and recall of equal length and one "
                                     "threshold fewer"));
    return pr;
}

} // namespace

QStringList ClassificationResult::metricNames()
{
    QStringList names;
    for (const MetricField &m : kMetricFields)
        names.append(QString::fromLatin1(m.name));
    return names;
}

std::vector<std::pair<QString, double>> ClassificationResult::flatMetrics() const
{
    std::vector<std::pair<QString, double>> out;
    out.reserve(std::size(kMetricFields));
    for (const MetricField &m : kMetricFields)
        out.emplace_back(QString::fromLatin1(m.name), this->*m.field);
    return out;
}

QJsonObject ClassificationResult::toJson(ResultRows rows) const
{
    QJsonObject metrics;
    for (const auto &[name, value] : flatMetrics())
        metrics.insert(name, EvaluationJson::fromNumber(value));

    QJsonArray classes;
    for (const ClassMetrics &c : perClass) {
        classes.append(QJsonObject{
            {QStringLiteral("name"), c.name},
            {QStringLiteral("precision"), EvaluationJson::fromNumber(c.precision)},
            {QStringLiteral("recall"), EvaluationJson::fromNumber(c.recall)},
            {QStringLiteral("f1"), EvaluationJson::fromNumber(c.f1)},
            {QStringLiteral("support"), c.support},
            {QStringLiteral("roc_auc"), EvaluationJson::fromNumber(c.rocAuc)},
            {QStringLiteral("average_precision"), EvaluationJson::fromNumber(c.averagePrecision)},
            {QStringLiteral("roc"), rocToJson(c.roc)},
            {QStringLiteral("pr"), prToJson(c.pr)},
        });
    }

    QJsonArray matrix;
    const size_t k = size_t(classCount());
    for (size_t t = 0; t < k && confusion.size() == k * k; ++t) {
        QJsonArray row;
        for (size_t p = 0; p < k; ++p)
            row.append(confusion[t * k + p]);
        matrix.append(row);
    }

    std::vector<double> lower, upper, confidence, accuracyPerBin, count;
    for (const CalibrationBin &b : calibration) {
        lower.push_back(b.lower);
        upper.push_back(b.upper);
        confidence.push_back(b.meanConfidence);
        accuracyPerBin.push_back(b.accuracy);
        count.push_back(double(b.count));
    }

    QJsonObject json{
        {QStringLiteral("kind"), kKind},
        {QStringLiteral("version"), kJsonVersion},
        {QStringLiteral("n"), n},
        {QStringLiteral("classes"), QJsonArray::fromStringList(classNames)},
        {QStringLiteral("metrics"), metrics},
        {QStringLiteral("per_class"), classes},
        {QStringLiteral("confusion_matrix"), matrix},
        {QStringLiteral("calibration"),
         QJsonObject{{QStringLiteral("lower"), EvaluationJson::fromNumbers(lower)},
                     {QStringLiteral("upper"), EvaluationJson::fromNumbers(upper)},
                     {QStringLiteral("confidence"), EvaluationJson::fromNumbers(confidence)},
                     {QStringLiteral("accuracy"), EvaluationJson::fromNumbers(accuracyPerBin)},
                     {QStringLiteral("count"), EvaluationJson::fromNumbers(count)}}},
    };
    if (rows == ResultRows::Include) {
        json.insert(QStringLiteral("predictions"), EvaluationJson::fromIntegers(predictions));
        json.insert(QStringLiteral("confidences"),
                    EvaluationJson::fromNumbers(std::vector<double>(confidences.begin(),
                                                                confidences.end())));
    }
    return json;
}

Result<ClassificationResult> ClassificationResult::fromJson(const QJsonObject &json)
{
    EvaluationJson in(QStringLiteral("classification report"));
    ClassificationResult r;

    if (in.string(json, QStringLiteral("kind")) != kKind && in.ok())
        in.fail(QStringLiteral("kind"), QStringLiteral("expected \"classification\""));
    const qint64 version = in.integer(json, QStringLiteral("version"));
    if (in.ok() && (version < 1 || version > kJsonVersion))
        in.fail(QStringLiteral("version"),
                QStringLiteral("unsupported version %1 (this build reads up to %2)")
                    .arg(version)
                    .arg(kJsonVersion));
    r.n = in.integer(json, QStringLiteral("n"));
    r.classNames = in.strings(json, QStringLiteral("classes"));
    const QJsonObject metrics = in.object(json, QStringLiteral("metrics"));
    for (const MetricField &m : kMetricFields)
        r.*m.field = in.number(metrics, QString::fromLatin1(m.name), QStringLiteral("metrics"));
    if (!in.ok())
        return in.error();

    const qsizetype k = r.classNames.size();
    const QString perClassPath = QStringLiteral("per_class");
    const QJsonArray classes = in.array(json, perClassPath);
    if (in.ok() && classes.size() != k)
        in.fail(perClassPath, QStringLiteral("expected %1 entries, one per class").arg(k));
    for (qsizetype i = 0; in.ok() && i < k; ++i) {
        const QString path = QStringLiteral("per_class[%1]").arg(i);
        const QJsonObject c = in.objectAt(classes, i, perClassPath);
        ClassMetrics m;
        m.name = in.string(c, QStringLiteral("name"), path);
        m.precision = in.number(c, QStringLiteral("precision"), path);
        m.recall = in.number(c, QStringLiteral("recall"), path);
        m.f1 = in.number(c, QStringLiteral("f1"), path);
        m.support = in.integer(c, QStringLiteral("support"), path);
        m.rocAuc = in.number(c, QStringLiteral("roc_auc"), path);
        m.averagePrecision = in.number(c, QStringLiteral("average_precision"), path);
        m.roc = rocFromJson(in, in.object(c, QStringLiteral("roc"), path),
                            EvaluationJson::join(path, QStringLiteral("roc")));
        m.pr = prFromJson(in, in.object(c, QStringLiteral("pr"), path),
                          EvaluationJson::join(path, QStringLiteral("pr")));
        r.perClass.push_back(std::move(m));
    }

    const QString matrixPath = QStringLiteral("confusion_matrix");
    const QJsonArray matrix = in.array(json, matrixPath);
    if (in.ok() && matrix.size() != k)
        in.fail(matrixPath, QStringLiteral("expected %1 rows").arg(k));
    r.confusion.reserve(size_t(k * k));
    for (qsizetype t = 0; in.ok() && t < k; ++t) {
        const QString rowPath = QStringLiteral("confusion_matrix[%1]").arg(t);
        // Wrapped in an object so the integer-array reader can be reused for the row.
        const std::vector<qint64> row = in.integers(
            QJsonObject{{QStringLiteral("row"), matrix.at(t)}}, QStringLiteral("row"), rowPath);
        if (in.ok() && qsizetype(row.size()) != k)
            in.fail(rowPath, QStringLiteral("expected %1 columns").arg(k));
        r.confusion.insert(r.confusion.end(), row.begin(), row.end());
    }

    const QString calPath = QStringLiteral("calibration");
    const QJsonObject cal = in.object(json, calPath);
    const std::vector<double> lower = in.numbers(cal, QStringLiteral("lower"), calPath);
    const std::vector<double> upper = in.numbers(cal, QStringLiteral("upper"), calPath);
    const std::vector<double> confidence = in.numbers(cal, QStringLiteral("confidence"), calPath);
    const std::vector<double> accuracy = in.numbers(cal, QStringLiteral("accuracy"), calPath);
    const std::vector<qint64> count = in.integers(cal, QStringLiteral("count"), calPath);
    const size_t bins = lower.size();
    if (in.ok()
        && (upper.size() != bins || confidence.size() != bins || accuracy.size() != bins
            || count.size() != bins))
        in.fail(calPath, QStringLiteral("bin arrays differ in length"));
    for (size_t b = 0; in.ok() && b < bins; ++b)
        r.calibration.push_back({lower[b], upper[b], confidence[b], accuracy[b], count[b]});

    if (in.ok() && json.contains(QStringLiteral("predictions"))) {
        r.predictions = in.integers(json, QStringLiteral("predictions"));
        const std::vector<double> conf = in.numbers(json, QStringLiteral("confidences"));
        if (in.ok() && conf.size() != r.predictions.size())
            in.fail(QStringLiteral("confidences"),
                    QStringLiteral("expected one per prediction"));
        r.confidences.assign(conf.begin(), conf.end());
    }

    if (!in.ok())
        return in.error();
    return r;
}

} // namespace mlwb
