// SPDX-License-Identifier: MIT
#include "charts/curve_chart_view.h"

#include "charts/chart_style.h"
#include "common/format.h"

#include <QChart>
#include <QCursor>
#include <QEvent>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QToolTip>
#include <QLegend>
#include <QResizeEvent>
#include <QValueAxis>

namespace mlwb {

CurveChartView::CurveChartView(QWidget *parent)
    : QChartView(parent), m_x(new QValueAxis), m_y(new QValueAxis)
{
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignRight);
    for (QValueAxis *axis : {m_x, m_y}) {
        axis->setRange(0, 1);
        axis->setTickCount(6);
        axis->setLabelFormat(QStringLiteral("%.1f"));
    }
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 280);
    // A legend inside the plot follows the plot's corner.
    connect(chart, &QChart::plotAreaChanged, this, [this] {
        if (m_inside)
            placeLegend();
    });
    applyPalette();
}

void CurveChartView::setTitle(const QString &title)
{
    chart()->setTitle(title);
}

void CurveChartView::setAxisTitles(const QString &x, const QString &y)
{
    m_x->setTitleText(x);
    m_y->setTitleText(y);
}

void CurveChartView::setReference(const QString &name)
{
    m_referenceName = name;
    rebuild();
}

void CurveChartView::setCurves(const QList<Curve> &curves)
{
    m_data = curves;
    rebuild();
}

void CurveChartView::rebuild()
{
    QChart *c = chart();
    c->removeAllSeries(); // deletes them
    m_curves.clear();
    m_reference = nullptr;
    if (!m_referenceName.isEmpty()) {
        m_reference = new QLineSeries;
        m_reference->setName(m_referenceName);
        m_reference->append(0, 0);
        m_reference->append(1, 1);
        c->addSeries(m_reference);
        m_reference->attachAxis(m_x);
        m_reference->attachAxis(m_y);
    }
    for (const Curve &curve : std::as_const(m_data)) {
        auto *series = new QLineSeries;
        series->setName(curve.name);
        series->replace(curve.points);
        series->setPointsVisible(curve.markers);
        c->addSeries(series);
        series->attachAxis(m_x);
        series->attachAxis(m_y);
        m_curves << series;
        connect(series, &QLineSeries::hovered, this, [this, series](const QPointF &p, bool on) {
            if (!on) {
                QToolTip::hideText();
                return;
            }
            QToolTip::showText(QCursor::pos(),
                               tr("%1\n%2: %3\n%4: %5")
                                   .arg(series->name(), m_x->titleText(), Format::metric(p.x()),
                                        m_y->titleText(), Format::metric(p.y())),
                               this);
        });
    }
    c->legend()->setVisible(!m_curves.isEmpty());
    ChartStyle::makeLegendToggle(c);
    applyPalette();
    placeLegend();
}

Qt::Alignment CurveChartView::legendAlignment() const
{
    return chart()->legend()->alignment();
}

bool CurveChartView::isLegendInside() const
{
    return m_inside;
}

void CurveChartView::placeLegend()
{
    // The widest legend entry and the x axis title decide: the plot keeps at least the title's
    // width beside a legend on the right.
    QLegend *legend = chart()->legend();
    const QFontMetrics fm(legend->font());
    int entry = 0, row = 0, count = 0;
    for (QLegendMarker *marker : legend->markers()) {
        if (!marker->isVisible())
            continue;
        const int w = fm.horizontalAdvance(marker->label()) + 36;
        entry = std::max(entry, w);
        row += w;
        ++count;
    }
    const int titles = QFontMetrics(m_x->titleFont()).horizontalAdvance(m_x->titleText());
    // Beside the plot when there is room, else below it in one row, else inside the plot's
    // empty corner if it fits the plot's height; ten classes do not fit a grid cell's plot, and
    // then a narrower plot beside the legend is the better choice.
    const qreal plotHeight = m_inside ? chart()->plotArea().height() : height() - 90.0;
    const bool fitsInside = count * (fm.height() + 10) + 24 <= plotHeight;
    const bool roomBeside = width() >= entry + std::max(titles, 200) + 80;
    const bool bottom = !roomBeside && row <= width() - 24;
    const bool right = roomBeside ||
                       (!bottom && !fitsInside && width() >= entry + std::max(titles, 150) + 60);
    const bool inside = !right && !bottom && count > 0;
    if (inside != m_inside) {
        m_inside = inside;
        if (inside) {
            legend->detachFromChart();
            legend->setBackgroundVisible(true);
        } else {
            legend->attachToChart();
            legend->setBackgroundVisible(false);
        }
    }
    // Beside the plot the legend is one column: the chart asks for the height it needs, so no
    // entry is cut (ten classes and the chance line in a run's ROC chart).
    // (Only for long legends: a grid cell's usual height holds six entries.)
    const int column = count * (fm.height() + 8) + 100;
    const int needed = right && column > 240 ? column : 0;
    if (minimumHeight() != needed)
        setMinimumHeight(needed);
    const Qt::Alignment want = right || inside ? Qt::AlignRight : Qt::AlignBottom;
    if (legend->alignment() != want)
        legend->setAlignment(want);
    if (inside) {
        const QRectF plot = chart()->plotArea();
        const QSizeF size(entry + 12, std::min(count * (fm.height() + 10) + 12.0, plot.height() - 12));
        const bool leftSide = m_corner == Qt::BottomLeftCorner || m_corner == Qt::TopLeftCorner;
        const bool top = m_corner == Qt::TopLeftCorner || m_corner == Qt::TopRightCorner;
        const QPointF at(leftSide ? plot.left() + 6 : plot.right() - size.width() - 6,
                         top ? plot.top() + 6 : plot.bottom() - size.height() - 6);
        legend->setGeometry(QRectF(at, size));
        QColor fill = palette().color(QPalette::Base);
        fill.setAlphaF(0.9f);
        legend->setBrush(fill);
        legend->setPen(QPen(palette().color(QPalette::Mid)));
        legend->update();
    }
}

void CurveChartView::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    placeLegend();
}

void CurveChartView::changeEvent(QEvent *event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void CurveChartView::applyPalette()
{
    ChartStyle::apply(chart(), palette(), font());
    if (m_reference) {
        QPen pen(palette().color(QPalette::PlaceholderText));
        pen.setStyle(Qt::DashLine);
        pen.setWidthF(1.0);
        m_reference->setPen(pen);
    }
    for (int i = 0; i < m_curves.size(); ++i) {
        const QColor color = ChartStyle::seriesColor(m_data.at(i).colorIndex);
        QPen pen(color);
        pen.setWidthF(1.8);
        m_curves.at(i)->setPen(pen);
        m_curves.at(i)->setColor(color);
    }
}

} // namespace mlwb
