// SPDX-License-Identifier: MIT
#include "jobs/job_feedback.h"

#include <algorithm>
#include <utility>

namespace mlwb {

void JobFeedback::setProgress(double fraction, const QString &message)
{
    m_progress.store(std::clamp(fraction, 0.0, 1.0), std::memory_order_relaxed);
    if (!message.isNull())
        setMessage(message);
}

void JobFeedback::setMessage(const QString &message)
{
    std::lock_guard lock(m_mutex);
    m_message = message;
}

QString JobFeedback::message() const
{
    std::lock_guard lock(m_mutex);
    return m_message;
}

void JobFeedback::setSubject(const ItemRef &subject)
{
    std::lock_guard lock(m_mutex);
    m_subject = subject;
}

ItemRef JobFeedback::subject() const
{
    std::lock_guard lock(m_mutex);
    return m_subject;
}

void JobFeedback::setTitle(const QString &title)
{
    std::lock_guard lock(m_mutex);
    m_title = title;
}

QString JobFeedback::title() const
{
    std::lock_guard lock(m_mutex);
    return m_title;
}

void JobFeedback::log(const QString &line)
{
    std::lock_guard lock(m_mutex);
    m_log << line;
}

void JobFeedback::post(const QString &type, const QJsonObject &payload)
{
    std::lock_guard lock(m_mutex);
    m_events.append({type, payload});
}

QStringList JobFeedback::takeLog()
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_log, {});
}

QList<JobFeedback::Event> JobFeedback::takeEvents()
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_events, {});
}

} // namespace mlwb
