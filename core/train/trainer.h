// SPDX-License-Identifier: MIT
#pragma once

// Trainer: the training loop. Optimiser, learning-rate schedule, gradient clipping, early
// stopping with best-weight restore, per-step and per-epoch metrics, checkpoints and resume. It
// trains a LoadedModel in place; the tensors it builds from the table stay inside trainer.cpp,
// one of the few files outside core/inference that see libtorch.

#include "common/result.h"
#include "train/training_config.h"

#include <QByteArray>
#include <QJsonObject>

#include <functional>
#include <memory>
#include <vector>

namespace mlwb {

class DataTable;
class JobFeedback;
class LoadedModel;
class MetricLogger;
class Preprocessing;

// What the model learns from: rows of a table through the preprocessing fitted on the training
// rows (its task says classification or regression). Both pointers outlive the trainer.
struct TrainingData {
    const DataTable *table = nullptr;
    const Preprocessing *preprocessing = nullptr;
    std::vector<qint64> trainRows;
    std::vector<qint64> valRows; // empty: no validation
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

    Trainer(LoadedModel &model, TrainingData data, TrainingConfig config, Hooks hooks);
    ~Trainer();

    // Continues from a "latest" checkpoint blob made by this class (weights, optimiser, state).
    Status resumeFrom(const QByteArray &checkpoint);
    Result<TrainingOutcome> run();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace mlwb
