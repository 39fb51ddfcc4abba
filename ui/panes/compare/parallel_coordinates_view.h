// SPDX-License-Identifier: MIT
#pragma once

// ParallelCoordinatesView: one vertical axis per hyperparameter that differs plus one for a
// metric, one polyline per run in the run's colour, so a glance shows which settings go with
// good results. Categorical values sit at evenly spaced ticks; an axis spanning two decades or
// more is logarithmic. Hovering a line highlights it and names the run with its values.

#include "eval/run_comparison.h"

#include <QColor>
#include <QList>
#include <QWidget>

namespace mlwb {

class ParallelCoordinatesView : public QWidget {
    Q_OBJECT
public:
    struct Line {
        qint64 runId = 0;
        QString name;
        QColor color;
        QList<double> values; // one per axis, in the axis' units; NaN where the run has none
        bool best = false;    // a sweep's best trial: drawn wider
    };

    explicit ParallelCoordinatesView(QWidget *parent = nullptr);

    void setData(const QList<RunComparison::Axis> &axes, const QList<Line> &lines);
    const QList<RunComparison::Axis> &axes() const { return m_axes; }
    const QList<Line> &lines() const { return m_lines; }
    // The labelled values of a numeric axis (round numbers; powers of ten on a log axis).
    QList<double> ticks(int axis) const { return m_ticks.value(axis); }
    // Where a value sits on its axis, from 0 (bottom) to 1 (top); NaN when it cannot be placed.
    static double position(const RunComparison::Axis &axis, double value);
    // The line within a few pixels of pos, or -1.
    int lineAt(const QPoint &pos) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    QRectF plotRect() const;
    // The polyline of a line in widget coordinates, split where a value is missing.
    QList<QPolygonF> polylines(const Line &line) const;
    double axisX(int axis) const;

    QList<RunComparison::Axis> m_axes;
    QList<Line> m_lines;
    QList<QList<double>> m_ticks;
    int m_hover = -1;
};

} // namespace mlwb
