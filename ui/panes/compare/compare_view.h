// SPDX-License-Identifier: MIT
#pragma once

// CompareView: any set of runs side by side, across models and sweeps. Tabs for the overlaid
// curves of one metric (CompareChartView: min/max decimation, EMA, step/epoch/wall-time axis,
// log scale, hover values, legend to hide runs, PNG/SVG/CSV export), parallel coordinates of
// the hyperparameters that differ against a metric, a scatter of one hyperparameter against a
// metric, and the runs' confusion matrices; below them a sortable table of final metrics (its
// check boxes show and hide runs in the charts; the Run column stays in place when scrolling;
// the main metric leads, a column picker chooses the rest) and the hyperparameter table with
// "only differences". Every run has the same colour in every chart. With a focus metric (a
// sweep's), the best run by it is marked in the table and drawn wider in the charts. Exports
// confirm with their path and an "Open folder" action.

#include "panes/compare/compare_chart_view.h"
#include "eval/run_comparison.h"

#include <QList>
#include <QPointer>
#include <QSet>
#include <QWidget>

class QAction;
class QCheckBox;
class QComboBox;
class QMenu;
class QHBoxLayout;
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

    // The metric the runs are judged by (a sweep's): the parallel coordinates, the scatter and
    // the curves show it, the table sorts by it and the best run by it is marked. Empty: the
    // comparison's default metric.
    void setFocusMetric(const QString &metric);
    const QString &focusMetric() const { return m_focusMetric; }
    // The best run by the focus metric (in its direction); 0 without a focus metric.
    qint64 bestRunId() const { return m_bestRun; }

    // The metric columns of the final metrics table in their order, and which are shown.
    QStringList summaryColumns() const { return m_summaryKeys; }
    void setSummaryColumnVisible(const QString &key, bool visible);
    bool isSummaryColumnVisible(const QString &key) const;
    // The column picker (the header's context menu and the Columns button), filled anew.
    QMenu *columnMenu();

    // Writes the chart of the current tab (PNG or SVG by suffix; CSV of the curves) and
    // confirms in the message bar; a failure is shown there as well.
    bool exportCurrentChart(const QString &path);
    // The final metrics table as CSV (the shown columns), confirmed the same way.
    bool exportSummaryCsv(const QString &path);
    MessageBar *messageBar() const { return m_message; }
    // "Open folder" of the last export's message.
    QAction *openFolderAction() const { return m_openFolder; }
    const QString &lastExportFolder() const { return m_exportFolder; }

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
    void updateBestRun();
    void applyColumnVisibility();
    void showExported(const QString &path);
    void exportWithDialog(const QString &suffix);
    void exportSummaryWithDialog();
    void addImageExportButtons(QWidget *owner, QHBoxLayout *controls);

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
    QString m_focusMetric;
    qint64 m_bestRun = 0;
    QStringList m_summaryKeys;
    QSet<QString> m_hiddenColumns;
    bool m_columnsChosen = false; // the user picked columns: keep them over reloads
    QMenu *m_columnMenu;
    QAction *m_openFolder;
    QString m_exportFolder;
    // Tabs not on screen are filled when they are shown.
    bool m_parallelStale = true;
    bool m_scatterStale = true;
    bool m_confusionStale = true;
};

} // namespace mlwb
