// SPDX-License-Identifier: MIT
#pragma once

// TrainingSession: one training run end to end, on the calling (worker) thread with its own
// connection: load model and data, fit the preprocessing on the training split, train with
// metric logging and checkpoints, evaluate on validation and test, store the trained model.

#include "common/result.h"
#include "store/records.h"
#include "train/training_config.h"

#include <QJsonObject>

#include <functional>

namespace mlwb {

class JobFeedback;

struct TrainRequest {
    QString modelName;
    QString datasetName;   // empty: the model's data set
    TrainingConfig config;
    QString runName;
    int modelVersion = 0;   // the model's version number to train; 0: its newest
    qint64 resumeRunId = 0; // continue this interrupted run from its latest checkpoint
    qint64 sweepId = 0;
    qint64 ownerLease = 0;  // the lease of the process that runs it (crash recovery)
};

struct TrainResult {
    qint64 runId = 0;
    RunStatus status = RunStatus::Failed;
    QString message;
    QJsonObject summary; // final epoch metrics, test metrics, best epoch, samples/s
};

class TrainingSession {
public:
    // onRunCreated is called (on this thread) as soon as the run exists in the file.
    static Result<TrainResult> run(const QString &projectPath, const TrainRequest &request,
                                   JobFeedback *feedback,
                                   const std::function<void(qint64 runId)> &onRunCreated = {});
};

} // namespace mlwb
