// SPDX-License-Identifier: MIT
#pragma once

// ChartStyle: the look every chart of the workbench shares. Charts follow the window palette
// (not a fixed chart theme) so they read in dark mode, curves take their colour from one
// qualitative palette by index (class 2 is the same colour in the ROC and PR charts), and a
// legend entry hides or shows its series when clicked.

#include <QColor>
#include <QFont>
#include <QPalette>

class QChart;

namespace mlwb {

class ChartStyle {
public:
    // Background, title, axes, grid and legend from the palette; bold title in `font`.
    static void apply(QChart *chart, const QPalette &palette, const QFont &font);
    // The i-th colour of the series palette (Tableau 10, readable on light and dark bases).
    static QColor seriesColor(int index);
    // A faint line colour for grids and reference lines.
    static QColor gridColor(const QPalette &palette);
    // Clicking a legend marker toggles its series; hidden series keep a dimmed legend entry.
    // Call after the series have been added (markers exist only then).
    static void makeLegendToggle(QChart *chart);
};

} // namespace mlwb
