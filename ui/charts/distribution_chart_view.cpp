// SPDX-License-Identifier: MIT
#include "charts/distribution_chart_view.h"

#include "data/data_table.h"
#include "common/format.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QCursor>
#include <QFontMetrics>
#include <QLineSeries>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace mlwb {

namespace {

QString shortened(const QString &label)
{
    if (label.size() <= DistributionChartView::kMaxLabelLength)
        return label;
    return label.left(DistributionChartView::kMaxLabelLength - 1) + QChar(0x2026);
}

} // namespace

DistributionChartView::DistributionChartView(QWidget *parent)
    : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    chart()->legend()->hide();
    chart()->setMargins(QMargins(4, 4, 4, 4));
    setMinimumHeight(180);
}

void DistributionChartView::showNothing(const QString &title)
{
    setBars(title, QString(), {}, {});
}

void DistributionChartView::showClassBalance(const DataTable &table, int column)
{
    if (column < 0 || column >= table.columnCount() || !table.column(column).isCoded()) {
        showNothing(tr("No class balance: the target is not a class label"));
        return;
    }
    const ColumnInfo &c = table.column(column);
    setBars(tr("Class balance of %1").arg(c.name), tr("class"), c.categories, c.categoryCounts);
}

void DistributionChartView::showColumn(const DataTable &table, int column, int bins)
{
    if (column < 0 || column >= table.columnCount()) {
        showNothing(QString());
        return;
    }
    const ColumnInfo &c = table.column(column);
    if (c.isCoded()) {
        setBars(tr("Values of %1").arg(c.name), c.name, c.categories, c.categoryCounts);
        return;
    }
    const double lo = c.min;
    const double hi = c.max;
    if (!std::isfinite(lo) || !std::isfinite(hi)) {
        showNothing(tr("%1 has no values").arg(c.name));
        return;
    }
    const int n = hi > lo ? std::max(1, bins) : 1;
    const double width = hi > lo ? (hi - lo) / n : 1.0;
    QList<qint64> counts(n, 0);
    for (double v : table.columnData(column)) {
        if (std::isnan(v))
            continue;
        int b = int((v - lo) / width);
        counts[std::clamp(b, 0, n - 1)] += 1;
    }
    // Bins over a value axis: its ticks are round numbers and never crowd, unlike one category
    // label per bin.
    clearChart(tr("Histogram of %1").arg(c.name));
    m_lo = hi > lo ? lo : lo - 0.5;
    m_binWidth = width;
    m_counts = counts;
    auto *upper = new QLineSeries;
    qint64 top = 0;
    for (int b = 0; b < n; ++b) {
        const double x0 = m_lo + b * width;
        const double x1 = x0 + width;
        upper->append(x0, 0);
        upper->append(x0, double(counts[b]));
        upper->append(x1, double(counts[b]));
        upper->append(x1, 0);
        top = std::max(top, counts[b]);
        m_labels << QStringLiteral("%1 \u2013 %2").arg(Format::metric(x0), Format::metric(x1));
    }
    m_area = new QAreaSeries(upper);
    m_area->setName(tr("rows"));
    m_area->setColor(palette().color(QPalette::Highlight));
    m_area->setBorderColor(palette().color(QPalette::Base));
    QChart *ch = chart();
    ch->addSeries(m_area);
    auto *x = new QValueAxis;
    x->setRange(m_lo, m_lo + n * width);
    x->applyNiceNumbers();
    x->setLabelFormat(QStringLiteral("%.4g"));
    x->setTitleText(c.name);
    auto *y = new QValueAxis;
    y->setRange(0, double(std::max<qint64>(1, top)) * 1.1);
    y->applyNiceNumbers();
    y->setLabelFormat(QStringLiteral("%d"));
    y->setTitleText(tr("rows"));
    ch->addAxis(x, Qt::AlignBottom);
    ch->addAxis(y, Qt::AlignLeft);
    m_area->attachAxis(x);
    m_area->attachAxis(y);
    connect(m_area, &QAreaSeries::hovered, this, [this](const QPointF &point, bool state) {
        if (!state || m_binWidth <= 0) {
            QToolTip::hideText();
            return;
        }
        const int bin = std::clamp(int(std::floor((point.x() - m_lo) / m_binWidth)), 0,
                                   int(m_counts.size()) - 1);
        QToolTip::showText(QCursor::pos(), barToolTip(bin), this);
    });
    styleAxes();
}

QStringList DistributionChartView::axisLabels() const
{
    if (m_area)
        return {};
    QStringList out;
    for (const QString &label : m_labels) {
        QString s = shortened(label);
        while (out.contains(s)) // a category axis needs distinct labels
            s += QChar(0x200b);
        out << s;
    }
    return out;
}

QString DistributionChartView::barToolTip(int index) const
{
    if (index < 0 || index >= m_labels.size() || index >= m_counts.size())
        return QString();
    return tr("%1: %n rows", nullptr, int(m_counts.at(index))).arg(m_labels.at(index));
}

void DistributionChartView::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    updateLabelAngle();
}

void DistributionChartView::updateLabelAngle()
{
    if (!m_series)
        return;
    const QList<QAbstractAxis *> axes = chart()->axes(Qt::Horizontal);
    auto *x = axes.isEmpty() ? nullptr : qobject_cast<QBarCategoryAxis *>(axes.first());
    if (!x)
        return;
    // Labels side by side while each fits its bar's width, else turned (Qt would cut them).
    const QFontMetrics metrics(x->labelsFont());
    int widest = 0;
    for (const QString &label : x->categories())
        widest = std::max(widest, metrics.horizontalAdvance(label));
    const double plot = chart()->plotArea().width() > 0 ? chart()->plotArea().width() : width() - 80.0;
    const double perBar = plot / std::max<qsizetype>(1, x->count());
    x->setLabelsAngle(double(widest) + 6 > perBar ? -60 : 0);
}

void DistributionChartView::clearChart(const QString &title)
{
    QChart *c = chart();
    c->removeAllSeries();
    const QList<QAbstractAxis *> axes = c->axes();
    for (QAbstractAxis *axis : axes) {
        c->removeAxis(axis);
        delete axis;
    }
    c->setTitle(title);
    m_series = nullptr;
    m_area = nullptr;
    m_labels.clear();
    m_counts.clear();
}

void DistributionChartView::styleAxes()
{
    QChart *c = chart();
    c->setBackgroundBrush(palette().base());
    c->setTitleBrush(palette().text());
    for (QAbstractAxis *axis : c->axes()) {
        axis->setLabelsBrush(palette().text());
        axis->setTitleBrush(palette().text());
    }
}

void DistributionChartView::setBars(const QString &title, const QString &axisTitle,
                                    const QStringList &labels, const QList<qint64> &counts)
{
    clearChart(title);
    m_labels = labels;
    m_counts = counts;
    QChart *c = chart();
    m_series = new QBarSeries;
    auto *set = new QBarSet(tr("rows"));
    qint64 top = 0;
    for (qint64 n : counts) {
        *set << double(n);
        top = std::max(top, n);
    }
    set->setColor(palette().color(QPalette::Highlight));
    m_series->append(set);
    m_series->setBarWidth(0.9);
    c->addSeries(m_series);
    auto *x = new QBarCategoryAxis;
    const QStringList shown = axisLabels();
    x->append(shown);
    x->setTitleText(axisTitle);
    auto *y = new QValueAxis;
    y->setRange(0, double(std::max<qint64>(1, top)) * 1.1);
    y->applyNiceNumbers();
    y->setLabelFormat(QStringLiteral("%d"));
    y->setTitleText(tr("rows"));
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    m_series->attachAxis(x);
    m_series->attachAxis(y);
    updateLabelAngle();
    set->setLabelColor(palette().color(QPalette::Text));
    connect(set, &QBarSet::hovered, this, [this](bool status, int index) {
        if (status)
            QToolTip::showText(QCursor::pos(), barToolTip(index), this);
        else
            QToolTip::hideText();
    });
    styleAxes();
}

} // namespace mlwb
