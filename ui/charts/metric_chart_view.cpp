// SPDX-License-Identifier: MIT
#include "charts/metric_chart_view.h"

#include "charts/chart_style.h"
#include "common/json_number.h"
#include "common/format.h"
#include "charts/nice_axis.h"
#include "eval/metric_order.h"

#include <QAreaSeries>
#include <QChart>
#include <QEvent>
#include <QLegend>
#include <QLegendMarker>
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
    : MetricChartView(key, QStringList{key}, parent)
{
}

MetricChartView::MetricChartView(const QString &title, const QStringList &keys, QWidget *parent)
    : QChartView(parent), m_key(title), m_x(new QValueAxis), m_y(new QValueAxis)
{
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setTitle(title);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    m_x->setTitleText(m_scale.title());
    m_x->setLabelFormat(QStringLiteral("%g"));
    m_y->setLabelFormat(QStringLiteral("%.4g")); // never 5000000000000000949972
    // A single series is named by the title; several by the legend.
    m_y->setTitleText(keys.size() == 1 ? keys.first() : title);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    setChart(chart);
    for (const QString &key : keys)
        addSeries(key);
    chart->legend()->setVisible(m_series.size() > 1);
    chart->legend()->setAlignment(Qt::AlignBottom);
    for (const Series &s : m_series) {
        // The legend names the lines only, not their bands and markers.
        for (QAbstractSeries *hidden : {static_cast<QAbstractSeries *>(s.band),
                                        static_cast<QAbstractSeries *>(s.marks)})
            for (QLegendMarker *marker : chart->legend()->markers(hidden))
                marker->setVisible(false);
    }
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(200);
    m_hoverDot = new QScatterSeries(chart);
    m_hoverDot->setMarkerSize(8);
    chart->addSeries(m_hoverDot);
    m_hoverDot->attachAxis(m_x);
    m_hoverDot->attachAxis(m_y);
    for (QLegendMarker *marker : chart->legend()->markers(m_hoverDot))
        marker->setVisible(false);
    setMouseTracking(true);
    applyPalette();
}

void MetricChartView::addSeries(const QString &key)
{
    Series s;
    s.key = key;
    s.last = new QLineSeries;
    s.upper = new QLineSeries;
    s.lower = new QLineSeries;
    s.band = new QAreaSeries(s.upper, s.lower);
    s.marks = new QScatterSeries;
    s.band->setName(tr("%1 (min\u2013max per bucket)").arg(key));
    s.last->setName(key);
    s.marks->setName(tr("%1: not finite from here").arg(key));
    s.marks->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    s.marks->setMarkerSize(9);
    QChart *c = chart();
    for (QAbstractSeries *series : {static_cast<QAbstractSeries *>(s.band),
                                    static_cast<QAbstractSeries *>(s.last),
                                    static_cast<QAbstractSeries *>(s.marks)}) {
        c->addSeries(series);
        series->attachAxis(m_x);
        series->attachAxis(m_y);
    }
    m_series.push_back(s);
}

QStringList MetricChartView::keys() const
{
    QStringList out;
    for (const Series &s : m_series)
        out << s.key;
    return out;
}

int MetricChartView::indexOf(const QString &key) const
{
    for (size_t i = 0; i < m_series.size(); ++i)
        if (m_series[i].key == key)
            return int(i);
    return -1;
}

const MetricChartView::Series &MetricChartView::seriesFor(const QString &key) const
{
    const int i = key.isEmpty() ? 0 : indexOf(key);
    return m_series.at(size_t(std::max(i, 0)));
}

std::pair<int, qsizetype> MetricChartView::nearestPoint(const QPoint &pos) const
{
    QChart *c = chart();
    const QPointF at = c->mapFromScene(mapToScene(pos));
    if (!c->plotArea().contains(at))
        return {-1, -1};
    std::pair<int, qsizetype> best{-1, -1};
    double bestDistance = std::numeric_limits<double>::infinity();
    for (size_t k = 0; k < m_series.size(); ++k) {
        QLineSeries *line = m_series[k].last;
        if (line->count() == 0 || !line->isVisible())
            continue;
        const double x = c->mapToValue(at, line).x();
        const QList<QPointF> pts = line->points(); // sorted by x
        auto it = std::lower_bound(pts.cbegin(), pts.cend(), x,
                                   [](const QPointF &p, double v) { return p.x() < v; });
        qsizetype i = it - pts.cbegin();
        if (i == pts.size() || (i > 0 && x - pts[i - 1].x() < pts[i].x() - x))
            --i;
        // Nearest in x within a series, nearest on screen across them.
        const QPointF onScreen = c->mapToPosition(pts[i], line);
        const double d = QLineF(onScreen, at).length();
        if (d < bestDistance) {
            bestDistance = d;
            best = {int(k), i};
        }
    }
    return best;
}

QString MetricChartView::hoverText(const QPoint &pos) const
{
    const auto [k, i] = nearestPoint(pos);
    if (k < 0)
        return {};
    const Series &s = m_series[size_t(k)];
    const QPointF p = s.last->at(i);
    return tr("%1 at %2: %3").arg(s.key, m_scale.describe(p.x()), Format::metric(p.y()));
}

void MetricChartView::mouseMoveEvent(QMouseEvent *event)
{
    QChartView::mouseMoveEvent(event);
    const QPoint pos = event->position().toPoint();
    const auto [k, i] = nearestPoint(pos);
    if (k < 0) {
        m_hoverDot->clear();
        QToolTip::hideText();
        return;
    }
    const Series &s = m_series[size_t(k)];
    m_hoverDot->setColor(s.last->pen().color());
    m_hoverDot->setBorderColor(s.last->pen().color());
    m_hoverDot->replace(QList<QPointF>{s.last->at(i)});
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

int MetricChartView::pointCount(const QString &key) const
{
    return int(seriesFor(key).last->count());
}

QList<QPointF> MetricChartView::points(const QString &key) const
{
    return seriesFor(key).last->points();
}

QList<QPointF> MetricChartView::nonFiniteMarks(const QString &key) const
{
    return seriesFor(key).marks->points();
}

void MetricChartView::setBuckets(const std::vector<MetricBucket> &buckets)
{
    setBuckets(buckets, XScale());
}

void MetricChartView::setBuckets(const std::vector<MetricBucket> &buckets, const XScale &scale)
{
    setSeries({{m_series.front().key, buckets}}, scale);
}

void MetricChartView::setSeries(const QHash<QString, std::vector<MetricBucket>> &data,
                                const XScale &scale)
{
    m_scale = scale;
    m_x->setTitleText(scale.title());
    // The y range covers the finite values only; an infinity is drawn at the plot's edge, a
    // NaN bucket draws nothing, and a marker with a note in the title shows where the series
    // stopped being finite ("loss \u2013 NaN from step 812").
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    double x0 = lo, x1 = -lo;
    QStringList notes;
    for (const Series &s : m_series) {
        const std::vector<MetricBucket> buckets = data.value(s.key);
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
        if (!buckets.empty()) {
            x0 = std::min(x0, scale.x(buckets.front().firstStep, buckets.front().firstWall));
            x1 = std::max(x1, scale.x(buckets.back().lastStep, buckets.back().lastWall));
        }
        if (firstBad) {
            const QString note = tr("%1 from step %2")
                                     .arg(JsonNumber::nonFiniteName(firstBad->firstNonFinite))
                                     .arg(firstBad->firstNonFiniteStep);
            notes << (m_series.size() > 1 ? tr("%1 %2").arg(s.key, note) : note);
        }
    }
    m_nonFiniteNote = notes.join(QStringLiteral(", "));
    chart()->setTitle(m_nonFiniteNote.isEmpty() ? m_key
                                                : tr("%1 \u2013 %2").arg(m_key, m_nonFiniteNote));
    if (x0 <= x1) {
        NiceAxis::applySteps(m_x, NiceAxis::forSteps(x0, x1));
        const bool fraction =
            std::all_of(m_series.cbegin(), m_series.cend(),
                        [](const Series &s) { return MetricOrder::isUnitInterval(s.key); });
        NiceAxis::applyValues(m_y, lo <= hi ? NiceAxis::forValues(lo, hi, fraction)
                                            : NiceAxis::Range{});
    } else {
        NiceAxis::applySteps(m_x, NiceAxis::forSteps(0, 1));
        NiceAxis::applyValues(m_y, NiceAxis::Range{});
    }
    const double top = m_y->max(), bottom = m_y->min();
    auto clipped = [&](double v) { return std::isinf(v) ? (v > 0 ? top : bottom) : v; };

    for (const Series &s : m_series) {
        const std::vector<MetricBucket> buckets = data.value(s.key);
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
        s.last->replace(last);
        s.upper->replace(upper);
        s.lower->replace(lower);
        s.marks->replace(marks);
    }
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
    const bool dark = pal.color(QPalette::Window).lightness() < 128;
    // The first series in the accent colour, the other splits in colours that read beside it
    // in light and dark mode.
    const QColor colors[] = {pal.color(QPalette::Highlight),
                             dark ? QColor(0xf6, 0xa6, 0x25) : QColor(0xd3, 0x6b, 0x00),
                             dark ? QColor(0x99, 0xca, 0x53) : QColor(0x2e, 0x8b, 0x3e),
                             dark ? QColor(0xe3, 0x77, 0xc2) : QColor(0xa8, 0x3c, 0x8c)};
    // Not-finite markers in the palette's error colour, readable in light and dark mode.
    const QColor bad = dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28);
    for (size_t i = 0; i < m_series.size(); ++i) {
        const Series &s = m_series[i];
        const QColor accent = colors[i % std::size(colors)];
        QPen line(accent);
        line.setWidthF(1.6);
        s.last->setPen(line);
        QColor band = accent;
        band.setAlphaF(0.25f);
        s.band->setBrush(band);
        s.band->setPen(Qt::NoPen);
        s.marks->setColor(bad);
        s.marks->setBorderColor(bad);
    }
    const QColor first = colors[0];
    m_hoverDot->setColor(first);
    m_hoverDot->setBorderColor(first);
}

} // namespace mlwb
