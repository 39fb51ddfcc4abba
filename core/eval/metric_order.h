// SPDX-License-Identifier: MIT
#pragma once

// MetricOrder: the one order in which charts, tables and the CLI list metric keys, so every view
// leads with what matters: the loss (train and validation), then the task's main metric
// (accuracy for classification, rmse for regression), then the other metrics alphabetically,
// and bookkeeping series (epoch_lr, samples_per_sec, parameters, ...) last. The splits of one
// metric stay adjacent ("accuracy", "train_accuracy", "val_accuracy", "test_accuracy").

#include <QList>
#include <QString>
#include <QStringList>

namespace mlwb {

class MetricOrder {
public:
    enum class Task { Unknown, Classification, Regression };
    // Whether the loss or the main metric leads: charts show the loss first, a table of final
    // results the main metric.
    enum class Lead { Loss, MainMetric };

    explicit MetricOrder(Task task = Task::Unknown, Lead lead = Lead::Loss);
    // The task read from the keys themselves: an accuracy means classification, an rmse, mse
    // or r2 regression.
    static MetricOrder forKeys(const QStringList &keys, Lead lead = Lead::Loss);
    // "classification", "regression" (a run summary's "task"); anything else is Unknown.
    static Task taskFromName(const QString &name);

    Task task() const { return m_task; }
    // "accuracy", "rmse"; empty for an unknown task.
    static QString mainMetric(Task task);
    QString mainMetric() const { return mainMetric(m_task); }

    // The key without its split: "val_accuracy", "train/accuracy", "test.accuracy" are
    // "accuracy". Bookkeeping keys keep their name ("epoch_lr").
    static QString baseName(const QString &key);
    // Counters and rates that describe the training rather than the model's quality.
    static bool isBookkeeping(const QString &key);
    // Fractions that can never leave [0, 1] (accuracy, precision, recall, f1, roc_auc, ...).
    static bool isUnitInterval(const QString &key);

    // The few metrics a summary shows first (the CLI without --all): the loss and the main
    // metric, and for classification log_loss, f1_macro and roc_auc, for regression mae and r2.
    bool isHeadline(const QString &key) const;

    bool lessThan(const QString &a, const QString &b) const;
    QStringList sorted(QStringList keys) const;
    // The sorted keys, those of one metric (its splits) in one group: {loss, val_loss},
    // {accuracy, val_accuracy}, {epoch_lr}.
    QList<QStringList> grouped(const QStringList &keys) const;

private:
    int groupRank(const QString &key) const;

    Task m_task;
    Lead m_lead;
};

} // namespace mlwb
