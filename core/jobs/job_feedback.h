// SPDX-License-Identifier: MIT
#pragma once

// JobFeedback: the channel between a running job and whoever watches it. The worker writes
// progress, log lines and typed events, names the item it works on, and checks the cancel flag;
// the watcher (JobManager) reads on its own schedule, so a busy worker never floods the GUI's
// event loop (thread-safe).

#include "common/item_ref.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <mutex>

namespace mlwb {

class JobFeedback {
public:
    void setProgress(double fraction, const QString &message = QString());
    void setMessage(const QString &message);
    double progress() const { return m_progress.load(std::memory_order_relaxed); }
    QString message() const;

    // The item the job works on (a run once it is created): JobManager::jobOf finds the job by it.
    void setSubject(const ItemRef &subject);
    ItemRef subject() const;
    // A better title once the worker knows more ("Train iris-mlp: run 3"); empty: keep the job's.
    void setTitle(const QString &title);
    QString title() const;
    // A line for the job's log (the Log pane, under mlwb.jobs).
    void log(const QString &line);
    // A typed event for whoever shows the job (JobManager::jobEvent): e.g. "epoch" with its
    // metrics, "checkpoint" with its step.
    void post(const QString &type, const QJsonObject &payload = {});
    struct Event {
        QString type;
        QJsonObject payload;
    };
    // What was logged and posted since the last call (the watcher drains both).
    QStringList takeLog();
    QList<Event> takeEvents();

    void cancel() { m_canceled.store(true, std::memory_order_relaxed); }
    bool isCanceled() const { return m_canceled.load(std::memory_order_relaxed); }

private:
    std::atomic<double> m_progress{0.0};
    std::atomic<bool> m_canceled{false};
    mutable std::mutex m_mutex;
    QString m_message;
    ItemRef m_subject;
    QString m_title;
    QStringList m_log;
    QList<Event> m_events;
};

} // namespace mlwb
