// SPDX-License-Identifier: MIT
#pragma once

// CompareView: any set of runs side by side, across models and sweeps. Tabs for the overlaid
// curves of one metric (CompareChartView: min/max decimation, EMA, step/epoch/wall-time axis,
// log scale, hover values, legend to hide runs, PNG/SVG/CSV export), parallel coordinates of
// the hyperparameters that differ against a metric, a scatter of one hyperparameter against a
// metric, and the runs' confusion matrices; below them a sortable table of final metrics (its
// check boxes show and hide runs in the charts) and the hyperparameter table with "only
// differences". Every run has the same colour in every chart.

#include "panes/compare/compare_chart_view.h"
#include "eval/run_comparison.h"

#include <QList>
#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineSeries;
class QSlider;
class QTabWidget;
class QTableWidget;
class QTableWidgetItem;
class QTimer;

namespace mlwb {

class ConfusionMatricesView;
class HyperparameterScatterView;
class MessageBar;
class ParallelCoordinatesView;
class Project;

class CompareView : public QWidget {
    Q_OBJECT
public:
    using XAxis = CompareChartView::XAxis;
    enum Tab { CurvesTab, ParallelTab, ScatterTab, ConfusionTab };

    CompareView(Project &project, const QList<qint64> &runIds, QWidget *parent = nullptr);

    // The colour of a run in every chart.
    static QColor colorOf(qint64 runId);

    QList<qint64> runIds() const { return m_runs; }
    const RunComparison &comparison() const { return m_comparison; }

    // Curves.
    void setMetricKey(const QString &key);
    QString metricKey() const;
    void setSmoothing(int percent); // 0 = raw, 99 = heavy
    void setXAxis(XAxis axis);
    void setLogScale(bool on);
    QComboBox *keyCombo() const { return m_key; }
    CompareChartView *chart() const { return m_chart; }
    // The drawn line of every visible run.
    QList<QLineSeries *> series() const;
    // The number of pixel columns of the plot area the curves are decimated to.
    int bucketCount() const;

    // Parallel coordinates and scatter.
    void setParallelMetric(const QString &key);
    void setScatterHyperparameter(const QString &key);
    void setScatterMetric(const QString &key);
    ParallelCoordinatesView *parallelCoordinates() const { return m_parallel; }
    HyperparameterScatterView *scatter() const { return m_scatter; }
    ConfusionMatricesView *confusionMatrices() const { return m_confusion; }
    QTabWidget *tabs() const { return m_tabs; }

    QTableWidget *summaryTable() const { return m_summary; }
    QTableWidget *hyperparameterTable() const { return m_hyper; }
    QCheckBox *onlyDifferences() const { return m_onlyDiff; }

    void reload();

private:
    QWidget *makeCurvesPage();
    QWidget *makeParallelPage();
    QWidget *makeScatterPage();
    void reloadKeys();
    void reloadTables();
    void reloadParallel();
    void reloadScatter();
    void refreshCurrentTab();
    void applyDifferenceFilter();
    void onSummaryItemChanged(QTableWidgetItem *item);
    void onRunVisibilityChanged(qint64 runId, bool visible);
    QList<CompareChartView::RunInfo> runInfos() const;

    QPointer<Project> m_project;
    QList<qint64> m_runs;
    RunComparison m_comparison;
    MessageBar *m_message;
    QTabWidget *m_tabs;
    QComboBox *m_key;
    QComboBox *m_axis;
    QCheckBox *m_log;
    QSlider *m_smoothing;
    CompareChartView *m_chart;
    QComboBox *m_parallelMetric;
    ParallelCoordinatesView *m_parallel;
    QComboBox *m_scatterParam;
    QComboBox *m_scatterMetric;
    HyperparameterScatterView *m_scatter;
    ConfusionMatricesView *m_confusion;
    QTableWidget *m_summary;
    QTableWidget *m_hyper;
    QCheckBox *m_onlyDiff;
    QTimer *m_reloadTimer;
    // Tabs not on screen are filled when they are shown.
    bool m_parallelStale = true;
    bool m_scatterStale = true;
    bool m_confusionStale = true;
};

} // namespace mlwb
