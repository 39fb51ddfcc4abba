// SPDX-License-Identifier: MIT
#pragma once

// RunDataLoader: reads what a run's tab shows (the run record, latest metrics, chart buckets of
// every series, the step-to-epoch map) on a worker thread with its own read-only connection,
// so a live run's refreshes never stall the GUI thread. Requests made while one is being read
// are merged into a single next read; results arrive on the loader's thread.

#include "data/column_info.h"
#include "store/records.h"

#include <QHash>
#include <QObject>
#include <QThreadPool>

#include <optional>
#include <utility>
#include <vector>

namespace mlwb {

class Database;

// One consistent read of a run for its tab.
struct RunSnapshot {
    bool ok = false;
    QString error; // why the run could not be read (ok == false)
    RunRecord run;
    std::optional<TaskKind> task; // HyperparameterText::taskOf the run
    QList<LatestMetric> latest;
    QStringList keys;
    QHash<QString, std::vector<MetricBucket>> buckets;
    // (step, epochs completed) from the "epoch" series the trainer logs at each epoch's end.
    std::vector<std::pair<double, double>> epochEnds;
    double wallOrigin = 0; // earliest wall time of any point (seconds since the epoch)
};

class RunDataLoader : public QObject {
    Q_OBJECT
public:
    struct Request {
        QHash<QString, int> bucketCounts; // per key; keys not listed use defaultBucketCount
        int defaultBucketCount = 400;
    };

    RunDataLoader(QString projectPath, qint64 runId, QObject *parent = nullptr);
    ~RunDataLoader() override; // waits for a read in progress

    // Reads on the worker; `loaded` follows.
    void request(const Request &request);
    bool isBusy() const { return m_busy; }
    // Waits (processing no events) until no read is in progress; for tests and shutdown.
    void waitForIdle();

    // The read itself, on any connection (the GUI's for a tab's first, synchronous fill).
    static RunSnapshot read(Database &db, qint64 runId, const Request &request);

Q_SIGNALS:
    void loaded(const mlwb::RunSnapshot &snapshot);

private:
    void start(const Request &request);
    void finished(const RunSnapshot &snapshot);

    QString m_path;
    qint64 m_runId;
    QThreadPool m_pool;
    bool m_busy = false;
    std::optional<Request> m_pending;
};

} // namespace mlwb
