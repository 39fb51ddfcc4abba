// SPDX-License-Identifier: MIT
#include "eval/regression_result.h"

#include "eval/evaluation_json.h"

#include <QJsonArray>

namespace mlwb {

namespace {

const QString kKind = QStringLiteral("regression");

struct MetricField {
    const char *name;
    double RegressionResult::*field;
};

constexpr MetricField kMetricFields[] = {
    {"mse", &RegressionResult::mse},
    {"rmse", &RegressionResult::rmse},
    {"mae", &RegressionResult::mae},
    {"r2", &RegressionResult::r2},
    {"max_error", &RegressionResult::maxError},
};

} // namespace

QStringList RegressionResult::metricNames()
{
    QStringList names;
    for (const MetricField &m : kMetricFields)
        names.append(QString::fromLatin1(m.name));
    return names;
}

std::vector<std::pair<QString, double>> RegressionResult::flatMetrics() const
{
    std::vector<std::pair<QString, double>> out;
    out.reserve(std::size(kMetricFields));
    for (const MetricField &m : kMetricFields)
        out.emplace_back(QString::fromLatin1(m.name), this->*m.field);
    return out;
}

QJsonObject RegressionResult::toJson() const
{
    QJsonObject metrics;
    for (const auto &[name, value] : flatMetrics())
        metrics.insert(name, EvaluationJson::fromNumber(value));

    std::vector<double> predictions, residualValues;
    predictions.reserve(residuals.size());
    residualValues.reserve(residuals.size());
    for (const ResidualPoint &p : residuals) {
        predictions.push_back(p.prediction);
        residualValues.push_back(p.residual);
    }

    return QJsonObject{
        {QStringLiteral("kind"), kKind},
        {QStringLiteral("version"), kJsonVersion},
        {QStringLiteral("n"), n},
        {QStringLiteral("metrics"), metrics},
        {QStringLiteral("residuals"),
         QJsonObject{{QStringLiteral("prediction"), EvaluationJson::fromNumbers(predictions)},
                     {QStringLiteral("residual"), EvaluationJson::fromNumbers(residualValues)}}},
        {QStringLiteral("residual_histogram"),
         QJsonObject{{QStringLiteral("lower"), EvaluationJson::fromNumber(histogram.lower)},
                     {QStringLiteral("upper"), EvaluationJson::fromNumber(histogram.upper)},
                     {QStringLiteral("counts"), EvaluationJson::fromIntegers(histogram.counts)}}},
    };
}

Result<RegressionResult> RegressionResult::fromJson(const QJsonObject &json)
{
    EvaluationJson in(QStringLiteral("regression report"));
    RegressionResult r;

    if (in.string(json, QStringLiteral("kind")) != kKind && in.ok())
        in.fail(QStringLiteral("kind"), QStringLiteral("expected \"regression\""));
    const qint64 version = in.integer(json, QStringLiteral("version"));
    if (in.ok() && (version < 1 || version > kJsonVersion))
        in.fail(QStringLiteral("version"),
                QStringLiteral("unsupported version %1 (this build reads up to %2)")
                    .arg(version)
                    .arg(kJsonVersion));
    r.n = in.integer(json, QStringLiteral("n"));
    const QJsonObject metrics = in.object(json, QStringLiteral("metrics"));
    for (const MetricField &m : kMetricFields)
        r.*m.field = in.number(metrics, QString::fromLatin1(m.name), QStringLiteral("metrics"));

    const QString resPath = QStringLiteral("residuals");
    const QJsonObject res = in.object(json, resPath);
    const std::vector<double> predictions = in.numbers(res, QStringLiteral("prediction"), resPath);
    const std::vector<double> residualValues =
        in.numbers(res, QStringLiteral("residual"), resPath);
    if (in.ok() && predictions.size() != residualValues.size())
        in.fail(resPath, QStringLiteral("prediction and residual differ in length"));
    for (size_t i = 0; in.ok() && i < predictions.size(); ++i)
        r.residuals.push_back({predictions[i], residualValues[i]});

    const QString histPath = QStringLiteral("residual_histogram");
    const QJsonObject hist = in.object(json, histPath);
    r.histogram.lower = in.number(hist, QStringLiteral("lower"), histPath);
    r.histogram.upper = in.number(hist, QStringLiteral("upper"), histPath);
    r.histogram.counts = in.integers(hist, QStringLiteral("counts"), histPath);

    if (!in.ok())
        return in.error();
    return r;
}

} // namespace mlwb
