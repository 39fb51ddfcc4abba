// SPDX-License-Identifier: MIT
#include "panes/compare/compare_chart_view.h"

#include "charts/ema_smoothing.h"
#include "charts/nice_axis.h"
#include "eval/metric_order.h"

#include "charts/chart_style.h"

#include "common/json_number.h"
#include "store/metric_logger.h"
#include "store/project.h"
#include "common/format.h"

#include <QChart>
#include <QContextMenuEvent>
#include <QFileDialog>
#include <QGraphicsLineItem>
#include <QImage>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTimer>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlwb {

namespace {

// Above this many runs the chart's own legend would crowd out the plot; the run table's check
// boxes show and hide runs instead.
constexpr int kMaxLegendRuns = 16;
// Rows of the hover tooltip before it says how many more there are.
constexpr int kMaxHoverRows = 16;

// The epoch at a step, from a run's "epoch" series (epoch e is logged at the step that ends it):
// linear between those steps, from (0, 0) before the first, continued at the last epoch's pace.
double epochAt(const std::vector<MetricPoint> &epochs, qint64 step)
{
    const auto after = std::lower_bound(epochs.begin(), epochs.end(), step,
                                        [](const MetricPoint &p, qint64 s) { return p.step < s; });
    if (after != epochs.end() && after->step == step)
        return after->value;
    double s0 = 0, e0 = 0, s1 = 0, e1 = 0;
    if (after == epochs.begin()) {
        s1 = double(after->step);
        e1 = after->value;
    } else if (after == epochs.end()) {
        const auto last = epochs.end() - 1;
        s1 = double(last->step);
        e1 = last->value;
        if (last != epochs.begin()) {
            s0 = double((last - 1)->step);
            e0 = (last - 1)->value;
        }
    } else {
        s0 = double((after - 1)->step);
        e0 = (after - 1)->value;
        s1 = double(after->step);
        e1 = after->value;
    }
    if (s1 <= s0)
        return e1;
    return e0 + (e1 - e0) * (double(step) - s0) / (s1 - s0);
}

// How many buckets to ask MetricReader::chartBuckets for, one per pixel column at most.
// Reading a series from its per-64-step summary blocks costs about 1/64 of reading its points,
// and the reader takes that path only when a bucket spans two blocks or more; a series of one
// to two blocks per pixel column is therefore asked for at two blocks per bucket (every spike
// is still drawn, a bucket per one to two pixel columns) instead of having all its points read:
// 100 runs of 100k points open in about 0.3 s instead of 3.7 s. Shorter series are read point by
// point, exactly, unless so many runs would be read that the points exceed kPointBudget; then
// they are read from blocks too, at two blocks per bucket (coarser, spikes still drawn).
constexpr qint64 kMetricBlock = qint64(1) << kMetricBlockShift;
constexpr qint64 kPointBudget = 1'000'000; // about 0.15 s of reading on the development VM

int bucketsFor(qint64 span, int pixels, bool preferBlocks)
{
    const qint64 twoBlocks = 2 * kMetricBlock + 1;
    if (span > kMetricBlock * pixels || (preferBlocks && span >= 16 * twoBlocks))
        return int(std::clamp<qint64>(span / twoBlocks, 16, pixels));
    return pixels;
}

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString csvNumber(double v)
{
    return QString::number(v, 'g', 12);
}

} // namespace

CompareChartView::CompareChartView(Project &project, QWidget *parent)
    : QChartView(parent), m_project(&project), m_resizeTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("compareChart"));
    auto *c = new QChart;
    c->setAnimationOptions(QChart::NoAnimation);
    c->setBackgroundRoundness(0);
    c->setMargins(QMargins(4, 4, 4, 4));
    c->legend()->setAlignment(Qt::AlignBottom);
    setChart(c);
    setRenderHint(QPainter::Antialiasing);
    setMouseTracking(true);
    setMinimumHeight(240);
    m_marker = new QGraphicsLineItem(c);
    m_marker->setZValue(100);
    m_marker->hide();
    // A resize re-reads only when the plot width moved far from what the buckets were read
    // for: a little too many buckets still draws every spike, and too few only coarsens.
    m_resizeTimer->setSingleShot(true);
    m_resizeTimer->setInterval(150);
    connect(m_resizeTimer, &QTimer::timeout, this, [this] {
        const int n = bucketCount();
        if (m_stale || n * 4 > m_loadedBuckets * 5 || n * 2 < m_loadedBuckets)
            reload();
    });
    applyPalette();
}

void CompareChartView::showEvent(QShowEvent *event)
{
    QChartView::showEvent(event);
    if (m_stale)
        reload();
}

void CompareChartView::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    if (isVisible())
        m_resizeTimer->start();
}

void CompareChartView::setRuns(const QList<RunInfo> &runs)
{
    m_runs = runs;
    reload();
}

void CompareChartView::setMetricKey(const QString &key)
{
    if (key == m_key)
        return;
    m_key = key;
    reload();
}

void CompareChartView::setXAxis(XAxis axis)
{
    if (axis == m_xAxis)
        return;
    m_xAxis = axis;
    reload();
}

void CompareChartView::setSmoothing(int percent)
{
    percent = std::clamp(percent, 0, 99);
    if (percent == m_smoothing)
        return;
    m_smoothing = percent;
    smooth();
    rebuild();
}

void CompareChartView::setLogScale(bool on)
{
    if (on == m_log)
        return;
    m_log = on;
    rebuild();
}

int CompareChartView::bucketCount() const
{
    const int plot = int(chart()->plotArea().width());
    return std::clamp(plot > 0 ? plot : width() - 80, 16, 4000);
}

QString CompareChartView::xTitle() const
{
    switch (m_xAxis) {
    case XAxis::Step:
        return tr("Step");
    case XAxis::Epoch:
        return tr("Epoch");
    case XAxis::WallTime:
        return tr("Wall time since the run started (s)");
    }
    return QString();
}

void CompareChartView::reload()
{
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    m_stale = false;
    m_curves.clear();
    m_notes.clear();
    m_nonFinite.clear();
    const int buckets = bucketCount();
    m_loadedBuckets = buckets;
    if (m_project && !m_key.isEmpty()) {
        // The last step of every run's series, to choose how each one is read.
        QList<qint64> ids;
        for (const RunInfo &run : std::as_const(m_runs))
            ids << run.id;
        QHash<qint64, qint64> lastStep;
        if (auto latest = m_project->metrics().latest(ids); latest.ok())
            for (const LatestMetric &m : *latest)
                if (m.key == m_key)
                    lastStep.insert(m.runId, m.step);
        qint64 pointsToRead = 0;
        for (const RunInfo &run : std::as_const(m_runs)) {
            const qint64 span = lastStep.value(run.id, 0) + 1;
            pointsToRead += span <= kMetricBlock * buckets ? span : 0;
        }
        const bool preferBlocks = pointsToRead > kPointBudget;
        for (const RunInfo &run : std::as_const(m_runs)) {
            auto data = m_project->metrics().chartBuckets(
                run.id, m_key, bucketsFor(lastStep.value(run.id, 0) + 1, buckets, preferBlocks));
            if (!data.ok()) {
                m_notes << tr("%1: %2").arg(run.name, data.error());
                continue;
            }
            if (data->empty()) {
                m_notes << tr("%1 has no %2 series").arg(run.name, m_key);
                continue;
            }
            std::vector<MetricPoint> epochs;
            if (m_xAxis == XAxis::Epoch) {
                auto e = m_project->metrics().series(run.id, QStringLiteral("epoch"));
                if (!e.ok() || e->empty()) {
                    m_notes << tr("%1 has no epoch series").arg(run.name);
                    continue;
                }
                epochs = std::move(*e);
            }
            Curve c;
            c.runId = run.id;
            c.name = run.best ? tr("%1 (best)").arg(run.name) : run.name;
            c.color = run.color;
            c.best = run.best;
            const size_t n = data->size();
            c.x.reserve(n);
            c.last.reserve(n);
            c.min.reserve(n);
            c.max.reserve(n);
            const double wall0 = data->front().firstWall;
            bool noted = false;
            for (const MetricBucket &b : *data) {
                if (!b.allFinite() && !noted) {
                    // Where the run diverged, named; its infinities are drawn at the plot's edge.
                    m_nonFinite << tr("%1: %2 from step %3")
                                   .arg(run.name, JsonNumber::nonFiniteName(b.firstNonFinite))
                                   .arg(b.firstNonFiniteStep);
                    noted = true;
                }
                if (std::isnan(b.min)) // every point of the bucket is NaN: nothing to draw
                    continue;
                switch (m_xAxis) {
                case XAxis::Step:
                    c.x.push_back(double(b.lastStep));
                    break;
                case XAxis::Epoch:
                    c.x.push_back(epochAt(epochs, b.lastStep));
                    break;
                case XAxis::WallTime:
                    c.x.push_back(b.lastWall - wall0);
                    break;
                }
                c.last.push_back(std::isnan(b.last) ? b.max : b.last);
                c.min.push_back(b.min);
                c.max.push_back(b.max);
            }
            m_curves << std::move(c);
        }
    }
    smooth();
    rebuild();
}

void CompareChartView::smooth()
{
    // TensorBoard's debiased EMA, so the first points are not pulled towards zero.
    const double weight = m_smoothing / 100.0;
    for (Curve &c : m_curves)
        c.value = EmaSmoothing::apply(c.last, weight);
}

void CompareChartView::rebuild()
{
    hideHover();
    QChart *c = chart();
    c->removeAllSeries();
    m_lines.clear();
    m_traces.clear();
    for (QAbstractAxis *axis : c->axes()) {
        c->removeAxis(axis);
        delete axis;
    }
    auto *x = new QValueAxis;
    x->setTitleText(xTitle());
    QAbstractAxis *y = nullptr;
    if (m_log) {
        auto *logAxis = new QLogValueAxis;
        logAxis->setBase(10);
        logAxis->setLabelFormat(QStringLiteral("%g"));
        logAxis->setMinorTickCount(-1);
        y = logAxis;
    } else {
        y = new QValueAxis;
    }
    y->setTitleText(m_log ? tr("%1 (log scale)").arg(m_key) : m_key);
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);

    const bool smoothed = m_smoothing > 0;
    double minX = std::numeric_limits<double>::infinity(), maxX = -minX;
    double minY = minX, maxY = maxX;
    // The y range covers the finite values; an infinity is drawn at the edge of that range
    // (the note above the chart names where it began), never dropped.
    double finiteLo = minY, finiteHi = maxY;
    for (const Curve &curve : std::as_const(m_curves))
        for (size_t i = 0; i < curve.x.size(); ++i)
            for (double v : {curve.min[i], curve.max[i]})
                if (std::isfinite(v) && (!m_log || v > 0)) {
                    finiteLo = std::min(finiteLo, v);
                    finiteHi = std::max(finiteHi, v);
                }
    if (finiteLo > finiteHi)
        finiteLo = finiteHi = m_log ? 1.0 : 0.0;
    auto clipped = [&](double v) {
        return std::isinf(v) ? (v > 0 ? finiteHi : (m_log ? finiteLo : finiteLo)) : v;
    };
    qint64 dropped = 0;
    auto keep = [this, &dropped](double v) {
        if (!m_log || v > 0)
            return true;
        ++dropped;
        return false;
    };
    QList<QLineSeries *> traces, lines;
    QHash<QLineSeries *, QList<QPointF>> pending;
    for (const Curve &curve : std::as_const(m_curves)) {
        // The min/max trace: both extremes of every bucket, the one nearer the previous point
        // first, so a spike is a vertical stroke within its pixel column.
        QList<QPointF> trace;
        trace.reserve(qsizetype(curve.x.size() * 2));
        double previous = curve.last.empty() ? 0.0 : curve.last.front();
        for (size_t i = 0; i < curve.x.size(); ++i) {
            const double lo = clipped(curve.min[i]), hi = clipped(curve.max[i]);
            const bool lowFirst = std::fabs(previous - lo) <= std::fabs(previous - hi);
            const double a = lowFirst ? lo : hi, b = lowFirst ? hi : lo;
            if (keep(a))
                trace.append({curve.x[i], a});
            if (b != a && keep(b))
                trace.append({curve.x[i], b});
            previous = b;
            minX = std::min(minX, curve.x[i]);
            maxX = std::max(maxX, curve.x[i]);
            if (!m_log || lo > 0)
                minY = std::min(minY, lo);
            else if (hi > 0)
                minY = std::min(minY, hi);
            if (!m_log || hi > 0)
                maxY = std::max(maxY, hi);
        }
        auto *line = new QLineSeries;
        line->setName(curve.name);
        line->setProperty("runId", curve.runId);
        QPen pen(curve.color);
        if (smoothed) {
            auto *faded = new QLineSeries;
            faded->setProperty("runId", curve.runId);
            QColor light = curve.color;
            light.setAlphaF(0.28f);
            faded->setPen(QPen(light, 1.0));
            pending.insert(faded, trace);
            traces << faded;
            m_traces.insert(curve.runId, faded);
            QList<QPointF> ema;
            ema.reserve(qsizetype(curve.x.size()));
            for (size_t i = 0; i < curve.x.size(); ++i)
                if (std::isfinite(curve.value[i]) && (!m_log || curve.value[i] > 0))
                    ema.append({curve.x[i], curve.value[i]});
            pending.insert(line, ema);
            pen.setWidthF(curve.best ? 3.0 : 1.8);
        } else {
            pending.insert(line, trace);
            pen.setWidthF(curve.best ? 2.6 : 1.2);
        }
        line->setPen(pen);
        lines << line;
        m_lines.insert(curve.runId, line);
    }
    if (minX <= maxX) {
        // Round ticks, and the axis ends at the last point.
        NiceAxis::applySteps(x, NiceAxis::forSteps(minX, maxX));
        x->setLabelFormat(QStringLiteral("%g"));
    }
    if (minY <= maxY) {
        if (m_log) {
            const double hi = maxY > minY ? maxY : minY * 10;
            y->setRange(minY / 1.15, hi * 1.15);
        } else {
            // A series that never goes below zero (a loss, an accuracy) keeps its axis at zero,
            // a fraction never goes beyond 1.0.
            auto *linear = static_cast<QValueAxis *>(y);
            NiceAxis::applyValues(
                linear, NiceAxis::forValues(minY, maxY, MetricOrder::isUnitInterval(m_key)));
            linear->setLabelFormat(QStringLiteral("%.4g"));
        }
    }

    // Qt Charts lays a series out again (path and hover shape) whenever its points, axes or
    // ranges change: set the ranges first, attach the series empty, then give each its points,
    // so each is laid out once here. Faded traces first so every line is drawn over them.
    for (QLineSeries *s : std::as_const(traces) + lines) {
        c->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
        s->replace(pending.value(s));
    }

    QLegend *legend = c->legend();
    legend->setVisible(m_curves.size() <= kMaxLegendRuns);
    for (QLegendMarker *marker : legend->markers()) {
        const qint64 runId = marker->series()->property("runId").toLongLong();
        if (m_traces.value(runId) == marker->series()) {
            marker->setVisible(false);
            continue;
        }
        connect(marker, &QLegendMarker::clicked, this,
                [this, runId] { setRunVisible(runId, !isRunVisible(runId)); });
    }
    for (auto it = m_lines.cbegin(); it != m_lines.cend(); ++it)
        if (m_hidden.contains(it.key())) {
            it.value()->setVisible(false);
            if (QLineSeries *t = m_traces.value(it.key()))
                t->setVisible(false);
            styleMarker(it.key());
        }

    QString title = m_key.isEmpty() ? tr("No metrics") : m_key;
    if (!m_nonFinite.isEmpty())
        title += QStringLiteral(" \u2013 ") + m_nonFinite.join(QStringLiteral("; "));
    if (dropped > 0)
        title += tr(" \u2013 %n points at or below zero not shown on the log scale", nullptr,
                    int(std::min<qint64>(dropped, std::numeric_limits<int>::max())));
    c->setTitle(title);
    applyPalette();
}

QList<QLineSeries *> CompareChartView::runSeries() const
{
    QList<QLineSeries *> out;
    for (const Curve &c : m_curves)
        if (QLineSeries *s = m_lines.value(c.runId); s && s->isVisible())
            out << s;
    return out;
}

QLineSeries *CompareChartView::seriesOf(qint64 runId) const
{
    return m_lines.value(runId);
}

void CompareChartView::setRunVisible(qint64 runId, bool visible)
{
    if (visible == isRunVisible(runId))
        return;
    if (visible)
        m_hidden.remove(runId);
    else
        m_hidden.insert(runId);
    hideHover();
    if (QLineSeries *s = m_lines.value(runId))
        s->setVisible(visible);
    if (QLineSeries *t = m_traces.value(runId))
        t->setVisible(visible);
    styleMarker(runId);
    Q_EMIT runVisibilityChanged(runId, visible);
}

// Hiding a series hides its legend marker too; keep it, dimmed, so it can be clicked back.
void CompareChartView::styleMarker(qint64 runId)
{
    QLineSeries *s = m_lines.value(runId);
    if (!s)
        return;
    const bool visible = isRunVisible(runId);
    const QList<QLegendMarker *> markers = chart()->legend()->markers(s);
    for (QLegendMarker *marker : markers) {
        marker->setVisible(true);
        QColor label = palette().color(QPalette::Text);
        QColor swatch = s->color();
        if (!visible) {
            label.setAlphaF(0.4f);
            swatch.setAlphaF(0.25f);
        }
        marker->setLabelBrush(label);
        marker->setBrush(swatch);
        QPen pen = marker->pen();
        pen.setColor(swatch);
        marker->setPen(pen);
    }
}

QList<CompareChartView::HoverValue> CompareChartView::valuesAt(double x) const
{
    QList<HoverValue> out;
    for (const Curve &c : m_curves) {
        if (c.x.empty() || m_hidden.contains(c.runId))
            continue;
        auto it = std::lower_bound(c.x.begin(), c.x.end(), x);
        size_t i = size_t(it - c.x.begin());
        if (i == c.x.size() || (i > 0 && std::fabs(c.x[i - 1] - x) <= std::fabs(c.x[i] - x)))
            i = i == 0 ? 0 : i - 1;
        out.append({c.runId, c.name, c.x[i], c.value[i], c.min[i], c.max[i]});
    }
    return out;
}

bool CompareChartView::isHoverMarkerVisible() const
{
    return m_marker->isVisible();
}

void CompareChartView::mouseMoveEvent(QMouseEvent *event)
{
    QChartView::mouseMoveEvent(event);
    showHover(event->position().toPoint());
}

void CompareChartView::leaveEvent(QEvent *event)
{
    QChartView::leaveEvent(event);
    hideHover();
}

void CompareChartView::showHover(const QPoint &pos)
{
    QChart *c = chart();
    const QPointF at = c->mapFromScene(mapToScene(pos));
    if (m_curves.isEmpty() || m_lines.isEmpty() || !c->plotArea().contains(at)) {
        hideHover();
        return;
    }
    const double x = c->mapToValue(at, m_lines.cbegin().value()).x();
    const QList<HoverValue> values = valuesAt(x);
    if (values.isEmpty()) {
        hideHover();
        return;
    }
    const QRectF plot = c->plotArea();
    m_marker->setLine(at.x(), plot.top(), at.x(), plot.bottom());
    m_marker->show();

    auto xText = [this](double v) {
        switch (m_xAxis) {
        case XAxis::Step:
            return tr("step %1").arg(qint64(std::llround(v)));
        case XAxis::Epoch:
            return tr("epoch %1").arg(v, 0, 'f', 2);
        case XAxis::WallTime:
            return Format::duration(v);
        }
        return QString();
    };
    QString html = QStringLiteral("<b>%1</b> at %2<table>").arg(m_key.toHtmlEscaped(), xText(x));
    int shown = 0;
    for (const HoverValue &v : values) {
        if (shown++ == kMaxHoverRows)
            break;
        const QColor color = m_lines.value(v.runId) ? m_lines.value(v.runId)->color() : QColor();
        QString range;
        if (v.max > v.min)
            range = tr(" (%1 \u2013 %2)").arg(Format::metric(v.min), Format::metric(v.max));
        html += QStringLiteral("<tr><td><span style=\"color:%1\">\u25a0</span> %2</td>"
                               "<td align=\"right\">&nbsp;%3%4</td><td>&nbsp;%5</td></tr>")
                    .arg(color.name(), v.name.toHtmlEscaped(), Format::metric(v.value), range,
                         xText(v.x));
    }
    html += QStringLiteral("</table>");
    if (values.size() > kMaxHoverRows)
        html += tr("\u2026 and %n more runs", nullptr, int(values.size() - kMaxHoverRows));
    QToolTip::showText(mapToGlobal(pos) + QPoint(16, 16), html, this);
}

void CompareChartView::hideHover()
{
    if (m_marker && m_marker->isVisible()) {
        m_marker->hide();
        QToolTip::hideText();
    }
}

void CompareChartView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    menu.addAction(tr("Export as PNG\u2026"), this, &CompareChartView::exportPngWithDialog);
    menu.addAction(tr("Export as SVG\u2026"), this, &CompareChartView::exportSvgWithDialog);
    menu.addAction(tr("Export data as CSV\u2026"), this, &CompareChartView::exportCsvWithDialog);
    menu.exec(event->globalPos());
}

void CompareChartView::changeEvent(QEvent *event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

// Follows the window palette rather than a fixed chart theme, so it reads in dark mode.
void CompareChartView::applyPalette()
{
    const QPalette pal = palette();
    QChart *c = chart();
    ChartStyle::apply(c, pal, font());
    const QColor text = pal.color(QPalette::Text);
    QColor minor = text;
    minor.setAlphaF(0.06f);
    for (QAbstractAxis *axis : c->axes())
        axis->setMinorGridLineColor(minor); // the log axis's decades
    QColor marker = text;
    marker.setAlphaF(0.5f);
    m_marker->setPen(QPen(marker, 1.0, Qt::DashLine));
    for (auto it = m_lines.cbegin(); it != m_lines.cend(); ++it)
        styleMarker(it.key());
}

QString CompareChartView::suggestedFileName(const QString &suffix) const
{
    QString base = m_key.isEmpty() ? QStringLiteral("compare") : m_key;
    base.replace(QLatin1Char('/'), QLatin1Char('_'));
    return tr("compare-%1.%2").arg(base, suffix);
}

bool CompareChartView::exportPng(const QString &path, QString *error)
{
    hideHover();
    constexpr int scale = 2; // crisp on high-density screens and in documents
    QImage image(size() * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(palette().color(QPalette::Base));
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    render(&painter, QRectF(QPointF(0, 0), QSizeF(size())), rect());
    painter.end();
    if (image.save(path, "PNG"))
        return true;
    if (error)
        *error = tr("Could not write the image %1.").arg(path);
    return false;
}

bool CompareChartView::exportSvg(const QString &path, QString *error)
{
    hideHover();
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size());
    svg.setViewBox(rect());
    svg.setTitle(chart()->title());
    svg.setDescription(
        tr("MLOps Workbench: %1 of %n runs", nullptr, int(m_curves.size())).arg(m_key));
    QPainter painter;
    if (!painter.begin(&svg)) {
        if (error)
            *error = tr("Could not write the drawing %1.").arg(path);
        return false;
    }
    render(&painter, QRectF(QPointF(0, 0), QSizeF(size())), rect());
    painter.end();
    return true;
}

bool CompareChartView::exportCsv(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error)
            *error = tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    const char *xName = m_xAxis == XAxis::Step    ? "step"
                        : m_xAxis == XAxis::Epoch ? "epoch"
                                                  : "wall_time_s";
    QString text =
        QStringLiteral("run_id,run,%1,%2,min,max\n")
            .arg(QLatin1String(xName),
                 csvField(m_smoothing > 0 ? m_key + QStringLiteral(" (smoothed)") : m_key));
    for (const Curve &c : m_curves) {
        if (m_hidden.contains(c.runId))
            continue;
        const QString prefix = QString::number(c.runId) + QLatin1Char(',') + csvField(c.name);
        for (size_t i = 0; i < c.x.size(); ++i)
            text += prefix + QLatin1Char(',') + csvNumber(c.x[i]) + QLatin1Char(',') +
                    csvNumber(c.value[i]) + QLatin1Char(',') + csvNumber(c.min[i]) +
                    QLatin1Char(',') + csvNumber(c.max[i]) + QLatin1Char('\n');
    }
    file.write(text.toUtf8());
    if (!file.commit()) {
        if (error)
            *error = tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void CompareChartView::exportPngWithDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Chart as PNG"),
                                                      suggestedFileName(QStringLiteral("png")),
                                                      tr("PNG images (*.png)"));
    QString error;
    if (path.isEmpty())
        return;
    if (exportPng(path, &error))
        Q_EMIT exported(path);
    else
        Q_EMIT message(error, true);
}

void CompareChartView::exportSvgWithDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Chart as SVG"),
                                                      suggestedFileName(QStringLiteral("svg")),
                                                      tr("SVG drawings (*.svg)"));
    QString error;
    if (path.isEmpty())
        return;
    if (exportSvg(path, &error))
        Q_EMIT exported(path);
    else
        Q_EMIT message(error, true);
}

void CompareChartView::exportCsvWithDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Chart Data as CSV"),
                                                      suggestedFileName(QStringLiteral("csv")),
                                                      tr("CSV files (*.csv)"));
    QString error;
    if (path.isEmpty())
        return;
    if (exportCsv(path, &error))
        Q_EMIT exported(path);
    else
        Q_EMIT message(error, true);
}

} // namespace mlwb
