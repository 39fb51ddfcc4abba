// SPDX-License-Identifier: MIT
#pragma once

// RunOverview: a run's training view: status and timing, the latest value of every metric, the
// hyperparameters, and one chart per metric (its train and validation series together, in
// MetricOrder: loss first, then the task's main metric, bookkeeping last) against step, epoch or
// wall time, decimated to the chart's width. Follows a live run: refreshes are read by a RunDataLoader off the GUI
// thread, charts only redraw when their data changed, and charts of newly logged series are
// added one per event-loop pass, so the window stays responsive while a job trains.

#include "charts/metric_chart_view.h"
#include "panes/run/run_data_loader.h"
#include "store/project.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QStackedWidget;
class QTableWidget;
class QTimer;

namespace mlwb {

class ChartGrid;

class RunOverview : public QWidget {
    Q_OBJECT
public:
    RunOverview(Project &project, qint64 runId, QWidget *parent = nullptr);

    // Reads the run again now, on the GUI thread.
    void reload();
    // Reads the run again on the loader's thread (what a live run's changes do).
    void requestReload();
    RunDataLoader *loader() const { return m_loader; }

    QLabel *header() const { return m_header; }
    QTableWidget *metricsTable() const { return m_metrics; }
    QTableWidget *hyperparameterTable() const { return m_hyper; }
    QComboBox *xAxisCombo() const { return m_xAxis; }
    QList<MetricChartView *> charts() const;
    // The chart that draws the series `key` (or titled `key`).
    MetricChartView *chart(const QString &key) const;
    // Charts of new metrics not created yet (they are added one per event-loop pass).
    int pendingCharts() const { return int(m_pendingKeys.size()); }
    MetricChartView::XAxis xAxis() const;
    void setXAxis(MetricChartView::XAxis axis);
    const RunSnapshot &snapshot() const { return m_snapshot; }

protected:
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    RunDataLoader::Request chartRequest() const;
    MetricChartView::XScale scale() const;
    void apply(const RunSnapshot &snapshot, bool createAllCharts);
    void applyHeader();
    void applyTables();
    void applyCharts(bool force);
    void createPendingChart();
    void regroup();
    void updateEmptyState();

    QPointer<Project> m_project;
    qint64 m_id;
    RunDataLoader *m_loader;
    RunSnapshot m_snapshot;
    QLabel *m_header;
    QTableWidget *m_metrics;
    QTableWidget *m_hyper;
    QJsonObject m_shownHyper;
    QComboBox *m_xAxis;
    QStackedWidget *m_chartStack;
    ChartGrid *m_grid;
    QLabel *m_empty;
    QList<MetricChartView *> m_charts; // in grid order
    QHash<MetricChartView *, QHash<QString, std::vector<MetricBucket>>> m_drawn; // what each shows
    MetricChartView::XScale m_drawnScale;
    QList<QStringList> m_groups;      // the series of each chart, in MetricOrder
    QList<QStringList> m_pendingKeys; // groups whose chart is not created yet
    QTimer *m_createTimer;
    QTimer *m_resizeTimer;
    bool m_stale = false;
};

} // namespace mlwb
