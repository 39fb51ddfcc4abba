// SPDX-License-Identifier: MIT
#pragma once

// SweepGroup: a sweep whose trials are jobs of a JobManager, so they share its limit with every
// other job (the workbench runs at most its job limit of trainings at once, sweep or not).
// A job group holds a planning job (SweepRunner::prepare: checks, the sweep row) and then one
// TrainJob per trial; canceling the group interrupts the running trials and starts no more.
// SweepRunner::run keeps its own worker threads for the CLI, where nothing else runs.

#include "common/result.h"
#include "train/sweep_runner.h"

#include <functional>

namespace mlwb {

class JobManager;

class SweepGroup {
public:
    // Returns the group's job id. `onDone` runs on the manager's thread when the group ended:
    // with the sweep as stored (SweepRunner::load), or why it could not run (a trial that
    // failed does not fail the sweep; its trial says so). `onSweepCreated` (optional) runs
    // there once the sweep row exists.
    static int submit(JobManager &jobs, const QString &projectPath, const SweepRequest &request,
                      std::function<void(const Result<SweepResult> &)> onDone,
                      std::function<void(qint64 sweepId)> onSweepCreated = {});
};

} // namespace mlwb
