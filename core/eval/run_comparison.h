// SPDX-License-Identifier: MIT
#pragma once

// RunComparison: what the compare pane knows about a set of runs, read once per refresh: each
// run's record, its final metrics (the numbers of its summary, completed by the latest value of
// every logged series) and its hyperparameters, which hyperparameters differ, and an axis for
// any hyperparameter or metric (numbers as they are, other values as sorted categories) so the
// parallel coordinates and the scatter place runs the same way.

#include "store/records.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace mlwb {

class MetricReader;
class Project;
class RunRepository;

class RunComparison {
public:
    struct Run {
        qint64 id = 0;
        QString name;
        RunStatus status = RunStatus::Queued;
        QJsonObject hyperparams;
        QHash<QString, double> summary; // numbers of the summary, nested keys as "a/b"
        QHash<QString, double> finals;  // summary, then the latest value of each series
    };
    // How values of one key map to a coordinate: numbers as they are (log when they are all
    // positive and span two decades or more, or are learning rates), anything else as the index
    // of its sorted category.
    struct Axis {
        QString key;
        QStringList categories; // empty for a numeric axis
        double min = 0;
        double max = 1;
        bool log = false;
        bool isCategorical() const { return !categories.isEmpty(); }
    };

    static RunComparison load(Project &project, const QList<qint64> &runIds);
    // The same from the repositories of any connection (a job's, the CLI's).
    static RunComparison load(RunRepository &runs, MetricReader &metrics, const QList<qint64> &runIds);

    const QList<Run> &runs() const { return m_runs; }
    const Run *run(qint64 id) const;
    // Every hyperparameter key of any run, sorted.
    const QStringList &hyperparameterKeys() const { return m_hyperKeys; }
    // Keys whose value is not the same in every run (a missing value counts as different).
    QStringList differingHyperparameters() const;
    bool differs(const QString &hyperparameter) const;
    // Numeric summary keys of any run, sorted.
    const QStringList &summaryKeys() const { return m_summaryKeys; }
    // Summary keys, then keys that only have a logged series.
    const QStringList &metricKeys() const { return m_metricKeys; }
    // The metric a reader most likely wants on a metric axis (test accuracy, validation loss, ...).
    QString defaultMetric() const;

    Axis hyperparameterAxis(const QString &key) const;
    Axis metricAxis(const QString &key) const;
    // The coordinate of a run's value on an axis; NaN when the run has none.
    double hyperparameterValue(const Run &run, const Axis &axis) const;
    static double metricValue(const Run &run, const QString &key);

    // A hyperparameter value as a table shows it.
    static QString valueText(const QJsonValue &value);

private:
    QList<Run> m_runs;
    QStringList m_hyperKeys;
    QStringList m_summaryKeys;
    QStringList m_metricKeys;
};

} // namespace mlwb
