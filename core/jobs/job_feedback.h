// SPDX-License-Identifier: MIT
#pragma once

// JobFeedback: the channel between a running job and whoever watches it. The worker writes
// progress and checks the cancel flag; the watcher reads on its own schedule (thread-safe).

#include <QString>

#include <atomic>
#include <mutex>

namespace mlwb {

class JobFeedback {
public:
    void setProgress(double fraction, const QString &message = QString());
    void setMessage(const QString &message);
    double progress() const { return m_progress.load(std::memory_order_relaxed); }
    QString message() const;

    void cancel() { m_canceled.store(true, std::memory_order_relaxed); }
    bool isCanceled() const { return m_canceled.load(std::memory_order_relaxed); }

private:
    std::atomic<double> m_progress{0.0};
    std::atomic<bool> m_canceled{false};
    mutable std::mutex m_mutex;
    QString m_message;
};

} // namespace mlwb
