// SPDX-License-Identifier: MIT
#include "jobs/job_manager.h"

#include "common/logging.h"
#include "jobs/job.h"
#include "jobs/job_feedback.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QMetaObject>
#include <QPointer>
#include <QRunnable>

#include <atomic>
#include <exception>

namespace mlwb {

struct JobManager::Entry {
    std::unique_ptr<Job> job;
    JobFeedback feedback;
    JobState state;
    std::function<void(const Status &)> onDone;
    QElapsedTimer clock;
    std::atomic<bool> started{false};
    double lastProgress = -1;
    QString lastMessage;
};

JobManager::JobManager(int maxParallel, QObject *parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(std::max(1, maxParallel));
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &JobManager::poll);
}

JobManager::~JobManager()
{
    cancelAll();
    m_pool.waitForDone();
}

int JobManager::submit(std::unique_ptr<Job> job, std::function<void(const Status &)> onDone)
{
    const int id = m_nextId++;
    auto entry = std::make_shared<Entry>();
    entry->state.id = id;
    entry->state.title = job->title();
    entry->state.subject = job->subject();
    entry->job = std::move(job);
    entry->onDone = std::move(onDone);
    m_entries.insert(id, entry);
    m_order << id;

    QPointer<JobManager> self(this);
    m_pool.start(QRunnable::create([entry, self, id] {
        entry->started = true;
        entry->clock.start();
        Status result;
        try {
            result = entry->job->run(entry->feedback);
        } catch (const std::exception &e) {
            result = fail(QStringLiteral("%1: unexpected error: %2")
                              .arg(entry->state.title, QString::fromLocal8Bit(e.what())));
        }
        if (self)
            QMetaObject::invokeMethod(self.data(), [self, id, result] {
                if (self)
                    self->finish(id, result);
            }, Qt::QueuedConnection);
    }));
    if (!m_timer.isActive())
        m_timer.start();
    Q_EMIT jobAdded(id);
    return id;
}

void JobManager::poll()
{
    bool any = false;
    for (int id : std::as_const(m_order)) {
        auto &e = *m_entries.value(id);
        auto &s = e.state;
        if (s.status != JobState::Status::Queued && s.status != JobState::Status::Running)
            continue;
        any = true;
        if (!e.started)
            continue;
        drain(id, e);
        const double p = e.feedback.progress();
        const QString msg = e.feedback.message();
        const ItemRef subject = e.feedback.subject();
        if (s.status == JobState::Status::Queued) {
            s.status = JobState::Status::Running;
            s.started = QDateTime::currentDateTime();
            qCInfo(lcJobs) << "job" << id << "started:" << s.title;
        } else if (p == e.lastProgress && msg == e.lastMessage && (!subject.isValid() || subject == s.subject)) {
            continue;
        }
        e.lastProgress = p;
        e.lastMessage = msg;
        if (subject.isValid())
            s.subject = subject;
        s.progress = p;
        s.message = msg;
        const double elapsed = double(e.clock.elapsed()) / 1000.0;
        s.etaSeconds = p > 0.01 ? elapsed * (1.0 - p) / p : -1.0;
        Q_EMIT jobChanged(id);
    }
    if (!any)
        m_timer.stop();
}

void JobManager::finish(int id, const Status &status)
{
    auto entry = m_entries.value(id);
    if (!entry)
        return;
    auto &s = entry->state;
    if (!s.started.isValid())
        s.started = QDateTime::currentDateTime();
    drain(id, *entry);
    if (const ItemRef subject = entry->feedback.subject(); subject.isValid())
        s.subject = subject;
    const double seconds = entry->clock.isValid() ? double(entry->clock.elapsed()) / 1000.0 : 0.0;
    if (entry->feedback.isCanceled()) {
        s.status = JobState::Status::Canceled;
        s.message = tr("Canceled");
        qCInfo(lcJobs) << "job" << id << "canceled after" << seconds << "s:" << s.title;
    } else if (status.ok()) {
        s.status = JobState::Status::Finished;
        s.progress = 1.0;
        s.message = entry->feedback.message();
        qCInfo(lcJobs) << "job" << id << "finished in" << seconds << "s:" << s.title;
    } else {
        s.status = JobState::Status::Failed;
        s.error = status.error();
        s.message = status.error();
        qCWarning(lcJobs) << "job" << id << "failed after" << seconds << "s:" << s.title << "-" << status.error();
    }
    s.etaSeconds = 0;
    entry->job.reset(); // free models and data now; the state stays for the Jobs pane
    if (entry->onDone)
        entry->onDone(status);
    Q_EMIT jobChanged(id);
    Q_EMIT jobFinished(id, status.ok() && s.status != JobState::Status::Canceled,
                       status.ok() ? QString() : status.error());
}

void JobManager::drain(int id, Entry &e)
{
    for (const QString &line : e.feedback.takeLog()) {
        qCInfo(lcJobs).noquote() << e.state.title << "|" << line;
        Q_EMIT jobLog(id, line);
    }
    for (const JobFeedback::Event &event : e.feedback.takeEvents())
        Q_EMIT jobEvent(id, event.type, event.payload);
}

void JobManager::setSubject(int id, const ItemRef &subject)
{
    if (auto e = m_entries.value(id)) {
        e->state.subject = subject;
        Q_EMIT jobChanged(id);
    }
}

int JobManager::jobOf(const ItemRef &subject) const
{
    int ended = 0;
    for (auto it = m_order.crbegin(); it != m_order.crend(); ++it) {
        const JobState &s = m_entries.value(*it)->state;
        if (s.subject != subject)
            continue;
        if (s.status == JobState::Status::Queued || s.status == JobState::Status::Running)
            return s.id;
        if (!ended)
            ended = s.id;
    }
    return ended;
}

void JobManager::cancel(int id)
{
    if (auto e = m_entries.value(id))
        e->feedback.cancel();
}

void JobManager::cancelAll()
{
    for (const auto &e : std::as_const(m_entries))
        e->feedback.cancel();
}

QList<JobState> JobManager::jobs() const
{
    QList<JobState> out;
    for (int id : m_order)
        out << m_entries.value(id)->state;
    return out;
}

JobState JobManager::job(int id) const
{
    auto e = m_entries.value(id);
    return e ? e->state : JobState{};
}

bool JobManager::hasRunningJobs() const
{
    for (const auto &e : m_entries) {
        if (e->state.status == JobState::Status::Queued ||
            e->state.status == JobState::Status::Running)
            return true;
    }
    return false;
}

void JobManager::clearFinished()
{
    for (auto it = m_order.begin(); it != m_order.end();) {
        const auto st = m_entries.value(*it)->state.status;
        if (st == JobState::Status::Queued || st == JobState::Status::Running) {
            ++it;
        } else {
            m_entries.remove(*it);
            it = m_order.erase(it);
        }
    }
    Q_EMIT jobsCleared();
}

bool JobManager::waitForAll(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (hasRunningJobs()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        m_pool.waitForDone(10);
    }
    return true;
}

} // namespace mlwb
