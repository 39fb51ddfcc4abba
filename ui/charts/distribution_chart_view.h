// SPDX-License-Identifier: MIT
#pragma once

// DistributionChartView: a chart of how a data set's values are spread: the class balance of a
// classification target (one bar per class), or the histogram of one column (equal-width bins
// over a value axis with round ticks for numeric columns, one bar per category for coded ones).
// Category labels too long for the axis are shortened and hovering a bar shows the whole label
// and its count, so no label is ever cut to "...".

#include <QChartView>
#include <QList>
#include <QStringList>

class QAreaSeries;
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

    // The bars of a class balance or of a coded column; nullptr for a numeric histogram.
    QBarSeries *series() const { return m_series; }
    // The numeric histogram's bins; nullptr otherwise.
    QAreaSeries *histogram() const { return m_area; }
    // Whole labels (class names, categories, or bin ranges such as "4.3 – 4.48").
    const QStringList &labels() const { return m_labels; }
    // What the axis shows: the labels, long ones shortened.
    QStringList axisLabels() const;
    const QList<qint64> &counts() const { return m_counts; }
    // The tooltip text for the bar or bin at `index`: its whole label and count.
    QString barToolTip(int index) const;

    // Labels longer than this are shortened on the axis.
    static constexpr int kMaxLabelLength = 12;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateLabelAngle();
    void clearChart(const QString &title);
    void styleAxes();
    void setBars(const QString &title, const QString &axisTitle, const QStringList &labels,
                 const QList<qint64> &counts);

    QBarSeries *m_series = nullptr;
    QAreaSeries *m_area = nullptr;
    double m_lo = 0;
    double m_binWidth = 1;
    QStringList m_labels;
    QList<qint64> m_counts;
};

} // namespace mlwb
