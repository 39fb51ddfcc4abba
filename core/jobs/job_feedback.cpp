// SPDX-License-Identifier: MIT
#include "jobs/job_feedback.h"

#include <algorithm>

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

} // namespace mlwb
