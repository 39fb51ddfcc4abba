// SPDX-License-Identifier: MIT
#include "panes/compare/hyperparameter_scatter_view.h"

#include "charts/nice_axis.h"
#include "eval/metric_order.h"

#include "charts/chart_style.h"

#include "common/format.h"

#include <QCategoryAxis>
#include <QChart>
#include <QCursor>
#include <QLegend>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>

#include <cmath>

namespace mlwb {

namespace {

constexpr int kMaxLegendRuns = 16;

QAbstractAxis *makeAxis(const RunComparison::Axis &spec, double padFraction, bool metric)
{
    if (spec.isCategorical()) {
        auto *axis = new QCategoryAxis;
        axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        axis->setStartValue(-0.5);
        for (int i = 0; i < spec.categories.size(); ++i)
            axis->append(spec.categories[i], i);
        axis->setRange(-0.5, double(spec.categories.size()) - 0.5);
        axis->setTitleText(spec.key);
        return axis;
    }
    if (spec.log) {
        auto *axis = new QLogValueAxis;
        axis->setBase(10);
        axis->setLabelFormat(QStringLiteral("%g"));
        axis->setMinorTickCount(-1);
        // Whole decades, labelled at each power of ten, with room for the outermost markers.
        const NiceAxis::Range r = NiceAxis::decades(spec.min / 1.3, spec.max * 1.3);
        axis->setRange(r.min, r.max);
        axis->setTitleText(QObject::tr("%1 (log scale)").arg(spec.key));
        return axis;
    }
    auto *axis = new QValueAxis;
    const double pad = (spec.max - spec.min) * padFraction;
    // A metric that never goes below zero keeps its axis at zero, a fraction (accuracy) never
    // goes beyond 1.0; a hyperparameter gets room around its outermost values.
    NiceAxis::applyValues(axis, metric ? NiceAxis::forValues(spec.min, spec.max,
                                                             MetricOrder::isUnitInterval(spec.key))
                                       : NiceAxis::rounded(spec.min - pad, spec.max + pad));
    axis->setLabelFormat(QStringLiteral("%.4g"));
    axis->setTitleText(spec.key);
    return axis;
}

} // namespace

HyperparameterScatterView::HyperparameterScatterView(QWidget *parent) : QChartView(parent)
{
    setObjectName(QStringLiteral("hyperparameterScatter"));
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignRight);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(220);
    applyPalette();
}

QString HyperparameterScatterView::xText(double x) const
{
    if (m_x.isCategorical())
        return m_x.categories.value(int(std::lround(x)));
    return Format::metric(x);
}

void HyperparameterScatterView::setData(const RunComparison::Axis &x, const RunComparison::Axis &y,
                                        const QList<Point> &points)
{
    m_x = x;
    m_y = y;
    m_points = points;
    QChart *c = chart();
    c->removeAllSeries();
    for (QAbstractAxis *axis : c->axes()) {
        c->removeAxis(axis);
        delete axis;
    }
    c->setTitle(x.key.isEmpty() || y.key.isEmpty() ? tr("Choose a hyperparameter and a metric")
                                                   : tr("%1 against %2").arg(y.key, x.key));
    if (x.key.isEmpty() || y.key.isEmpty()) {
        applyPalette();
        return;
    }
    QAbstractAxis *ax = makeAxis(x, 0.06, false);
    QAbstractAxis *ay = makeAxis(y, 0.08, true);
    c->addAxis(ax, Qt::AlignBottom);
    c->addAxis(ay, Qt::AlignLeft);
    for (const Point &p : points) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y) || (x.log && p.x <= 0) ||
            (y.log && p.y <= 0))
            continue;
        auto *series = new QScatterSeries;
        series->setName(p.name);
        series->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        series->setMarkerSize(p.best ? 17 : 11);
        series->setColor(p.color);
        series->setBorderColor(p.color.darker(130));
        series->append(p.x, p.y);
        c->addSeries(series);
        series->attachAxis(ax);
        series->attachAxis(ay);
        connect(series, &QScatterSeries::hovered, this, [this, p](const QPointF &, bool state) {
            if (!state) {
                QToolTip::hideText();
                return;
            }
            QToolTip::showText(QCursor::pos(),
                               tr("<b>%1</b><br>%2 = %3<br>%4 = %5")
                                   .arg(p.name.toHtmlEscaped(), m_x.key.toHtmlEscaped(),
                                        xText(p.x).toHtmlEscaped(), m_y.key.toHtmlEscaped(),
                                        Format::metric(p.y)),
                               this);
        });
    }
    c->legend()->setVisible(c->series().size() <= kMaxLegendRuns);
    applyPalette();
}

int HyperparameterScatterView::drawnPointCount() const
{
    int n = 0;
    for (QAbstractSeries *s : chart()->series())
        if (auto *scatter = qobject_cast<QScatterSeries *>(s))
            n += int(scatter->count());
    return n;
}

void HyperparameterScatterView::changeEvent(QEvent *event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void HyperparameterScatterView::applyPalette()
{
    ChartStyle::apply(chart(), palette(), font());
}

} // namespace mlwb
