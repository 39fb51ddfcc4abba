// SPDX-License-Identifier: MIT
#pragma once

// JobManager: owns background jobs, runs them on its own thread pool and reports their state
// on the thread it lives in (the GUI thread in the workbench). Progress is sampled on a timer,
// so a busy worker can never flood the event loop.
//
// A job group (a sweep's trials, later a rollout to many agents) is an entry without work of its
// own: its children are ordinary jobs on the same pool, so they share the manager's limit with
// everything else. The group runs while any child does, shows their mean progress, ends when it
// is closed and every child ended (failed if one failed, canceled if it was canceled), and
// canceling it cancels its children.

#include "common/item_ref.h"
#include "common/result.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
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
    ItemRef subject; // the item it works on, when known (Job::subject, JobFeedback::setSubject)
    bool isGroup = false;
    int group = 0;     // the group this job belongs to; 0: none
    int children = 0;  // a group's: jobs submitted to it so far
    int childrenDone = 0;
};

class JobManager : public QObject {
    Q_OBJECT
public:
    explicit JobManager(int maxParallel = 2, QObject *parent = nullptr);
    ~JobManager() override; // cancels and waits

    // onDone runs on this object's thread after the job ended (ok, failed or canceled).
    // `group`: a group made by createGroup that is not closed yet; 0: none.
    int submit(std::unique_ptr<Job> job, std::function<void(const Status &)> onDone = {}, int group = 0);
    // A group for jobs submitted to it; onDone runs once it is closed and all of them ended.
    int createGroup(const QString &title, const ItemRef &subject = {},
                    std::function<void(const Status &)> onDone = {});
    // No more children come: the group ends when the ones it has end (at once when none run).
    void closeGroup(int id);
    void cancel(int id);
    // The newest job on this item that is queued or running, else the newest that ended; 0: none.
    int jobOf(const ItemRef &subject) const;
    // Names the item a job works on from this thread (the worker can, too: JobFeedback).
    void setSubject(int id, const ItemRef &subject);
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
    // Drained from JobFeedback on the poll timer, in the order the worker wrote them.
    void jobLog(int id, const QString &line);
    void jobEvent(int id, const QString &type, const QJsonObject &payload);
    void jobsCleared();

private:
    struct Entry;
    void poll();
    void finish(int id, const Status &status);
    void drain(int id, Entry &entry);
    // Updates a group from its children; ends it when it is closed and they all ended.
    void updateGroup(int id);

    QThreadPool m_pool;
    QTimer m_timer;
    QHash<int, std::shared_ptr<Entry>> m_entries;
    QList<int> m_order;
    int m_nextId = 1;
};

} // namespace mlwb
