// SPDX-License-Identifier: MIT
#include "charts/distribution_chart_view.h"

#include "data/data_table.h"
#include "common/format.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace mlwb {

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
    QStringList labels;
    for (int b = 0; b < n; ++b) {
        QString label = Format::metric(lo + (b + 0.5) * width);
        if (labels.contains(label)) // a category axis needs distinct labels
            label = QStringLiteral("%1 #%2").arg(label).arg(b + 1);
        labels << label;
    }
    setBars(tr("Histogram of %1").arg(c.name), tr("%1 (bin centre)").arg(c.name), labels, counts);
}

void DistributionChartView::setBars(const QString &title, const QString &axisTitle,
                                    const QStringList &labels, const QList<qint64> &counts)
{
    m_labels = labels;
    m_counts = counts;
    QChart *c = chart();
    c->removeAllSeries();
    const QList<QAbstractAxis *> axes = c->axes();
    for (QAbstractAxis *axis : axes) {
        c->removeAxis(axis);
        delete axis;
    }
    c->setTitle(title);
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
    x->append(labels);
    x->setTitleText(axisTitle);
    x->setLabelsAngle(labels.size() > 8 ? -60 : 0);
    auto *y = new QValueAxis;
    y->setRange(0, std::max<qint64>(1, top) * 1.1);
    y->setLabelFormat(QStringLiteral("%d"));
    y->setTitleText(tr("rows"));
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    m_series->attachAxis(x);
    m_series->attachAxis(y);
    set->setLabelColor(palette().color(QPalette::Text));
    c->setBackgroundBrush(palette().base());
    c->setTitleBrush(palette().text());
    x->setLabelsBrush(palette().text());
    y->setLabelsBrush(palette().text());
    x->setTitleBrush(palette().text());
    y->setTitleBrush(palette().text());
}

} // namespace mlwb
