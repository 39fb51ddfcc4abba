// SPDX-License-Identifier: MIT
#pragma once

// SweepJob: a hyperparameter sweep as a background job (the workbench's Sweep dialog).

#include "jobs/job.h"
#include "train/sweep_runner.h"

#include <atomic>
#include <functional>

namespace mlwb {

class SweepJob : public Job {
public:
    SweepJob(QString projectPath, SweepRequest request);
    QString title() const override;
    // Fails when the sweep could not start or a trial failed; a cancel is not a failure.
    Status run(JobFeedback &feedback) override;

    // Set once the sweep exists (read from any thread).
    qint64 sweepId() const { return m_sweepId.load(); }
    // Valid after run() returned.
    const SweepResult &result() const { return m_result; }
    // Called on a worker thread when the sweep record exists and after each trial.
    std::function<void(qint64)> onSweepCreated;
    std::function<void(const SweepTrial &)> onTrialFinished;

private:
    QString m_path;
    SweepRequest m_request;
    std::atomic<qint64> m_sweepId{0};
    SweepResult m_result;
};

} // namespace mlwb
