// SPDX-License-Identifier: MIT
#pragma once

// CompareView: two or more runs side by side. One metric key (combo) overlaid per run in a
// consistent colour per run, decimated to the chart's width (MetricReader::chartBuckets, never
// more points than pixels), with EMA smoothing and step or wall-time x axis; a sortable table of
// each run's final metrics (its summary) and a table of hyperparameters that can show only the
// ones that differ.

#include "store/project.h"

#include <QList>
#include <QPointer>
#include <QWidget>

class QCheckBox;
class QChartView;
class QComboBox;
class QLineSeries;
class QSlider;
class QTableWidget;
class QTimer;

namespace mlwb {

class CompareView : public QWidget {
    Q_OBJECT
public:
    enum class XAxis { Step, WallTime };

    CompareView(Project &project, const QList<qint64> &runIds, QWidget *parent = nullptr);

    // The colour of a run in every chart.
    static QColor colorOf(qint64 runId);

    QList<qint64> runIds() const { return m_runs; }
    void setMetricKey(const QString &key);
    QString metricKey() const;
    void setSmoothing(int percent); // 0 = raw, 99 = heavy
    void setXAxis(XAxis axis);
    QComboBox *keyCombo() const { return m_key; }
    QList<QLineSeries *> series() const;
    QTableWidget *summaryTable() const { return m_summary; }
    QTableWidget *hyperparameterTable() const { return m_hyper; }
    QCheckBox *onlyDifferences() const { return m_onlyDiff; }
    // The number of pixels of the plot area the curves are decimated to.
    int bucketCount() const;

    void reload();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void reloadKeys();
    void reloadChart();
    void reloadTables();
    void applyDifferenceFilter();

    QPointer<Project> m_project;
    QList<qint64> m_runs;
    QComboBox *m_key;
    QComboBox *m_axis;
    QSlider *m_smoothing;
    QChartView *m_chart;
    QTableWidget *m_summary;
    QTableWidget *m_hyper;
    QCheckBox *m_onlyDiff;
    QTimer *m_reloadTimer;
};

} // namespace mlwb
