// SPDX-License-Identifier: MIT
#pragma once

// JobManager: owns background jobs, runs them on its own thread pool and reports their state
// on the thread it lives in (the GUI thread in the workbench). Progress is sampled on a timer,
// so a busy worker can never flood the event loop.

#include "common/result.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <functional>
#include <memory>

namespace mlwb {

class Job;
class JobFeedback;

struct JobState {
    enum class Status { Queued, Running, Finished, Failed, Canceled };
    int id = 0;
    QString title;
    Status status = Status::Queued;
    double progress = 0;
    QString message;
    QDateTime started;
    double etaSeconds = -1; // unknown
    QString error;
};

class JobManager : public QObject {
    Q_OBJECT
public:
    explicit JobManager(int maxParallel = 2, QObject *parent = nullptr);
    ~JobManager() override; // cancels and waits

    // onDone runs on this object's thread after the job ended (ok, failed or canceled).
    int submit(std::unique_ptr<Job> job, std::function<void(const Status &)> onDone = {});
    void cancel(int id);
    void cancelAll();
    QList<JobState> jobs() const;
    JobState job(int id) const;
    bool hasRunningJobs() const;
    // Removes ended jobs from the list.
    void clearFinished();
    // Waits (processing events) until every job ended or timeout; true if all ended.
    bool waitForAll(int timeoutMs);

Q_SIGNALS:
    void jobAdded(int id);
    void jobChanged(int id);
    void jobFinished(int id, bool ok, const QString &error);
    void jobsCleared();

private:
    struct Entry;
    void poll();
    void finish(int id, const Status &status);

    QThreadPool m_pool;
    QTimer m_timer;
    QHash<int, std::shared_ptr<Entry>> m_entries;
    QList<int> m_order;
    int m_nextId = 1;
};

} // namespace mlwb
