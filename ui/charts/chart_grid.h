// SPDX-License-Identifier: MIT
#pragma once

// ChartGrid: charts side by side in as many columns as fit the width (each column at least
// minimumColumnWidth), reflowing when the widget is resized, so a narrow tab stacks its charts
// and a wide one shows them in rows. Hidden charts take no cell (call reflow() after hiding).

#include <QList>
#include <QWidget>

class QGridLayout;

namespace mlwb {

class ChartGrid : public QWidget {
    Q_OBJECT
public:
    explicit ChartGrid(int minimumColumnWidth = 360, QWidget *parent = nullptr);

    // Takes ownership; charts keep their order.
    void addChart(QWidget *chart);
    // Takes ownership and places the chart at `index` (at the end when out of range).
    void insertChart(int index, QWidget *chart);
    // Deletes the chart.
    void removeChart(QWidget *chart);
    void clear();
    QList<QWidget *> charts() const { return m_charts; }
    int columnCount() const { return m_columns; }
    // Lays the charts that are not hidden out again.
    void reflow();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    int columnsFor(int width) const;

    int m_minimumColumnWidth;
    int m_columns = 1;
    QGridLayout *m_grid;
    QList<QWidget *> m_charts;
};

} // namespace mlwb
