// SPDX-License-Identifier: MIT
#include "charts/metric_chart_view.h"

#include "widgets/format.h"

#include <QAreaSeries>
#include <QChart>
#include <QCursor>
#include <QEvent>
#include <QLineSeries>
#include <QToolTip>
#include <QValueAxis>

#include <cmath>

namespace mlwb {

MetricChartView::MetricChartView(const QString &key, QWidget *parent)
    : QChartView(parent)
    , m_key(key)
    , m_last(new QLineSeries)
    , m_upper(new QLineSeries)
    , m_lower(new QLineSeries)
    , m_band(new QAreaSeries(m_upper, m_lower))
    , m_x(new QValueAxis)
    , m_y(new QValueAxis)
{
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->hide();
    chart->setTitle(key);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    m_band->setName(tr("%1 (min\u2013max per bucket)").arg(key));
    m_last->setName(key);
    chart->addSeries(m_band);
    chart->addSeries(m_last);
    m_x->setTitleText(tr("step"));
    m_x->setLabelFormat(QStringLiteral("%d"));
    m_y->setTitleText(key);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    for (QAbstractSeries *s :
         {static_cast<QAbstractSeries *>(m_band), static_cast<QAbstractSeries *>(m_last)}) {
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(200);
    connect(m_last, &QLineSeries::hovered, this, [this](const QPointF &p, bool state) {
        if (!state) {
            QToolTip::hideText();
            return;
        }
        QToolTip::showText(QCursor::pos(),
                           tr("%1 at step %2: %3")
                               .arg(m_key)
                               .arg(qint64(std::llround(p.x())))
                               .arg(Format::metric(p.y())),
                           this);
    });
    applyPalette();
}

int MetricChartView::bucketCount() const
{
    const int w = int(chart()->plotArea().width());
    return std::clamp(w > 0 ? w : width() - 80, 50, 4000);
}

int MetricChartView::pointCount() const
{
    return int(m_last->count());
}

void MetricChartView::setBuckets(const std::vector<MetricBucket> &buckets)
{
    QList<QPointF> last, upper, lower;
    last.reserve(qsizetype(buckets.size()));
    upper.reserve(qsizetype(buckets.size()));
    lower.reserve(qsizetype(buckets.size()));
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (const MetricBucket &b : buckets) {
        if (!std::isfinite(b.min) || !std::isfinite(b.max))
            continue;
        const double x = double(b.lastStep);
        last << QPointF(x, b.last);
        upper << QPointF(x, b.max);
        lower << QPointF(x, b.min);
        lo = std::min(lo, b.min);
        hi = std::max(hi, b.max);
    }
    m_last->replace(last);
    m_upper->replace(upper);
    m_lower->replace(lower);
    if (last.isEmpty()) {
        m_x->setRange(0, 1);
        m_y->setRange(0, 1);
        return;
    }
    const double x0 = buckets.front().firstStep, x1 = buckets.back().lastStep;
    m_x->setRange(x0, x1 > x0 ? x1 : x0 + 1);
    m_x->applyNiceNumbers();
    const double pad = hi > lo ? (hi - lo) * 0.05 : std::max(std::fabs(hi) * 0.05, 1e-6);
    // A series that never goes below zero (a loss, an accuracy) keeps its axis at zero.
    m_y->setRange(lo >= 0 ? std::max(0.0, lo - pad) : lo - pad, hi + pad);
    m_y->applyNiceNumbers();
    if (lo >= 0 && m_y->min() < 0)
        m_y->setMin(0);
}

void MetricChartView::changeEvent(QEvent *event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

// The chart follows the window palette instead of a fixed chart theme, so it reads in dark mode.
void MetricChartView::applyPalette()
{
    const QPalette pal = palette();
    QChart *c = chart();
    c->setBackgroundBrush(pal.base());
    c->setBackgroundPen(Qt::NoPen);
    c->setTitleBrush(pal.text());
    QFont titleFont = font();
    titleFont.setBold(true);
    c->setTitleFont(titleFont);
    const QColor grid = QColor::fromRgbF(pal.text().color().redF(), pal.text().color().greenF(),
                                         pal.text().color().blueF(), 0.15f);
    for (QValueAxis *axis : {m_x, m_y}) {
        axis->setLabelsBrush(pal.text());
        axis->setTitleBrush(pal.text());
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
    }
    const QColor accent = pal.color(QPalette::Highlight);
    QPen line(accent);
    line.setWidthF(1.6);
    m_last->setPen(line);
    QColor band = accent;
    band.setAlphaF(0.25f);
    m_band->setBrush(band);
    m_band->setPen(Qt::NoPen);
}

} // namespace mlwb
