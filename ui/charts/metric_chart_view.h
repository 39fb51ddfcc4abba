// SPDX-License-Identifier: MIT
#pragma once

// MetricChartView: one metric drawn from decimated buckets, its splits (loss, train_loss,
// val_loss) as series of one chart with a legend: per series a band from each bucket's minimum
// to its maximum (no spike hidden) and a line through the last values, against step, epoch or
// wall time. Never holds more points per series than the plot has pixel columns. Axes end on
// round numbers (NiceAxis), a fraction such as accuracy never beyond 1.0, the x axis at the
// last point. Hover shows the nearest data point.

#include "store/records.h"

#include <QChartView>
#include <QHash>
#include <QStringList>

#include <utility>
#include <vector>

class QAreaSeries;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace mlwb {

class MetricChartView : public QChartView {
    Q_OBJECT
public:
    enum class XAxis { Step, Epoch, WallTime };

    // How a bucket's step and wall time become its x coordinate.
    struct XScale {
        XAxis axis = XAxis::Step;
        double wallOrigin = 0; // seconds since the epoch at x = 0 (WallTime)
        // (step, epochs completed) at each epoch's end, by step (Epoch). A step between two
        // anchors is interpolated, one past the last extrapolated at the last epoch's pace.
        std::vector<std::pair<double, double>> epochEnds;

        double x(qint64 step, double wall) const;
        QString title() const;
        // "step 120", "epoch 2.5", "0:42": a position for tooltips.
        QString describe(double x) const;
    };

    // One series, titled by its key.
    explicit MetricChartView(const QString &key, QWidget *parent = nullptr);
    // Several series of one metric (its splits) titled `title`, drawn in the order given.
    MetricChartView(const QString &title, const QStringList &keys, QWidget *parent = nullptr);

    // The chart's title: the metric ("accuracy"), or the key of a single series.
    const QString &key() const { return m_key; }
    QStringList keys() const;
    bool hasKey(const QString &key) const { return indexOf(key) >= 0; }
    // How many buckets fit the plot (one per pixel column).
    int bucketCount() const;
    // Every series at once (missing keys draw nothing); the y axis covers them all.
    void setSeries(const QHash<QString, std::vector<MetricBucket>> &buckets, const XScale &scale);
    // The first series (the only one of a single-key chart).
    void setBuckets(const std::vector<MetricBucket> &buckets, const XScale &scale);
    void setBuckets(const std::vector<MetricBucket> &buckets); // against step
    // Points of the first series, or of `key`.
    int pointCount(const QString &key = {}) const;
    // The drawn line (last value per bucket), in x coordinates of the current scale.
    QList<QPointF> points(const QString &key = {}) const;
    const XScale &scale() const { return m_scale; }
    // "NaN from step 812" when a series is not finite from some point (prefixed with its key
    // on a chart of several); empty otherwise.
    const QString &nonFiniteNote() const { return m_nonFiniteNote; }
    // Where the series stops being finite, in x coordinates (one marker per such stretch).
    QList<QPointF> nonFiniteMarks(const QString &key = {}) const;
    QValueAxis *xAxis() const { return m_x; }
    QValueAxis *yAxis() const { return m_y; }

    // What hovering at `pos` (widget coordinates) shows: the data point nearest in x, as
    // "val_accuracy at step 290: 0.9667"; empty outside the plot or without points.
    QString hoverText(const QPoint &pos) const;

protected:
    void changeEvent(QEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    struct Series {
        QString key;
        QLineSeries *last = nullptr;
        QLineSeries *upper = nullptr;
        QLineSeries *lower = nullptr;
        QAreaSeries *band = nullptr;
        QScatterSeries *marks = nullptr;
    };
    void addSeries(const QString &key);
    int indexOf(const QString &key) const;
    const Series &seriesFor(const QString &key) const;
    void applyPalette();
    // The data point nearest to `pos` on screen: (series index, point index); (-1, -1): none
    // or outside the plot.
    std::pair<int, qsizetype> nearestPoint(const QPoint &pos) const;

    QString m_key;
    XScale m_scale;
    std::vector<Series> m_series;
    QScatterSeries *m_hoverDot; // the hovered data point
    QString m_nonFiniteNote;
    QValueAxis *m_x;
    QValueAxis *m_y;
};

} // namespace mlwb
