// SPDX-License-Identifier: MIT
#pragma once

// HtmlReportWriter: a ReportDocument as one self-contained HTML5 file: inline style sheet (light,
// printable, @media print rules), charts as inline SVG (SvgChart), no script and no external
// resource of any kind, so it opens the same from a mail, a share or an air-gapped machine. The
// markup is well-formed XML as well (void elements closed, only XML's own entities), which lets
// tests and tools parse it with an XML reader.

#include "common/result.h"
#include "report/report_document.h"

#include <QByteArray>
#include <QString>

namespace mlwb {

class HtmlReportWriter {
public:
    // The whole file, UTF-8.
    static QByteArray render(const ReportDocument &document);
    // Writes render() to `path` atomically (a temporary file renamed over it).
    static Result<void> write(const ReportDocument &document, const QString &path);

    // Charts' intrinsic size (CSS scales them to the page's width).
    static constexpr double kChartWidth = 760;
    static constexpr double kChartHeight = 380;
};

} // namespace mlwb
