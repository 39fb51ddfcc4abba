// SPDX-License-Identifier: MIT
#include "train/train_job.h"

#include "common/format.h"
#include "jobs/job_feedback.h"

namespace mlwb {

TrainJob::TrainJob(QString projectPath, TrainRequest request)
    : m_path(std::move(projectPath)), m_request(std::move(request))
{
}

ItemRef TrainJob::subject() const
{
    return m_request.resumeRunId ? ItemRef{ItemKind::Run, m_request.resumeRunId} : ItemRef{};
}

QString TrainJob::title() const
{
    if (m_request.resumeRunId)
        return QStringLiteral("Resume run %1").arg(m_request.resumeRunId);
    return QStringLiteral("Train %1").arg(m_request.modelName);
}

Status TrainJob::run(JobFeedback &feedback)
{
    auto result = TrainingSession::run(m_path, m_request, &feedback, [this, &feedback](qint64 id) {
        m_runId = id;
        feedback.setSubject({ItemKind::Run, id});
        if (!m_request.resumeRunId) // "Resume run 5" already names it
            feedback.setTitle(QStringLiteral("%1: %2").arg(title(), Format::runName(m_request.runName, id)));
        if (onRunCreated)
            onRunCreated(id);
    });
    if (!result)
        return result.failure();
    m_result = *result;
    if (result->status == RunStatus::Failed)
        return fail(QStringLiteral("run %1 failed: %2").arg(result->runId).arg(result->message));
    if (result->status == RunStatus::Interrupted)
        return cancelled(QStringLiteral("run %1 stopped: %2").arg(result->runId).arg(result->message));
    return {};
}

} // namespace mlwb
