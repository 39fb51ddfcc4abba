// SPDX-License-Identifier: MIT
#pragma once

// CompareChartView: one metric of several runs overlaid, each run in its own colour. Series are
// read as per-pixel-column buckets (MetricReader::chartBuckets) and drawn through each bucket's
// minimum and maximum, so the chart never holds more than two points per pixel column and no
// spike is hidden; with EMA smoothing the smoothed line is drawn over that min/max trace, faded.
// X axis step, epoch (through each run's "epoch" series) or wall time; linear or log y; hover
// shows every run's value at the cursor; a legend click hides a run; PNG, SVG and CSV export.

#include <QChartView>
#include <QColor>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>

#include <vector>

class QGraphicsLineItem;
class QLineSeries;
class QTimer;

namespace mlwb {

class Project;

class CompareChartView : public QChartView {
    Q_OBJECT
public:
    enum class XAxis { Step, Epoch, WallTime };
    // One run's curve as plotted, per bucket, in axis units.
    struct Curve {
        qint64 runId = 0;
        QString name;
        QColor color;
        bool best = false;
        std::vector<double> x;
        std::vector<double> last;  // the bucket's last value
        std::vector<double> value; // the plotted value: last, smoothed
        std::vector<double> min;
        std::vector<double> max;
    };
    struct HoverValue {
        qint64 runId = 0;
        QString name;
        double x = 0;
        double value = 0;
        double min = 0;
        double max = 0;
    };
    struct RunInfo {
        qint64 id = 0;
        QString name;
        QColor color;
        bool best = false; // a sweep's best trial: drawn wider
    };

    explicit CompareChartView(Project &project, QWidget *parent = nullptr);

    void setRuns(const QList<RunInfo> &runs);
    void setMetricKey(const QString &key);
    const QString &metricKey() const { return m_key; }
    void setXAxis(XAxis axis);
    XAxis xAxis() const { return m_xAxis; }
    void setSmoothing(int percent); // 0 = raw, 99 = heavy
    void setLogScale(bool on);
    bool logScale() const { return m_log; }
    // Re-reads the series for the current size (one bucket per pixel column of the plot). While
    // the view is hidden this only marks it stale; it reads when shown.
    void reload();

    // How many buckets the plot is read as: its width in pixels.
    int bucketCount() const;
    const QList<Curve> &curves() const { return m_curves; }
    // The drawn line of each visible run (not the faded min/max traces under smoothed lines).
    QList<QLineSeries *> runSeries() const;
    QLineSeries *seriesOf(qint64 runId) const;
    // Runs left out of the chart with the reason (no "epoch" series, no points of the key).
    const QStringList &notes() const { return m_notes; }
    // "run 3: NaN from step 812", one per run whose series is not finite throughout.
    const QStringList &nonFiniteNotes() const { return m_nonFinite; }

    void setRunVisible(qint64 runId, bool visible);
    bool isRunVisible(qint64 runId) const { return !m_hidden.contains(runId); }

    // Each visible run's plotted value at the bucket nearest to x (axis units).
    QList<HoverValue> valuesAt(double x) const;
    bool isHoverMarkerVisible() const;

    bool exportPng(const QString &path, QString *error = nullptr);
    bool exportSvg(const QString &path, QString *error = nullptr);
    // One row per plotted bucket: run id, run name, x, plotted value, bucket min and max.
    bool exportCsv(const QString &path, QString *error = nullptr) const;
    // The same with a file dialog; failures are reported through message().
    void exportPngWithDialog();
    void exportSvgWithDialog();
    void exportCsvWithDialog();

Q_SIGNALS:
    void runVisibilityChanged(qint64 runId, bool visible);
    // Something the pane should show in its message bar (an export that failed, ...).
    void message(const QString &text, bool error);
    // An export through a file dialog wrote `path`.
    void exported(const QString &path);

protected:
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void smooth();
    void rebuild();
    void styleMarker(qint64 runId);
    void applyPalette();
    void showHover(const QPoint &pos);
    void hideHover();
    QString xTitle() const;
    QString suggestedFileName(const QString &suffix) const;

    QPointer<Project> m_project;
    QList<RunInfo> m_runs;
    QString m_key;
    XAxis m_xAxis = XAxis::Step;
    int m_smoothing = 0;
    bool m_log = false;
    QSet<qint64> m_hidden;
    QList<Curve> m_curves;
    QHash<qint64, QLineSeries *> m_lines;
    QHash<qint64, QLineSeries *> m_traces;
    QStringList m_notes;
    QStringList m_nonFinite;
    QGraphicsLineItem *m_marker = nullptr;
    QTimer *m_resizeTimer;
    bool m_stale = true;
    int m_loadedBuckets = 0;
};

} // namespace mlwb
