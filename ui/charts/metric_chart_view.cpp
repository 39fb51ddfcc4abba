// SPDX-License-Identifier: MIT
#include "charts/metric_chart_view.h"

#include "charts/chart_style.h"
#include "common/json_number.h"
#include "common/format.h"

#include <QAreaSeries>
#include <QChart>
#include <QEvent>
#include <QLineSeries>
#include <QMouseEvent>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlwb {

double MetricChartView::XScale::x(qint64 step, double wall) const
{
    switch (axis) {
    case XAxis::Step:
        return double(step);
    case XAxis::WallTime:
        return wall - wallOrigin;
    case XAxis::Epoch:
        break;
    }
    if (epochEnds.empty())
        return 0.0;
    const double s = double(step);
    // Anchors start at (0, 0): step 0 is the first batch of the first epoch.
    double s0 = 0, e0 = 0;
    for (const auto &[s1, e1] : epochEnds) {
        if (s <= s1)
            return s1 > s0 ? e0 + (e1 - e0) * (s - s0) / (s1 - s0) : e1;
        s0 = s1;
        e0 = e1;
    }
    // Past the last finished epoch: the pace of the last one.
    const size_t n = epochEnds.size();
    const double prevStep = n > 1 ? epochEnds[n - 2].first : 0.0;
    const double prevEpoch = n > 1 ? epochEnds[n - 2].second : 0.0;
    const double stepsPerEpoch = (s0 - prevStep) / std::max(e0 - prevEpoch, 1e-9);
    return stepsPerEpoch > 0 ? e0 + (s - s0) / stepsPerEpoch : e0;
}

QString MetricChartView::XScale::title() const
{
    switch (axis) {
    case XAxis::Step:
        return MetricChartView::tr("step");
    case XAxis::Epoch:
        return epochEnds.empty() ? MetricChartView::tr("epoch (known once the first epoch ends)")
                                 : MetricChartView::tr("epoch");
    case XAxis::WallTime:
        return MetricChartView::tr("wall time since start (s)");
    }
    return {};
}

QString MetricChartView::XScale::describe(double x) const
{
    switch (axis) {
    case XAxis::Step:
        return MetricChartView::tr("step %1").arg(qint64(std::llround(x)));
    case XAxis::Epoch:
        return MetricChartView::tr("epoch %1").arg(x, 0, 'f', 2);
    case XAxis::WallTime:
        return Format::duration(x);
    }
    return {};
}

MetricChartView::MetricChartView(const QString &key, QWidget *parent)
    : QChartView(parent), m_key(key), m_last(new QLineSeries), m_upper(new QLineSeries),
      m_lower(new QLineSeries), m_band(new QAreaSeries(m_upper, m_lower)),
      m_marks(new QScatterSeries), m_x(new QValueAxis),
      m_y(new QValueAxis)
{
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->hide();
    chart->setTitle(key);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    m_band->setName(tr("%1 (min\u2013max per bucket)").arg(key));
    m_last->setName(key);
    m_marks->setName(tr("%1: not finite from here").arg(key));
    m_marks->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    m_marks->setMarkerSize(9);
    chart->addSeries(m_band);
    chart->addSeries(m_last);
    chart->addSeries(m_marks);
    m_x->setTitleText(m_scale.title());
    m_x->setLabelFormat(QStringLiteral("%g"));
    m_y->setLabelFormat(QStringLiteral("%.4g")); // never 5000000000000000949972
    m_y->setTitleText(key);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    for (QAbstractSeries *s : {static_cast<QAbstractSeries *>(m_band),
                               static_cast<QAbstractSeries *>(m_last),
                               static_cast<QAbstractSeries *>(m_marks)}) {
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(200);
    m_hoverDot = new QScatterSeries(chart);
    m_hoverDot->setMarkerSize(8);
    chart->addSeries(m_hoverDot);
    m_hoverDot->attachAxis(m_x);
    m_hoverDot->attachAxis(m_y);
    setMouseTracking(true);
    applyPalette();
}

qsizetype MetricChartView::nearestPoint(const QPoint &pos) const
{
    QChart *c = chart();
    const QPointF at = c->mapFromScene(mapToScene(pos));
    if (m_last->count() == 0 || !c->plotArea().contains(at))
        return -1;
    const double x = c->mapToValue(at, m_last).x();
    const QList<QPointF> pts = m_last->points(); // sorted by x
    auto it = std::lower_bound(pts.cbegin(), pts.cend(), x,
                               [](const QPointF &p, double v) { return p.x() < v; });
    qsizetype i = it - pts.cbegin();
    if (i == pts.size() || (i > 0 && x - pts[i - 1].x() < pts[i].x() - x))
        --i;
    return i;
}

QString MetricChartView::hoverText(const QPoint &pos) const
{
    const qsizetype i = nearestPoint(pos);
    if (i < 0)
        return {};
    const QPointF p = m_last->at(i);
    return tr("%1 at %2: %3").arg(m_key, m_scale.describe(p.x()), Format::metric(p.y()));
}

void MetricChartView::mouseMoveEvent(QMouseEvent *event)
{
    QChartView::mouseMoveEvent(event);
    const QPoint pos = event->position().toPoint();
    const qsizetype i = nearestPoint(pos);
    if (i < 0) {
        m_hoverDot->clear();
        QToolTip::hideText();
        return;
    }
    m_hoverDot->replace(QList<QPointF>{m_last->at(i)});
    QToolTip::showText(mapToGlobal(pos), hoverText(pos), this);
}

void MetricChartView::leaveEvent(QEvent *event)
{
    QChartView::leaveEvent(event);
    m_hoverDot->clear();
    QToolTip::hideText();
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

QList<QPointF> MetricChartView::points() const
{
    return m_last->points();
}

QList<QPointF> MetricChartView::nonFiniteMarks() const
{
    return m_marks->points();
}

void MetricChartView::setBuckets(const std::vector<MetricBucket> &buckets)
{
    setBuckets(buckets, XScale());
}

void MetricChartView::setBuckets(const std::vector<MetricBucket> &buckets, const XScale &scale)
{
    m_scale = scale;
    m_x->setTitleText(scale.title());
    // The y range covers the finite values only; an infinity is drawn at the plot's edge, a
    // NaN bucket draws nothing, and a marker with a note in the title shows where the series
    // stopped being finite ("loss \u2013 NaN from step 812").
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    const MetricBucket *firstBad = nullptr;
    for (const MetricBucket &b : buckets) {
        for (double v : {b.min, b.max, b.last})
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        if (!firstBad && !b.allFinite())
            firstBad = &b;
    }
    m_nonFiniteNote = firstBad ? tr("%1 from step %2")
                                     .arg(JsonNumber::nonFiniteName(firstBad->firstNonFinite))
                                     .arg(firstBad->firstNonFiniteStep)
                               : QString();
    chart()->setTitle(m_nonFiniteNote.isEmpty() ? m_key
                                                : tr("%1 \u2013 %2").arg(m_key, m_nonFiniteNote));
    const bool anyFinite = lo <= hi;
    if (!anyFinite)
        lo = hi = 0;
    if (!buckets.empty()) {
        const double x0 = scale.x(buckets.front().firstStep, buckets.front().firstWall);
        const double x1 = scale.x(buckets.back().lastStep, buckets.back().lastWall);
        m_x->setRange(x0, x1 > x0 ? x1 : x0 + 1);
        m_x->applyNiceNumbers();
        const double pad = hi > lo ? (hi - lo) * 0.05 : std::max(std::fabs(hi) * 0.05, 1e-6);
        // A series that never goes below zero (a loss, an accuracy) keeps its axis at zero.
        m_y->setRange(lo >= 0 ? std::max(0.0, lo - pad) : lo - pad, hi + pad);
        m_y->applyNiceNumbers();
        if (lo >= 0 && m_y->min() < 0)
            m_y->setMin(0);
    } else {
        m_x->setRange(0, 1);
        m_y->setRange(0, 1);
    }
    const double top = m_y->max(), bottom = m_y->min();
    auto clipped = [&](double v) { return std::isinf(v) ? (v > 0 ? top : bottom) : v; };

    QList<QPointF> last, upper, lower, marks;
    last.reserve(qsizetype(buckets.size()));
    upper.reserve(qsizetype(buckets.size()));
    lower.reserve(qsizetype(buckets.size()));
    bool previousFinite = true;
    for (const MetricBucket &b : buckets) {
        const double x = scale.x(b.lastStep, b.lastWall);
        if (!b.allFinite() && previousFinite) {
            const double v = b.firstNonFinite;
            marks << QPointF(scale.x(b.firstNonFiniteStep, b.firstWall), v < 0 ? bottom : top);
        }
        previousFinite = b.allFinite();
        if (std::isnan(b.min)) // only NaN points in this bucket
            continue;
        last << QPointF(x, clipped(std::isnan(b.last) ? b.max : b.last));
        upper << QPointF(x, clipped(b.max));
        lower << QPointF(x, clipped(b.min));
    }
    m_last->replace(last);
    m_upper->replace(upper);
    m_lower->replace(lower);
    m_marks->replace(marks);
}

void MetricChartView::changeEvent(QEvent *event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void MetricChartView::applyPalette()
{
    const QPalette pal = palette();
    ChartStyle::apply(chart(), pal, font());
    const QColor accent = pal.color(QPalette::Highlight);
    QPen line(accent);
    line.setWidthF(1.6);
    m_last->setPen(line);
    QColor band = accent;
    band.setAlphaF(0.25f);
    m_band->setBrush(band);
    m_band->setPen(Qt::NoPen);
    // Not-finite markers in the palette's error colour, readable in light and dark mode.
    const QColor bad = pal.color(QPalette::Window).lightness() < 128 ? QColor(0xff, 0x6b, 0x6b)
                                                                     : QColor(0xc6, 0x28, 0x28);
    m_marks->setColor(bad);
    m_marks->setBorderColor(bad);
    m_hoverDot->setColor(line.color());
    m_hoverDot->setBorderColor(line.color());
}

} // namespace mlwb
