// SPDX-License-Identifier: MIT
#include "charts/chart_style.h"

#include <QAbstractAxis>
#include <QAbstractSeries>
#include <QChart>
#include <QLegend>
#include <QLegendMarker>

#include <array>

namespace mlwb {

void ChartStyle::apply(QChart *chart, const QPalette &palette, const QFont &font)
{
    chart->setBackgroundBrush(palette.base());
    chart->setBackgroundPen(Qt::NoPen);
    chart->setBackgroundRoundness(0);
    chart->setTitleBrush(palette.text());
    QFont titleFont = font;
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->legend()->setLabelColor(palette.color(QPalette::Text));
    const QColor grid = gridColor(palette);
    for (QAbstractAxis *axis : chart->axes()) {
        axis->setLabelsBrush(palette.text());
        axis->setTitleBrush(palette.text());
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
    }
}

QColor ChartStyle::seriesColor(int index)
{
    static constexpr std::array<QRgb, 10> kColors = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2,
                                                     0x59a14f, 0xedc948, 0xb07aa1, 0xff9da7,
                                                     0x9c755f, 0xbab0ac};
    return QColor(kColors[size_t(index) % kColors.size()]);
}

QColor ChartStyle::gridColor(const QPalette &palette)
{
    const QColor text = palette.color(QPalette::Text);
    return QColor::fromRgbF(text.redF(), text.greenF(), text.blueF(), 0.15f);
}

void ChartStyle::makeLegendToggle(QChart *chart)
{
    for (QLegendMarker *marker : chart->legend()->markers()) {
        QObject::connect(marker, &QLegendMarker::clicked, marker, [marker] {
            QAbstractSeries *series = marker->series();
            series->setVisible(!series->isVisible());
            // Hiding a series hides its marker too; keep it, dimmed, so it can be clicked back.
            marker->setVisible(true);
            QBrush label = marker->labelBrush();
            QColor c = label.color();
            c.setAlphaF(series->isVisible() ? 1.0f : 0.4f);
            label.setColor(c);
            marker->setLabelBrush(label);
        });
    }
}

} // namespace mlwb
