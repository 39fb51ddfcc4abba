// SPDX-License-Identifier: MIT
#include "panes/compare/parallel_coordinates_view.h"

#include "charts/nice_axis.h"
#include "common/format.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <cmath>

namespace mlwb {

namespace {

constexpr double kMarginX = 56;
constexpr double kTop = 44;
constexpr double kBottom = 28;

double distanceToSegment(const QPointF &p, const QPointF &a, const QPointF &b)
{
    const QPointF ab = b - a;
    const double len2 = QPointF::dotProduct(ab, ab);
    const double t = len2 > 0 ? std::clamp(QPointF::dotProduct(p - a, ab) / len2, 0.0, 1.0) : 0.0;
    const QPointF d = p - (a + t * ab);
    return std::hypot(d.x(), d.y());
}

} // namespace

ParallelCoordinatesView::ParallelCoordinatesView(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("parallelCoordinates"));
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ParallelCoordinatesView::setData(const QList<RunComparison::Axis> &axes,
                                      const QList<Line> &lines)
{
    // Numeric axes end on round numbers (decades on a log axis) and are labelled at them.
    m_axes = axes;
    m_ticks.clear();
    for (RunComparison::Axis &axis : m_axes) {
        if (axis.isCategorical()) {
            m_ticks << QList<double>();
            continue;
        }
        const NiceAxis::Range r = axis.log ? NiceAxis::decades(axis.min, axis.max)
                                           : NiceAxis::rounded(axis.min, axis.max, 4);
        axis.min = r.min;
        axis.max = r.max;
        m_ticks << (axis.log ? NiceAxis::decadeTicks(r) : NiceAxis::ticks(r));
    }
    m_lines = lines;
    m_hover = -1;
    update();
}

QSize ParallelCoordinatesView::sizeHint() const
{
    return {640, 320};
}
QSize ParallelCoordinatesView::minimumSizeHint() const
{
    return {240, 160};
}

double ParallelCoordinatesView::position(const RunComparison::Axis &axis, double value)
{
    if (!std::isfinite(value))
        return std::nan("");
    if (axis.isCategorical())
        return axis.categories.size() <= 1 ? 0.5 : value / double(axis.categories.size() - 1);
    if (axis.log) {
        if (value <= 0 || axis.min <= 0)
            return std::nan("");
        return (std::log(value) - std::log(axis.min)) / (std::log(axis.max) - std::log(axis.min));
    }
    return axis.max > axis.min ? (value - axis.min) / (axis.max - axis.min) : 0.5;
}

QRectF ParallelCoordinatesView::plotRect() const
{
    return QRectF(kMarginX, kTop, std::max(1.0, width() - 2 * kMarginX),
                  std::max(1.0, height() - kTop - kBottom));
}

double ParallelCoordinatesView::axisX(int axis) const
{
    const QRectF plot = plotRect();
    if (m_axes.size() <= 1)
        return plot.center().x();
    return plot.left() + plot.width() * axis / double(m_axes.size() - 1);
}

QList<QPolygonF> ParallelCoordinatesView::polylines(const Line &line) const
{
    const QRectF plot = plotRect();
    QList<QPolygonF> out;
    QPolygonF current;
    for (int i = 0; i < m_axes.size(); ++i) {
        const double t = position(m_axes[i], line.values.value(i, std::nan("")));
        if (!std::isfinite(t)) {
            if (current.size() > 0)
                out << current;
            current.clear();
            continue;
        }
        current << QPointF(axisX(i), plot.bottom() - std::clamp(t, 0.0, 1.0) * plot.height());
    }
    if (current.size() > 0)
        out << current;
    return out;
}

int ParallelCoordinatesView::lineAt(const QPoint &pos) const
{
    int best = -1;
    double bestDistance = 5.0;
    for (int i = 0; i < m_lines.size(); ++i)
        for (const QPolygonF &poly : polylines(m_lines[i])) {
            for (int k = 0; k + 1 < poly.size(); ++k) {
                const double d = distanceToSegment(pos, poly[k], poly[k + 1]);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = i;
                }
            }
            if (poly.size() == 1 && QLineF(pos, poly[0]).length() < bestDistance) {
                bestDistance = QLineF(pos, poly[0]).length();
                best = i;
            }
        }
    return best;
}

void ParallelCoordinatesView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    p.setRenderHint(QPainter::Antialiasing);
    const QColor text = palette().color(QPalette::Text);
    if (m_axes.size() < 2 || m_lines.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   tr("Parallel coordinates need a hyperparameter that differs between the "
                      "runs and a metric."));
        return;
    }
    const QRectF plot = plotRect();
    const double spacing =
        m_axes.size() > 1 ? plot.width() / double(m_axes.size() - 1) : plot.width();
    QFont small = font();
    small.setPointSizeF(std::max(6.0, font().pointSizeF() * 0.85));
    QFont bold = font();
    bold.setBold(true);
    QColor axisColor = text;
    axisColor.setAlphaF(0.55f);

    // Lines under the axes' labels; the hovered one last, on top.
    for (int i = 0; i < m_lines.size(); ++i) {
        if (i == m_hover)
            continue;
        QColor c = m_lines[i].color;
        c.setAlphaF(m_hover >= 0 ? 0.25f : 0.85f);
        p.setPen(QPen(c, m_lines[i].best ? 3.0 : 1.6));
        for (const QPolygonF &poly : polylines(m_lines[i])) {
            p.drawPolyline(poly);
            if (poly.size() == 1)
                p.drawEllipse(poly[0], 2.5, 2.5);
        }
    }
    if (m_hover >= 0 && m_hover < m_lines.size()) {
        p.setPen(QPen(m_lines[m_hover].color, 3.2));
        for (const QPolygonF &poly : polylines(m_lines[m_hover])) {
            p.drawPolyline(poly);
            for (const QPointF &pt : poly)
                p.drawEllipse(pt, 3, 3);
        }
    }

    for (int i = 0; i < m_axes.size(); ++i) {
        const RunComparison::Axis &axis = m_axes[i];
        const double x = axisX(i);
        p.setPen(QPen(axisColor, 1.2));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setFont(bold);
        p.setPen(text);
        const QRectF titleRect(x - spacing / 2, 4, spacing, kTop - 18);
        const QString title = p.fontMetrics().elidedText(
            axis.log ? tr("%1 (log)").arg(axis.key) : axis.key, Qt::ElideMiddle, int(spacing) - 6);
        p.drawText(titleRect, Qt::AlignHCenter | Qt::AlignBottom, title);
        p.setFont(small);
        const QFontMetrics fm(small);
        auto label = [&](double t, const QString &s) {
            const double y = plot.bottom() - t * plot.height();
            p.setPen(QPen(axisColor, 1));
            p.drawLine(QPointF(x - 3, y), QPointF(x + 3, y));
            p.setPen(text);
            const QString shown = fm.elidedText(s, Qt::ElideRight, int(spacing / 2) - 8);
            p.drawText(QRectF(x + 5, y - fm.height() / 2.0, spacing / 2, fm.height()),
                       Qt::AlignLeft | Qt::AlignVCenter, shown);
        };
        if (axis.isCategorical()) {
            for (int k = 0; k < axis.categories.size(); ++k)
                label(position(axis, k), axis.categories[k]);
        } else {
            for (double v : m_ticks.value(i))
                label(position(axis, v), Format::metric(v));
        }
    }
}

void ParallelCoordinatesView::mouseMoveEvent(QMouseEvent *event)
{
    const int hover = lineAt(event->position().toPoint());
    if (hover != m_hover) {
        m_hover = hover;
        update();
    }
    if (hover < 0) {
        QToolTip::hideText();
        return;
    }
    const Line &line = m_lines[hover];
    QString html = QStringLiteral("<b><span style=\"color:%1\">\u25a0</span> %2</b><table>")
                       .arg(line.color.name(), line.name.toHtmlEscaped());
    for (int i = 0; i < m_axes.size(); ++i) {
        const double v = line.values.value(i, std::nan(""));
        QString value = tr("\u2013");
        if (std::isfinite(v))
            value =
                m_axes[i].isCategorical() ? m_axes[i].categories.value(int(v)) : Format::metric(v);
        html += QStringLiteral("<tr><td>%1</td><td align=\"right\">&nbsp;%2</td></tr>")
                    .arg(m_axes[i].key.toHtmlEscaped(), value.toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    QToolTip::showText(event->globalPosition().toPoint() + QPoint(14, 14), html, this);
}

void ParallelCoordinatesView::leaveEvent(QEvent *event)
{
    QWidget::leaveEvent(event);
    if (m_hover >= 0) {
        m_hover = -1;
        update();
    }
}

} // namespace mlwb
