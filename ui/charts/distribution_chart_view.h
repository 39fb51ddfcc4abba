// SPDX-License-Identifier: MIT
#pragma once

// DistributionChartView: a bar chart of how a data set's values are spread: the class balance
// of a classification target, or the histogram of one column (equal-width bins for numeric
// columns, one bar per category for coded ones).

#include <QChartView>
#include <QList>
#include <QStringList>

class QBarSeries;

namespace mlwb {

class DataTable;

class DistributionChartView : public QChartView {
    Q_OBJECT
public:
    explicit DistributionChartView(QWidget *parent = nullptr);

    // Rows per class of `column` (a coded target), labelled with the class names.
    void showClassBalance(const DataTable &table, int column);
    // Histogram of one column.
    void showColumn(const DataTable &table, int column, int bins = 20);
    void showNothing(const QString &title);

    QBarSeries *series() const { return m_series; }
    const QStringList &labels() const { return m_labels; }
    const QList<qint64> &counts() const { return m_counts; }

private:
    void setBars(const QString &title, const QString &axisTitle, const QStringList &labels,
                 const QList<qint64> &counts);

    QBarSeries *m_series = nullptr;
    QStringList m_labels;
    QList<qint64> m_counts;
};

} // namespace mlwb
