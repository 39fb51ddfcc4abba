// SPDX-License-Identifier: MIT
#pragma once

// HyperparameterScatterView: one point per run, x the value of a hyperparameter (numbers as
// they are, log when they span two decades; other values as categories), y a final metric, each
// point in its run's colour. Hover names the run and both values.

#include "eval/run_comparison.h"

#include <QChartView>
#include <QColor>
#include <QList>

namespace mlwb {

class HyperparameterScatterView : public QChartView {
    Q_OBJECT
public:
    struct Point {
        qint64 runId = 0;
        QString name;
        QColor color;
        double x = 0; // in the x axis' units (a category's index for a categorical axis)
        double y = 0;
        bool best = false; // a sweep's best trial: a larger marker
    };

    explicit HyperparameterScatterView(QWidget *parent = nullptr);

    void setData(const RunComparison::Axis &x, const RunComparison::Axis &y,
                 const QList<Point> &points);
    const QList<Point> &points() const { return m_points; }
    const RunComparison::Axis &xAxisSpec() const { return m_x; }
    // Points as drawn by the chart, over all its series.
    int drawnPointCount() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();
    QString xText(double x) const;

    RunComparison::Axis m_x;
    RunComparison::Axis m_y;
    QList<Point> m_points;
};

} // namespace mlwb
