// SPDX-License-Identifier: MIT
#pragma once

// TrackingService: the MLflow-compatible tracking REST API 2.x (issue #15) over one project file,
// independent of the HTTP front end: a request in, an answer out (TrackingServer serves it on the
// agent's HTTP server; tests and the fuzz harness call it directly).
//
//   /api/2.0/mlflow/experiments/{create,get,get-by-name,search,list,update,delete,restore,
//                                set-experiment-tag}
//   /api/2.0/mlflow/runs/{create,get,update,delete,restore,search,log-metric,log-parameter,
//                         set-tag,delete-tag,log-batch,log-inputs,log-model}
//   /api/2.0/mlflow/metrics/get-history, /api/2.0/mlflow/artifacts/list
//   /api/2.0/mlflow-artifacts/artifacts[/PATH]   (PUT uploads, GET downloads or lists, DELETE)
//   /health, /version
//
// The shapes are MLflow's protos in JSON: snake_case, int64 as numbers (strings accepted), NaN and
// infinities as "NaN", "Infinity", "-Infinity", unknown fields ignored (run_uuid beside run_id),
// no Content-Type needed; a success is a JSON object, {} when empty. MLflow's semantics and limits
// (docs/tracking.md): metrics append-only, params write-once (the same value again is fine), tags
// last-write-wins, log-batch at most 1,000 metrics, 100 params, 100 tags, 1,000 entities, 1 MB.
// A client's mistake is {"error_code", "message"} with 400 (INVALID_PARAMETER_VALUE), 404
// (RESOURCE_DOES_NOT_EXIST, ENDPOINT_NOT_FOUND), 409 (RESOURCE_ALREADY_EXISTS) or 401
// (UNAUTHENTICATED): never a 5xx, which MLflow's client retries with back-off. Only a failure of
// the project file itself (a full disk) is a 500, and it says so.
//
// Mapping (docs/tracking.md): an experiment is a group of runs in the explorer; a run's params
// are its hyperparameters (as the strings the script sent), its metrics are metric series (step,
// timestamp as wall time) written through the same batched MetricLogger as native training, its
// status follows runs/update (RUNNING, SCHEDULED, FINISHED, FAILED, KILLED: running, queued,
// finished, failed, interrupted), its artifacts are run artifacts in the project file behind an
// `mlflow-artifacts:/EXPERIMENT/RUN/artifacts` URI. The workbench's own runs are visible
// read-only, each model's as experiment "model-ID" named "workbench/MODEL".
//
// Thread-safe: the HTTP threads call handle() concurrently; metadata goes through one connection
// under a lock, metric points through the same batched MetricLogger native training uses, one
// per run (a script's own writer), or one for all scripts.

#include "common/result.h"
#include "serve/http_request.h"
#include "serve/http_response.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <memory>

namespace mlwb {

class TrackingService {
public:
    // Who writes the metric points: each run its own MetricLogger (concurrent scripts never
    // wait on each other's flushes), or one for every script, whose commits group their
    // requests. bench_tracking measures both: the same rate with four scripts.
    enum class Writers { PerRun, Shared };
    struct Options {
        QByteArray token; // when set, every request must carry "Authorization: Bearer TOKEN"
        qint64 maxArtifactBytes = 1ll << 30;
        Writers writers = Writers::PerRun;
    };

    // Opens its own connections to `projectPath` (which must be at the current schema).
    static Result<std::unique_ptr<TrackingService>> open(const QString &projectPath, Options options);
    ~TrackingService();

    HttpResponse handle(const HttpRequest &request);

    // Tracked runs RUNNING whose script wrote within the last `withinMs` (the status bar's figure).
    Result<int> liveRuns(qint64 withinMs = 5 * 60'000);
    qint64 requests() const { return m_requests.load(); }
    qint64 pointsLogged() const { return m_points.load(); }
    // Flushes every point logged; the first write failure, if any.
    Status close();

    struct Impl;

private:
    explicit TrackingService(std::unique_ptr<Impl> d);
    std::unique_ptr<Impl> d;
    std::atomic<qint64> m_requests{0};
    std::atomic<qint64> m_points{0};
};

} // namespace mlwb
