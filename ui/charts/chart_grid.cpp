// SPDX-License-Identifier: MIT
#include "charts/chart_grid.h"

#include <QGridLayout>
#include <QResizeEvent>

#include <algorithm>

namespace mlwb {

ChartGrid::ChartGrid(int minimumColumnWidth, QWidget *parent)
    : QWidget(parent), m_minimumColumnWidth(std::max(minimumColumnWidth, 100)),
      m_grid(new QGridLayout(this))
{
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setSpacing(8);
    m_grid->setColumnStretch(0, 1);
}

void ChartGrid::addChart(QWidget *chart)
{
    chart->setParent(this);
    m_charts << chart;
    chart->show();
    reflow();
}

void ChartGrid::insertChart(int index, QWidget *chart)
{
    chart->setParent(this);
    m_charts.insert(std::clamp<qsizetype>(index, 0, m_charts.size()), chart);
    chart->show();
    reflow();
}

void ChartGrid::removeChart(QWidget *chart)
{
    if (!m_charts.removeOne(chart))
        return;
    m_grid->removeWidget(chart);
    delete chart;
    reflow();
}

void ChartGrid::clear()
{
    for (QWidget *chart : std::as_const(m_charts)) {
        m_grid->removeWidget(chart);
        delete chart;
    }
    m_charts.clear();
}

int ChartGrid::columnsFor(int width) const
{
    return std::clamp(width / m_minimumColumnWidth, 1, 4);
}

void ChartGrid::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (columnsFor(event->size().width()) != m_columns)
        reflow();
}

void ChartGrid::reflow()
{
    m_columns = columnsFor(width());
    for (QWidget *chart : std::as_const(m_charts))
        m_grid->removeWidget(chart);
    for (int c = 0; c < m_grid->columnCount(); ++c)
        m_grid->setColumnStretch(c, 0);
    for (int r = 0; r < m_grid->rowCount(); ++r)
        m_grid->setRowStretch(r, 0);
    int n = 0;
    for (QWidget *chart : std::as_const(m_charts)) {
        if (chart->isHidden())
            continue;
        m_grid->addWidget(chart, n / m_columns, n % m_columns);
        ++n;
    }
    for (int c = 0; c < m_columns; ++c)
        m_grid->setColumnStretch(c, 1);
    for (int r = 0; r < (n + m_columns - 1) / m_columns; ++r)
        m_grid->setRowStretch(r, 1);
}

} // namespace mlwb
