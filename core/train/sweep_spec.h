// SPDX-License-Identifier: MIT
#pragma once

// SweepSpec: what a hyperparameter sweep varies and how (grid or seeded random search), which
// metric picks the best trial and how many trials run side by side. Has a JSON form (stored
// with the sweep) and the CLI's compact `key=spec` form; expand() lists the trials.

#include "common/result.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <vector>

namespace mlwb {

// One swept TrainingConfig key and its domain.
struct SweepParameter {
    enum class Kind {
        Values,     // the listed values (grid: each one; random: a uniform choice)
        Uniform,    // random only: uniform in [min, max]
        LogUniform, // random only: log-uniform in [min, max], min > 0
        IntRange,   // every integer in [min, max] (grid) or a uniform one (random)
    };
    QString key; // a TrainingConfig key (lr, batch_size, optimizer, ...)
    Kind kind = Kind::Values;
    QStringList values;
    double min = 0;
    double max = 0;

    // CLI form: "lr=0.001,0.01,0.1", "lr=log:1e-4:1e-1", "momentum=uniform:0.8:0.99",
    // "batch_size=int:16:128". Checks the key and the values against TrainingConfig.
    static Result<SweepParameter> parse(const QString &text);
    QString toText() const; // the CLI form again
    // {"key": "lr", "values": [...]} or {"key": "lr", "distribution": "log_uniform"|"uniform"|
    // "int", "min": .., "max": ..}
    QJsonObject toJson() const;
    static Result<SweepParameter> fromJson(const QJsonObject &json);
    // Each value is one TrainingConfig::set accepts; ranges are well-formed.
    Status validate() const;
    bool isContinuous() const { return kind == Kind::Uniform || kind == Kind::LogUniform; }
    // The text TrainingConfig::set takes for a JSON value (a stored run's hyperparameter).
    static QString valueText(const QJsonValue &value);
};

// A trial: TrainingConfig key -> value text, applied over the sweep's base config.
using SweepOverrides = QHash<QString, QString>;

struct SweepSpec {
    static constexpr int kMaxTrials = 1000;

    QString strategy = QStringLiteral("grid"); // "grid" or "random"
    int trials = 10;                           // random: how many samples
    quint64 seed = 42;                         // random: the sampler's seed
    std::vector<SweepParameter> parameters;
    // Summary metric of a run that picks the best trial ("val_accuracy", "val_loss", ...);
    // its direction comes from eval/metric_direction. Empty: val_accuracy for classification,
    // val_loss for regression.
    QString metric;
    int parallel = 1; // trials running side by side

    QJsonObject toJson() const;
    static Result<SweepSpec> fromJson(const QJsonObject &json);
    Status validate() const;
    // How many trials expand() gives (grid: the product of the value counts).
    Result<int> trialCount() const;
    // Grid: the cartesian product, the last parameter varying fastest. Random: `trials` draws
    // from std::mt19937_64 seeded with `seed`, parameters drawn in their declared order, with
    // our own arithmetic on the raw 64-bit outputs so every platform gets the same trials.
    Result<QList<SweepOverrides>> expand() const;
    // "lr=0.01 batch_size=32", in the order the parameters are declared.
    QString describe(const SweepOverrides &trial) const;
    QStringList keys() const;
};

} // namespace mlwb
