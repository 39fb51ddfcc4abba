// SPDX-License-Identifier: MIT
#pragma once

// TrainingConfig: every hyperparameter of a training run, with defaults, validation, JSON form
// (stored with the run) and `key=value` setting for the CLI's --set and the GUI's form.

#include "common/result.h"
#include "data/column_info.h"

#include <QJsonObject>
#include <QStringList>

namespace mlwb {

struct TrainingConfig {
    // Loss: "cross_entropy" (classification), "mse" or "huber" (regression); empty = by task.
    QString loss;
    QString classWeights = QStringLiteral("none"); // "none" or "balanced"
    double huberDelta = 1.0;

    QString optimizer = QStringLiteral("adam"); // sgd, adam, adamw
    double learningRate = 1e-3;
    double momentum = 0.9;  // sgd
    bool nesterov = false;  // sgd
    double weightDecay = 0.0;
    double beta1 = 0.9;
    double beta2 = 0.999;

    // Schedule: none, step, cosine, onecycle, plateau.
    QString schedule = QStringLiteral("none");
    int stepSize = 10;       // step: epochs between decays
    double gamma = 0.1;      // step and plateau: factor
    int plateauPatience = 3; // plateau: epochs without improvement before a decay
    double minLearningRate = 0.0;

    int batchSize = 64;
    int epochs = 20;
    double gradientClip = 0.0; // max global L2 norm; 0 = off
    // A training loss that becomes NaN or infinite: "stop" ends the run failed at that step (as
    // Keras' TerminateOnNaN does), "continue" trains on.
    QString onNonFinite = QStringLiteral("stop");

    // Early stopping on a validation metric; patience 0 = off.
    QString earlyStoppingMetric = QStringLiteral("val_loss");
    int patience = 0;
    bool restoreBestWeights = true;

    quint64 seed = 42;
    int threads = 0; // 0 = all cores
    int logEverySteps = 1;

    QJsonObject toJson() const;
    static Result<TrainingConfig> fromJson(const QJsonObject &json);
    // Sets one hyperparameter from text; the error names the key and the expected values.
    Status set(const QString &key, const QString &value);
    Status validate() const;
    static QStringList keys();
    // The values a choice key takes ("optimizer": sgd, adam, adamw; "" stands for "by task");
    // empty for numbers and flags.
    static QStringList choices(const QString &key);
    // What an empty value of a "by task" key stands for ("loss": cross_entropy for
    // classification, mse for regression); empty for the other keys.
    static QString taskDefault(const QString &key, TaskKind task);
};

} // namespace mlwb
