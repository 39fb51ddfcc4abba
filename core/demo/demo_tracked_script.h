// SPDX-License-Identifier: MIT
#pragma once

// DemoTrackedScript: the demo project's experiment logged by a "script" through the tracking
// endpoint (issue #15), so the Experiments branch shows something real at first start. The
// script is in-process C++ instead of Python (the demo must build where no Python is installed):
// softmax regression on the iris training split by plain full-batch gradient descent, once per
// learning rate, each run logged request by request as MLflow's client logs a script's run
// (experiments/get-by-name then create, runs/create with the client's tags, log-batch of the
// params, one log-batch of train_loss, val_loss and val_accuracy per epoch, an artifact,
// runs/update FINISHED) through the endpoint's own TrackingService. Every figure is computed.

#include "common/result.h"

#include <QList>
#include <QString>

namespace mlwb {

class JobFeedback;

class DemoTrackedScript {
public:
    static constexpr const char *kExperiment = "iris-notebook";

    struct Outcome {
        qint64 experimentId = 0;
        QList<qint64> runIds;
        int requests = 0;
    };

    // Logs into the project at `projectPath` (at the current schema), learning from `dataset`.
    static Result<Outcome> record(const QString &projectPath, const QString &dataset, JobFeedback *feedback);
};

} // namespace mlwb
