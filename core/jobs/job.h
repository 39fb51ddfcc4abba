// SPDX-License-Identifier: MIT
#pragma once

// Job: a piece of long work (training, evaluation, import) that runs off the calling thread.
// run() executes on a worker thread, reports through JobFeedback and stops soon after cancel.

#include "common/item_ref.h"
#include "common/result.h"

#include <QString>

namespace mlwb {

class JobFeedback;

class Job {
public:
    virtual ~Job() = default;
    virtual QString title() const = 0;
    // Ok when the work is done; a job that stopped early for a cancel returns cancelled(...)
    // (the Jobs pane shows it canceled), one that finished anyway returns ok (finished).
    virtual Status run(JobFeedback &feedback) = 0;
    // The item it works on, if known before it starts (a job may name it later through
    // JobFeedback::setSubject).
    virtual ItemRef subject() const { return {}; }
};

} // namespace mlwb
