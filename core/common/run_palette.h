// SPDX-License-Identifier: MIT
#pragma once

// RunPalette: the one colour of each run, the same in every chart, table and report (the
// Compare pane, its confusion matrices, exported reports). A run keeps its colour because it is
// chosen by the run's id, not by its place in a selection. Plain RGB so that core, which has no
// QColor, and the UI share one palette.

#include <QString>
#include <QtGlobal>

namespace mlwb {

class RunPalette {
public:
    // 0xRRGGBB
    static quint32 rgb(qint64 runId);
    // "#rrggbb"
    static QString color(qint64 runId);
    static int size();
};

} // namespace mlwb
