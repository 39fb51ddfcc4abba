// SPDX-License-Identifier: MIT
#include "panes/run/run_data_loader.h"

#include "widgets/hyperparameter_text.h"

#include "store/worker_connection.h"
#include "store/database.h"
#include "store/dataset_repository.h"
#include "store/metric_reader.h"
#include "store/run_repository.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlwb {

RunDataLoader::RunDataLoader(QString projectPath, qint64 runId, QObject *parent)
    : QObject(parent), m_path(std::move(projectPath)), m_runId(runId)
{
    m_pool.setMaxThreadCount(1);
}

RunDataLoader::~RunDataLoader()
{
    m_pool.waitForDone();
}

void RunDataLoader::waitForIdle()
{
    m_pool.waitForDone();
}

void RunDataLoader::request(const Request &request)
{
    if (m_busy) {
        m_pending = request;
        return;
    }
    start(request);
}

void RunDataLoader::start(const Request &request)
{
    m_busy = true;
    // `this` outlives the task: the destructor waits for the pool, and a result posted to a
    // deleted loader is discarded with its events.
    m_pool.start([this, request, path = m_path, runId = m_runId] {
        RunSnapshot snapshot;
        auto db = WorkerConnection::open(path, WorkerConnection::Access::Read);
        if (db) {
            db->setBusyTimeout(2000);
            snapshot = read(*db, runId, request);
        } else {
            snapshot.error = db.error();
        }
        QMetaObject::invokeMethod(
            this, [this, snapshot = std::move(snapshot)] { finished(snapshot); },
            Qt::QueuedConnection);
    });
}

void RunDataLoader::finished(const RunSnapshot &snapshot)
{
    m_busy = false;
    Q_EMIT loaded(snapshot);
    if (m_pending)
        start(*std::exchange(m_pending, std::nullopt));
}

RunSnapshot RunDataLoader::read(Database &db, qint64 runId, const Request &request)
{
    RunSnapshot s;
    RunRepository runs(db);
    auto run = runs.get(runId);
    if (!run) {
        s.error = run.error();
        return s;
    }
    s.run = std::move(*run);
    // A data set that cannot be read leaves the task unknown; the run itself still shows.
    auto dataset = DatasetRepository(db).get(s.run.datasetId);
    s.task = HyperparameterText::taskOf(s.run.summary, dataset ? dataset->schemaJson : QByteArray());
    MetricReader metrics(db);
    if (auto latest = metrics.latest({runId}))
        s.latest = std::move(*latest);
    auto keys = metrics.keys(runId);
    if (!keys) {
        s.error = keys.error();
        return s;
    }
    s.keys = std::move(*keys);
    double origin = std::numeric_limits<double>::infinity();
    for (const QString &key : std::as_const(s.keys)) {
        const int count = request.bucketCounts.value(key, request.defaultBucketCount);
        auto buckets = metrics.chartBuckets(runId, key, std::max(count, 1));
        if (!buckets)
            continue;
        if (!buckets->empty())
            origin = std::min(origin, buckets->front().firstWall);
        s.buckets.insert(key, std::move(*buckets));
    }
    s.wallOrigin = std::isfinite(origin) ? origin : 0.0;
    if (s.keys.contains(QStringLiteral("epoch"))) {
        if (auto epochs = metrics.series(runId, QStringLiteral("epoch"))) {
            for (const MetricPoint &p : *epochs)
                s.epochEnds.emplace_back(double(p.step), p.value);
        }
    }
    s.ok = true;
    return s;
}

} // namespace mlwb
