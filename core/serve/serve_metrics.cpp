// SPDX-License-Identifier: MIT
#include "serve/serve_metrics.h"

#include <QDateTime>

namespace mlwb {

namespace {

QString name(const char *suffix)
{
    return QStringLiteral("mlwb_agent_") + QLatin1String(suffix);
}

// The names and bounds are constants of this file: a failure is a bug every test of
// ServeMetrics hits, not a condition the agent could handle.
template <typename T> T required(Result<T> r)
{
    if (!r)
        qFatal("ServeMetrics: %s", qPrintable(r.error()));
    return std::move(r).value();
}

} // namespace

ServeMetrics::ServeMetrics() : ServeMetrics(double(QDateTime::currentMSecsSinceEpoch()) / 1000.0) {}

ServeMetrics::ServeMetrics(double startTimeSeconds)
{
    const QStringList mv{QStringLiteral("model"), QStringLiteral("version")};
    const QStringList mvs = mv + QStringList{QStringLiteral("status")};
    m_requests = required(m_registry.addCounter(
        name("requests_total"),
        QStringLiteral("Requests answered, by model, version and HTTP status."), mvs));
    m_errors = required(m_registry.addCounter(
        name("request_errors_total"),
        QStringLiteral("Requests answered with an HTTP status of 400 or more."), mvs));
    m_duration = required(m_registry.addHistogram(
        name("request_duration_seconds"),
        QStringLiteral("Time from a request's arrival to its answer."), mv, durationBounds()));
    m_batchSize = required(m_registry.addHistogram(name("batch_size"),
                                                   QStringLiteral("Rows per batch the model ran."),
                                                   mv, batchSizeBounds()));
    m_queueDepth = required(m_registry.addGauge(name("queue_depth"),
                                                QStringLiteral("Requests waiting for the model."),
                                                {QStringLiteral("model")}));
    m_loadSeconds = required(m_registry.addGauge(
        name("model_load_seconds"), QStringLiteral("Time the version took to load."), mv));
    m_warmupSeconds = required(m_registry.addGauge(
        name("model_warmup_seconds"), QStringLiteral("Time the version's warm-up took."), mv));
    m_info = required(m_registry.addGauge(
        name("model_info"), QStringLiteral("1 for each loaded version, labelled with its state."),
        mv + QStringList{QStringLiteral("state")}));
    const QStringList mvf = mv + QStringList{QStringLiteral("feature")};
    // The bounds of the input histograms are each series' own (its baseline edges); the family's
    // are never used.
    m_inputs.value = required(m_registry.addHistogram(
        name("input_value"), QStringLiteral("Numeric input values answered, on the package baseline's bins."), mvf, {0.0}));
    m_inputs.missing = required(m_registry.addCounter(
        name("input_missing_total"), QStringLiteral("Input values answered that were missing (NaN)."), mvf));
    m_inputs.category = required(m_registry.addCounter(
        name("input_category_total"), QStringLiteral("Categorical and boolean input values answered, by category."),
        mvf + QStringList{QStringLiteral("category")}));
    m_inputs.prediction = required(m_registry.addCounter(
        name("prediction_total"), QStringLiteral("Rows answered, by predicted class."), mv + QStringList{QStringLiteral("class")}));
    m_inputs.predictionValue = required(m_registry.addHistogram(
        name("prediction_value"), QStringLiteral("Predictions answered (regression), on the package baseline's bins."), mv, {0.0}));
    m_inputs.rows = required(m_registry.addCounter(name("rows_total"), QStringLiteral("Rows answered."), mv));
    m_payloadErrors = required(m_registry.addCounter(
        name("payload_log_errors_total"), QStringLiteral("Payload-log writes that failed."), {QStringLiteral("model")}));
    auto start = required(m_registry.addGauge(
        name("start_time_seconds"),
        QStringLiteral("When the agent started, in seconds since the Unix epoch.")));
    start->series({})->set(startTimeSeconds);
}

namespace {

// The label text of an HTTP status; made once, since every request needs one.
QString statusText(int status)
{
    static const QList<QString> texts = [] {
        QList<QString> t;
        for (int code = 100; code < 600; ++code)
            t.append(QString::number(code));
        return t;
    }();
    return status >= 100 && status < 600 ? texts[status - 100] : QString::number(status);
}

} // namespace

void ServeMetrics::recordRequest(const QString &model, const QString &version, int status,
                                 double seconds)
{
    QStringList labels{model, version};
    m_duration->series(labels)->observe(seconds);
    labels.append(statusText(status));
    m_requests->series(labels)->inc();
    if (status >= 400)
        m_errors->series(labels)->inc();
}

void ServeMetrics::recordBatch(const QString &model, const QString &version, int rows)
{
    m_batchSize->series({model, version})->observe(double(rows));
}

void ServeMetrics::setQueueDepth(const QString &model, qint64 depth)
{
    m_queueDepth->series({model})->set(double(depth));
}

void ServeMetrics::recordLoad(const QString &model, const QString &version, double loadSeconds,
                              double warmupSeconds)
{
    m_loadSeconds->series({model, version})->set(loadSeconds);
    m_warmupSeconds->series({model, version})->set(warmupSeconds);
}

void ServeMetrics::setState(const QString &model, const QString &version, const QString &state)
{
    std::lock_guard lock(m_stateMutex);
    m_info->removeMatching(
        {{QStringLiteral("model"), model}, {QStringLiteral("version"), version}});
    m_info->series({model, version, state})->set(1.0);
}

std::shared_ptr<InputMonitor> ServeMetrics::monitor(const InputMonitor::Version &version, const QJsonObject &baseline)
{
    return std::make_shared<InputMonitor>(m_inputs, version, baseline);
}

std::shared_ptr<MetricRegistry::Counter> ServeMetrics::payloadLogErrors(const QString &model)
{
    return m_payloadErrors->series({model});
}

void ServeMetrics::removeVersion(const QString &model, const QString &version)
{
    std::lock_guard lock(m_stateMutex);
    m_registry.removeSeries(
        {{QStringLiteral("model"), model}, {QStringLiteral("version"), version}});
}

void ServeMetrics::removeModel(const QString &model)
{
    std::lock_guard lock(m_stateMutex);
    m_registry.removeSeries({{QStringLiteral("model"), model}});
}

std::vector<double> ServeMetrics::durationBounds()
{
    // Written out as decimals so that each prints as itself (0.00025, not 0.00025000000000000006).
    return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05,    0.1,    0.25,    0.5,    1,     2.5,    5,     10};
}

std::vector<double> ServeMetrics::batchSizeBounds()
{
    return {1, 2, 4, 8, 16, 32, 64, 128, 256};
}

} // namespace mlwb
