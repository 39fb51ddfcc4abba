// SPDX-License-Identifier: MIT
#pragma once

// MetricChartView: one metric series drawn from decimated buckets: a band from each bucket's
// minimum to its maximum (no spike hidden) and a line through the last values, against step,
// epoch or wall time. Never holds more points than the plot has pixel columns. Hover shows the
// position and value.

#include "store/records.h"

#include <QChartView>

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

    explicit MetricChartView(const QString &key, QWidget *parent = nullptr);

    const QString &key() const { return m_key; }
    // How many buckets fit the plot (one per pixel column).
    int bucketCount() const;
    void setBuckets(const std::vector<MetricBucket> &buckets, const XScale &scale);
    void setBuckets(const std::vector<MetricBucket> &buckets); // against step
    int pointCount() const;
    // The drawn line (last value per bucket), in x coordinates of the current scale.
    QList<QPointF> points() const;
    const XScale &scale() const { return m_scale; }
    // "NaN from step 812" when the series is not finite from some point; empty otherwise.
    const QString &nonFiniteNote() const { return m_nonFiniteNote; }
    // Where the series stops being finite, in x coordinates (one marker per such stretch).
    QList<QPointF> nonFiniteMarks() const;

    // What hovering at `pos` (widget coordinates) shows: the data point nearest in x, as
    // "val_accuracy at step 290: 0.9667"; empty outside the plot or without points.
    QString hoverText(const QPoint &pos) const;

protected:
    void changeEvent(QEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    void applyPalette();
    // Index into the line's points of the one nearest in x to `pos`; -1: none or outside.
    qsizetype nearestPoint(const QPoint &pos) const;

    QString m_key;
    XScale m_scale;
    QLineSeries *m_last;
    QLineSeries *m_upper;
    QLineSeries *m_lower;
    QAreaSeries *m_band;
    QScatterSeries *m_marks;
    QScatterSeries *m_hoverDot; // the hovered data point
    QString m_nonFiniteNote;
    QValueAxis *m_x;
    QValueAxis *m_y;
};

} // namespace mlwb
