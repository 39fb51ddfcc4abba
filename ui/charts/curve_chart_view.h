// SPDX-License-Identifier: MIT
#pragma once

// CurveChartView: named curves on a unit square (ROC, precision-recall, reliability diagram),
// with an optional dashed y = x reference. Colours follow the curve's index, a legend click hides
// a curve, and hovering a curve shows the exact point.

#include <QChartView>
#include <QList>
#include <QPointF>

class QLineSeries;
class QValueAxis;

namespace mlwb {

class CurveChartView : public QChartView {
    Q_OBJECT
public:
    struct Curve {
        QString name; // legend text
        QList<QPointF> points;
        int colorIndex = 0;
        bool markers = false; // draw each point (few points, e.g. calibration bins)
    };

    explicit CurveChartView(QWidget *parent = nullptr);

    void setTitle(const QString &title);
    void setAxisTitles(const QString &x, const QString &y);
    // A dashed y = x line named in the legend; an empty name removes it.
    void setReference(const QString &name);
    void setCurves(const QList<Curve> &curves);

    int curveCount() const { return int(m_curves.size()); }
    QLineSeries *curve(int index) const { return m_curves.value(index); }
    QLineSeries *reference() const { return m_reference; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild();
    void applyPalette();

    QString m_referenceName;
    QList<Curve> m_data;
    QList<QLineSeries *> m_curves;
    QLineSeries *m_reference = nullptr;
    QValueAxis *m_x;
    QValueAxis *m_y;
};

} // namespace mlwb
