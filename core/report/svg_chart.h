// SPDX-License-Identifier: MIT
#pragma once

// SvgChart: a ReportChart as one <svg> element (inline in HTML reports, a file beside Markdown
// ones), laid out by ChartLayout like the PDF's charts. Coordinates are written to a tenth of a
// unit, lines as relative path commands: a 1000-point curve costs about 8 KB.

#include "report/report_document.h"

#include <QString>

namespace mlwb {

class SvgChart {
public:
    // width x height is the viewBox and the intrinsic size; HTML may scale it with CSS.
    static QString render(const ReportChart &chart, double width, double height);
};

} // namespace mlwb
