// SPDX-License-Identifier: MIT
#pragma once

// ServeMetrics: the metrics mlwb-agent answers on GET /metrics (docs/agent.md), every name
// prefixed mlwb_agent_: requests and errors by model, version and HTTP status, latency and
// batch-size histograms, queue depth, load and warm-up times, the versions' states and the start
// time. Requests that name no model (an unknown path, a malformed request) count under model=""
// and version="". Beside them the monitoring families of docs/monitoring.md: each version's
// inputs and predictions (InputMonitor) and the payload log's failed writes.

#include "serve/input_monitor.h"
#include "serve/metric_registry.h"

#include <QString>

#include <memory>
#include <mutex>

namespace mlwb {

class ServeMetrics {
public:
    // start_time_seconds is now.
    ServeMetrics();
    // start_time_seconds as given (seconds since the Unix epoch), for reproducible output.
    explicit ServeMetrics(double startTimeSeconds);
    ServeMetrics(const ServeMetrics &) = delete;
    ServeMetrics &operator=(const ServeMetrics &) = delete;

    // One answered request: requests_total, request_errors_total when status >= 400, and its
    // duration in request_duration_seconds.
    void recordRequest(const QString &model, const QString &version, int status, double seconds);
    // One batch run by the model (rows: how many inputs it held).
    void recordBatch(const QString &model, const QString &version, int rows);
    void setQueueDepth(const QString &model, qint64 depth);
    void recordLoad(const QString &model, const QString &version, double loadSeconds,
                    double warmupSeconds);
    // model_info{model,version,state} = 1, replacing the version's previous state.
    void setState(const QString &model, const QString &version, const QString &state);
    // The version's input monitor, its series made at zero (so a scrape shows every feature and
    // bin from the load on).
    std::shared_ptr<InputMonitor> monitor(const InputMonitor::Version &version, const QJsonObject &baseline);
    // The counter of a model's failed payload-log writes (made at zero).
    std::shared_ptr<MetricRegistry::Counter> payloadLogErrors(const QString &model);
    // Every series of the version goes (an unloaded version must not be scraped forever).
    void removeVersion(const QString &model, const QString &version);
    // Every series of the model, its queue depth included.
    void removeModel(const QString &model);

    QByteArray render() const { return m_registry.render(); }
    MetricRegistry &registry() { return m_registry; }

    // The bounds of request_duration_seconds: 50 us to 10 s in 1-2.5-5 steps.
    static std::vector<double> durationBounds();
    // The bounds of batch_size: 1, 2, 4, ..., 256.
    static std::vector<double> batchSizeBounds();

private:
    MetricRegistry m_registry;
    std::shared_ptr<MetricRegistry::CounterFamily> m_requests;
    std::shared_ptr<MetricRegistry::CounterFamily> m_errors;
    std::shared_ptr<MetricRegistry::HistogramFamily> m_duration;
    std::shared_ptr<MetricRegistry::HistogramFamily> m_batchSize;
    std::shared_ptr<MetricRegistry::GaugeFamily> m_queueDepth;
    std::shared_ptr<MetricRegistry::GaugeFamily> m_loadSeconds;
    std::shared_ptr<MetricRegistry::GaugeFamily> m_warmupSeconds;
    std::shared_ptr<MetricRegistry::GaugeFamily> m_info;
    InputMonitor::Families m_inputs;
    std::shared_ptr<MetricRegistry::CounterFamily> m_payloadErrors;
    std::mutex m_stateMutex; // setState's remove-then-set is one step
};

} // namespace mlwb
