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

    // Where the legend sits: beside the plot when the chart is wide enough for both, below it
    // when its names fit in one row, else inside the plot in `corner` (where the curves leave
    // room: bottom right for ROC, bottom left for precision-recall), so neither the legend's
    // names nor the axis titles are cut.
    void setInsideLegendCorner(Qt::Corner corner) { m_corner = corner; placeLegend(); }
    Qt::Alignment legendAlignment() const;
    bool isLegendInside() const;

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void rebuild();
    void applyPalette();
    void placeLegend();
    Qt::Corner m_corner = Qt::BottomRightCorner;
    bool m_inside = false;

    QString m_referenceName;
    QList<Curve> m_data;
    QList<QLineSeries *> m_curves;
    QLineSeries *m_reference = nullptr;
    QValueAxis *m_x;
    QValueAxis *m_y;
};

} // namespace mlwb
