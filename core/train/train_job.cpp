// SPDX-License-Identifier: MIT
#include "train/train_job.h"

namespace mlwb {

TrainJob::TrainJob(QString projectPath, TrainRequest request)
    : m_path(std::move(projectPath)), m_request(std::move(request))
{
}

QString TrainJob::title() const
{
    if (m_request.resumeRunId)
        return QStringLiteral("Resume run %1").arg(m_request.resumeRunId);
    return QStringLiteral("Train %1").arg(m_request.modelName);
}

Status TrainJob::run(JobFeedback &feedback)
{
    auto result = TrainingSession::run(m_path, m_request, &feedback, [this](qint64 id) {
        m_runId = id;
        if (onRunCreated)
            onRunCreated(id);
    });
    if (!result)
        return result.failure();
    m_result = *result;
    if (result->status == RunStatus::Failed)
        return fail(QStringLiteral("run %1 failed: %2").arg(result->runId).arg(result->message));
    return {};
}

} // namespace mlwb
