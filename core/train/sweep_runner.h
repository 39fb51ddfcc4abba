// SPDX-License-Identifier: MIT
#pragma once

// SweepRunner: runs the trials of a hyperparameter sweep. Creates the sweep row, then one
// TrainingSession per trial ("trial N", grouped by sweep id), up to `parallel` at a time on its
// own worker threads, and picks the best trial by the spec's metric. Also rebuilds the result
// of a stored sweep from its runs.

#include "common/result.h"
#include "store/records.h"
#include "train/sweep_spec.h"
#include "train/training_config.h"
#include "train/training_session.h"

#include <QJsonObject>

#include <functional>
#include <limits>

namespace mlwb {

class Database;
class JobFeedback;

struct SweepRequest {
    QString modelName;
    QString datasetName; // empty: the model's data set
    QString name;        // empty: "<model> <strategy> sweep"
    TrainingConfig base; // every trial starts from this config
    SweepSpec spec;
    qint64 ownerLease = 0;
};

struct SweepTrial {
    int index = 0; // 1-based, in expand() order
    SweepOverrides params;
    qint64 runId = 0;                     // 0: never started
    RunStatus status = RunStatus::Queued; // queued: not started (the sweep was canceled)
    QString message;
    double metric = std::numeric_limits<double>::quiet_NaN();
    QJsonObject summary;
};

struct SweepResult {
    qint64 sweepId = 0;
    QString name;
    SweepSpec spec;
    QString metric; // the spec's metric, or the one chosen by task when it named none
    QList<SweepTrial> trials;
    int best = -1; // index into trials; -1: no finished trial has the metric

    const SweepTrial *bestTrial() const { return best >= 0 ? &trials[best] : nullptr; }
    bool allFinished() const;
    // Trials ordered best first; not finished or without the metric last, by index.
    QList<SweepTrial> ranked() const;
};

// A checked sweep with its row in the file: what each trial trains.
struct SweepPlan {
    SweepResult result;        // the sweep id, name, spec and trials (none started)
    QList<TrainRequest> trials; // one per result.trials entry, in order
};

class SweepRunner {
public:
    struct Hooks {
        // On the calling thread, once the sweep row exists.
        std::function<void(qint64 sweepId)> sweepCreated;
        // On a worker thread, one call at a time.
        std::function<void(const SweepTrial &trial)> trialFinished;
    };

    // Checks the spec and every trial's config before anything is written. feedback: progress
    // is the finished trials plus the running trials' own progress over the total; cancel
    // interrupts the running trials and starts no more.
    static Result<SweepResult> run(const QString &projectPath, const SweepRequest &request,
                                   JobFeedback *feedback, const Hooks &hooks = {});
    // Checks the request and creates the sweep row: the first half of run(), for callers that
    // run the trials themselves (SweepGroup: as jobs of a JobManager).
    static Result<SweepPlan> prepare(const QString &projectPath, const SweepRequest &request);
    // The trial configs `request` would run, checked; no file needed.
    static Result<QList<TrainingConfig>> trialConfigs(const SweepRequest &request,
                                                      const QList<SweepOverrides> &trials);
    // The result of a stored sweep, from its runs.
    static Result<SweepResult> load(Database &db, qint64 sweepId);
    // Sets metric and best from the trials' summaries.
    static void chooseBest(SweepResult &result);
};

} // namespace mlwb
