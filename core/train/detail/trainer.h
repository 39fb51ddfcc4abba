// SPDX-License-Identifier: MIT
#pragma once

// Trainer: the training loop over in-memory tensors. Optimiser, learning-rate schedule,
// gradient clipping, early stopping with best-weight restore, per-step and per-epoch metrics,
// checkpoints and resume. Included by train/*.cpp only: it pulls in libtorch.

#include "common/result.h"
#include "train/training_config.h"

#include <QByteArray>
#include <QJsonObject>

#include <torch/script.h>

#include <functional>

namespace mlwb {

class JobFeedback;
class MetricLogger;

struct TrainingTensors {
    torch::Tensor xTrain, yTrain; // y: int64 class codes, or float [N] for regression
    torch::Tensor xVal, yVal;     // may be undefined: no validation
    bool classification = true;
    int classes = 0;
    double targetStd = 1.0; // regression: report val_mse/val_mae in target units
};

struct TrainingOutcome {
    int epochsRun = 0;
    int bestEpoch = -1;
    double bestMetric = 0;
    bool stoppedEarly = false;
    bool canceled = false;
    // The training loss became NaN or infinite (on_nonfinite=stop ends the run there).
    bool diverged = false;
    qint64 divergedStep = 0;
    int divergedEpoch = 0; // 1-based
    double divergedLoss = 0;
    qint64 steps = 0;
    QJsonObject lastEpoch; // metrics of the last epoch: train_loss, val_loss, ...
    double samplesPerSecond = 0;
};

class Trainer {
public:
    struct Hooks {
        MetricLogger *logger = nullptr;
        qint64 runId = 0;
        JobFeedback *feedback = nullptr;
        // Called with a checkpoint blob after every epoch ("latest") and on improvement ("best").
        std::function<Status(const QString &tag, int epoch, qint64 step, const QByteArray &blob)>
            checkpoint;
    };

    Trainer(torch::jit::Module &module, const TrainingTensors &data, TrainingConfig config,
            Hooks hooks);
    ~Trainer();

    // Continues from a "latest" checkpoint blob made by this class (weights, optimiser, state).
    Status resumeFrom(const QByteArray &checkpoint);
    Result<TrainingOutcome> run();

    // The module's weights inside a checkpoint blob.
    static Result<torch::jit::Module> moduleFromCheckpoint(const QByteArray &checkpoint);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace mlwb
