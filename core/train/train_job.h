// SPDX-License-Identifier: MIT
#pragma once

// TrainJob: a training run as a background job (the workbench's Train and the sweeps).

#include "jobs/job.h"
#include "train/training_session.h"

#include <atomic>
#include <functional>

namespace mlwb {

class TrainJob : public Job {
public:
    TrainJob(QString projectPath, TrainRequest request);
    QString title() const override;
    ItemRef subject() const override;
    Status run(JobFeedback &feedback) override;

    // Set once the run exists (read from any thread).
    qint64 runId() const { return m_runId.load(); }
    const TrainResult &result() const { return m_result; }
    // Called on the worker thread when the run record exists.
    std::function<void(qint64)> onRunCreated;

private:
    QString m_path;
    TrainRequest m_request;
    std::atomic<qint64> m_runId{0};
    TrainResult m_result;
};

} // namespace mlwb
