// SPDX-License-Identifier: MIT
#pragma once

// PdfReportWriter: a ReportDocument as a paginated PDF drawn with cairo (vector graphics, fonts
// embedded as subsets) and pango (text layout, so the text stays selectable and searchable). Not
// QPdfWriter: the CLI renders reports on servers and in CI, where no Qt GUI library may load,
// and the workbench calls the same writer, so both produce the same file.
//
// A title page (title, project, author, date, the runs with their colours, contents), then the
// sections; every later page has the report's title as header and "Page N of M" as footer (the
// document is laid out twice: the first pass counts the pages). Charts are vector paths laid out
// by ChartLayout like the HTML's SVG; tables break across pages with their header repeated and
// wrap long cells.

#include "common/result.h"
#include "report/report_document.h"

#include <QByteArray>
#include <QString>

namespace mlwb {

struct PdfReportOptions {
    enum class Paper { A4, Letter };
    Paper paper = Paper::A4;
};

class PdfReportWriter {
public:
    // Writes the PDF to `path` through a temporary file renamed over it: on any failure nothing
    // is left at `path` (and an existing file there is kept).
    static Result<void> write(const ReportDocument &document, const QString &path,
                              const PdfReportOptions &options = {});
    // The PDF's bytes; an error names the cairo status that stopped it.
    static Result<QByteArray> render(const ReportDocument &document,
                                     const PdfReportOptions &options = {});
};

} // namespace mlwb
