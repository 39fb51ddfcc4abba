// SPDX-License-Identifier: MIT
#pragma once

// MetricChartView: one metric series over steps, drawn from decimated buckets: a band from each
// bucket's minimum to its maximum (no spike hidden) and a line through the last values. Never
// holds more points than the plot has pixel columns. Hover shows step and value.

#include "store/records.h"

#include <QChartView>

#include <vector>

class QAreaSeries;
class QLineSeries;
class QValueAxis;

namespace mlwb {

class MetricChartView : public QChartView {
    Q_OBJECT
public:
    explicit MetricChartView(const QString &key, QWidget *parent = nullptr);

    const QString &key() const { return m_key; }
    // How many buckets fit the plot (one per pixel column).
    int bucketCount() const;
    void setBuckets(const std::vector<MetricBucket> &buckets);
    int pointCount() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();

    QString m_key;
    QLineSeries *m_last;
    QLineSeries *m_upper;
    QLineSeries *m_lower;
    QAreaSeries *m_band;
    QValueAxis *m_x;
    QValueAxis *m_y;
};

} // namespace mlwb
