// SPDX-License-Identifier: MIT
#include "train/sweep_job.h"

#include <algorithm>

namespace mlwb {

SweepJob::SweepJob(QString projectPath, SweepRequest request)
    : m_path(std::move(projectPath)), m_request(std::move(request))
{
}

QString SweepJob::title() const
{
    const auto count = m_request.spec.trialCount();
    return QStringLiteral("Sweep %1 (%2, %3 trials)")
        .arg(m_request.modelName, m_request.spec.strategy)
        .arg(count ? *count : 0);
}

Status SweepJob::run(JobFeedback &feedback)
{
    SweepRunner::Hooks hooks;
    hooks.sweepCreated = [this](qint64 id) {
        m_sweepId = id;
        if (onSweepCreated)
            onSweepCreated(id);
    };
    hooks.trialFinished = [this](const SweepTrial &trial) {
        if (onTrialFinished)
            onTrialFinished(trial);
    };
    auto result = SweepRunner::run(m_path, m_request, &feedback, hooks);
    if (!result)
        return result.failure();
    m_result = *result;
    int failed = 0;
    const SweepTrial *first = nullptr;
    for (const SweepTrial &t : m_result.trials) {
        if (t.status == RunStatus::Failed) {
            ++failed;
            if (!first)
                first = &t;
        }
    }
    if (failed)
        return fail(QStringLiteral("sweep %1: %2 of %3 trials failed; trial %4: %5")
                        .arg(m_result.sweepId)
                        .arg(failed)
                        .arg(m_result.trials.size())
                        .arg(first->index)
                        .arg(first->message));
    if (!m_result.allFinished())
        return cancelled(QStringLiteral("sweep %1 stopped after %2 of %3 trials")
                             .arg(m_result.sweepId)
                             .arg(std::count_if(m_result.trials.begin(), m_result.trials.end(),
                                                [](const SweepTrial &t) { return t.status == RunStatus::Finished; }))
                             .arg(m_result.trials.size()));
    return {};
}

} // namespace mlwb
