// SPDX-License-Identifier: MIT
#pragma once

// MetricReport: how `mlwb train` and `mlwb eval` print metrics as text: the task's headline
// metrics first (MetricOrder: loss and the main metric lead), one row per metric with a column
// per split (train, validation, test), the rest only with --all; training facts (epochs,
// parameters, throughput) as integers, durations and rates; a confusion matrix labelled with its
// classes. Numbers through Format::metric, four significant digits. --json output is separate.

#include <QJsonObject>
#include <QString>

namespace mlwb::cli {

class MetricReport {
public:
    // A training run's summary (train_loss, val_accuracy, test_f1_macro, epochs_run, ...).
    static QString training(const QJsonObject &summary, bool all);
    // An evaluation report's flat metrics on one split.
    static QString evaluation(const QJsonObject &metrics, const QString &task, bool all);
    // The report's confusion matrix with class names on both axes; empty without one.
    static QString confusionMatrix(const QJsonObject &report);
};

} // namespace mlwb::cli
