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
    // A group's.
    QList<int> children;
    bool closed = false;
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

int JobManager::submit(std::unique_ptr<Job> job, std::function<void(const Status &)> onDone, int group)
{
    const int id = m_nextId++;
    auto entry = std::make_shared<Entry>();
    entry->state.id = id;
    entry->state.title = job->title();
    entry->state.subject = job->subject();
    entry->job = std::move(job);
    entry->onDone = std::move(onDone);
    if (auto parent = m_entries.value(group); parent && parent->state.isGroup) {
        Q_ASSERT_X(!parent->closed, "JobManager::submit", "the group is closed");
        entry->state.group = group;
        parent->children << id;
        ++parent->state.children;
        if (parent->feedback.isCanceled())
            entry->feedback.cancel(); // it starts, sees the cancel and ends at once
    }
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

int JobManager::createGroup(const QString &title, const ItemRef &subject,
                            std::function<void(const Status &)> onDone)
{
    const int id = m_nextId++;
    auto entry = std::make_shared<Entry>();
    entry->state.id = id;
    entry->state.title = title;
    entry->state.subject = subject;
    entry->state.isGroup = true;
    entry->onDone = std::move(onDone);
    m_entries.insert(id, entry);
    m_order << id;
    if (!m_timer.isActive())
        m_timer.start();
    Q_EMIT jobAdded(id);
    return id;
}

void JobManager::closeGroup(int id)
{
    auto e = m_entries.value(id);
    if (!e || !e->state.isGroup || e->closed)
        return;
    e->closed = true;
    updateGroup(id);
}

void JobManager::updateGroup(int id)
{
    auto e = m_entries.value(id);
    if (!e || !e->state.isGroup)
        return;
    JobState &s = e->state;
    if (s.status != JobState::Status::Queued && s.status != JobState::Status::Running)
        return;
    double progress = 0;
    int done = 0, running = 0;
    const JobState *firstFailed = nullptr;
    for (int child : std::as_const(e->children)) {
        const auto c = m_entries.value(child);
        if (!c)
            continue;
        const JobState &cs = c->state;
        switch (cs.status) {
        case JobState::Status::Queued: break;
        case JobState::Status::Running: ++running; progress += cs.progress; break;
        case JobState::Status::Failed:
            if (!firstFailed)
                firstFailed = &cs;
            [[fallthrough]];
        case JobState::Status::Finished:
        case JobState::Status::Canceled: ++done; progress += 1.0; break;
        }
    }
    const bool ends = e->closed && done == int(e->children.size());
    const double p = e->children.isEmpty() ? (ends ? 1.0 : 0.0) : progress / double(e->children.size());
    const QString message = tr("%1 of %2 done").arg(done).arg(e->children.size());
    if (!ends) {
        const bool changed = p != s.progress || message != s.message || s.childrenDone != done ||
                             (running && s.status == JobState::Status::Queued);
        if (running && s.status == JobState::Status::Queued) {
            s.status = JobState::Status::Running;
            s.started = QDateTime::currentDateTime();
            e->clock.start();
            qCInfo(lcJobs) << "group" << id << "started:" << s.title;
        }
        s.progress = p;
        s.message = message;
        s.childrenDone = done;
        if (e->clock.isValid() && p > 0.01)
            s.etaSeconds = double(e->clock.elapsed()) / 1000.0 * (1.0 - p) / p;
        if (changed)
            Q_EMIT jobChanged(id);
        return;
    }
    s.childrenDone = done;
    if (!s.started.isValid())
        s.started = QDateTime::currentDateTime();
    s.etaSeconds = 0;
    Status result;
    if (e->feedback.isCanceled()) {
        s.status = JobState::Status::Canceled;
        s.message = tr("Canceled");
        result = cancelled(QStringLiteral("%1: canceled").arg(s.title));
    } else if (firstFailed) {
        int failed = 0;
        for (int child : std::as_const(e->children))
            if (auto c = m_entries.value(child); c && c->state.status == JobState::Status::Failed)
                ++failed;
        s.status = JobState::Status::Failed;
        s.error = tr("%1 of %2 failed; %3: %4")
                      .arg(failed)
                      .arg(e->children.size())
                      .arg(firstFailed->title, firstFailed->error);
        s.message = s.error;
        result = fail(s.error);
    } else {
        s.status = JobState::Status::Finished;
        s.progress = 1.0;
        s.message = message;
    }
    qCInfo(lcJobs) << "group" << id
                   << (s.status == JobState::Status::Finished ? "finished:"
                       : s.status == JobState::Status::Canceled ? "canceled:"
                                                                 : "failed:")
                   << s.title;
    if (e->onDone)
        e->onDone(result);
    Q_EMIT jobChanged(id);
    Q_EMIT jobFinished(id, s.status == JobState::Status::Finished, s.error);
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
        if (s.isGroup) {
            updateGroup(id);
            continue;
        }
        if (!e.started)
            continue;
        drain(id, e);
        const double p = e.feedback.progress();
        const QString msg = e.feedback.message();
        const ItemRef subject = e.feedback.subject();
        const QString title = e.feedback.title();
        if (!title.isEmpty() && title != s.title) {
            s.title = title;
            e.lastProgress = -1; // report the change below
        }
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
    if (const QString title = entry->feedback.title(); !title.isEmpty())
        s.title = title;
    const double seconds = entry->clock.isValid() ? double(entry->clock.elapsed()) / 1000.0 : 0.0;
    // The job's result decides: one that finished before it saw a cancel is finished, one that
    // stopped for it (or failed after it) is canceled.
    if (!status.ok() && (status.kind() == ErrorKind::Cancelled || entry->feedback.isCanceled())) {
        s.status = JobState::Status::Canceled;
        s.message = status.error().isEmpty() ? tr("Canceled") : status.error();
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
    Q_EMIT jobFinished(id, s.status == JobState::Status::Finished,
                       s.status == JobState::Status::Failed ? status.error() : QString());
    if (s.group)
        updateGroup(s.group);
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
    auto e = m_entries.value(id);
    if (!e)
        return;
    e->feedback.cancel();
    if (e->state.isGroup) {
        for (int child : std::as_const(e->children))
            cancel(child);
        updateGroup(id);
    }
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
    auto active = [this](int id) {
        const auto e = m_entries.value(id);
        return e && (e->state.status == JobState::Status::Queued || e->state.status == JobState::Status::Running);
    };
    for (auto it = m_order.begin(); it != m_order.end();) {
        const JobState &st = m_entries.value(*it)->state;
        // A running group's ended children stay: the group counts them.
        if (active(*it) || (st.group && active(st.group))) {
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
