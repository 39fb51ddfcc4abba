// SPDX-License-Identifier: MIT
#pragma once

// RunOverview: a run's document tab until the run pane arrives: status and timing, the latest
// value of every metric (MetricReader::latest), the hyperparameters, and one chart per metric
// key, decimated to the chart's width (MetricReader::buckets). Follows a live run.

#include "store/project.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class QGridLayout;
class QLabel;
class QTableWidget;
class QTimer;

namespace mlwb {

class MetricChartView;

class RunOverview : public QWidget {
    Q_OBJECT
public:
    RunOverview(Project &project, qint64 runId, QWidget *parent = nullptr);

    void reload();
    QTableWidget *metricsTable() const { return m_metrics; }
    QList<MetricChartView *> charts() const;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void reloadCharts();

    QPointer<Project> m_project;
    qint64 m_id;
    QLabel *m_header;
    QTableWidget *m_metrics;
    QTableWidget *m_hyper;
    QWidget *m_chartBox;
    QGridLayout *m_chartGrid;
    QLabel *m_noMetrics;
    QHash<QString, MetricChartView *> m_charts;
    QTimer *m_resizeTimer;
};

} // namespace mlwb
