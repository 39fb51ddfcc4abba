// SPDX-License-Identifier: MIT
#include "panes/monitor/monitor_watcher.h"

#include "jobs/job_feedback.h"
#include "monitor/monitor_job.h"

#include <QTimer>

#include <atomic>
#include <mutex>
#include <thread>

namespace mlwb {

struct MonitorWatcher::Watch {
    JobFeedback feedback;
    std::thread thread;
    std::atomic<bool> ended{false};
    std::mutex mutex;
    QString failure; // under mutex
    QString projectPath;
};

MonitorWatcher::MonitorWatcher(QObject *parent) : QObject(parent), m_drain(new QTimer(this))
{
    m_drain->setInterval(250);
    connect(m_drain, &QTimer::timeout, this, &MonitorWatcher::drain);
}

MonitorWatcher::~MonitorWatcher() { stopAll(); }

void MonitorWatcher::start(const QString &projectPath, qint64 targetId, const QString &targetName)
{
    // One project at a time: the watches of a project closed since stop here.
    for (const qint64 id : m_watches.keys())
        if (m_watches.value(id)->projectPath != projectPath)
            stop(id);
    if (isWatching(targetId))
        return;
    if (auto old = m_watches.take(targetId); old && old->thread.joinable())
        old->thread.join();
    auto w = std::make_shared<Watch>();
    w->projectPath = projectPath;
    w->thread = std::thread([w, projectPath, targetId, targetName] {
        MonitorJob job(projectPath, targetId, targetName);
        const Status s = job.run(w->feedback);
        if (!s) {
            std::lock_guard lock(w->mutex);
            w->failure = s.error();
        }
        w->ended = true;
    });
    m_watches.insert(targetId, w);
    if (!m_drain->isActive())
        m_drain->start();
    Q_EMIT watchingChanged(targetId);
}

void MonitorWatcher::stop(qint64 targetId)
{
    auto w = m_watches.take(targetId);
    if (!w)
        return;
    w->feedback.cancel();
    // The poller checks the cancel every 100 ms between polls; a poll in flight ends within
    // the agent client's timeout.
    if (w->thread.joinable())
        w->thread.join();
    Q_EMIT watchingChanged(targetId);
}

void MonitorWatcher::stopAll()
{
    for (const qint64 id : m_watches.keys())
        stop(id);
}

bool MonitorWatcher::isWatching(qint64 targetId) const
{
    const auto w = m_watches.value(targetId);
    return w && !w->ended;
}

QString MonitorWatcher::status(qint64 targetId) const
{
    const auto w = m_watches.value(targetId);
    return w ? w->feedback.message() : QString();
}

QString MonitorWatcher::failure(qint64 targetId) const
{
    const auto w = m_watches.value(targetId);
    if (!w)
        return QString();
    std::lock_guard lock(w->mutex);
    return w->failure;
}

void MonitorWatcher::drain()
{
    // Collected first: a slot may stop a watch, which changes m_watches.
    struct Pending {
        qint64 id;
        QList<JobFeedback::Event> events;
        bool ended;
    };
    QList<Pending> pending;
    for (auto it = m_watches.begin(); it != m_watches.end(); ++it) {
        const auto &w = it.value();
        const bool endedNow = w->ended && w->thread.joinable();
        if (endedNow)
            w->thread.join();
        pending.append({it.key(), w->feedback.takeEvents(), endedNow});
    }
    for (const Pending &p : pending) {
        for (const JobFeedback::Event &e : p.events) {
            if (e.type == QLatin1String("polled"))
                Q_EMIT polled(p.id, e.payload);
            else if (e.type == QLatin1String("alert"))
                Q_EMIT alertChanged(p.id, e.payload);
        }
        if (p.ended)
            Q_EMIT watchingChanged(p.id);
    }
}

} // namespace mlwb
