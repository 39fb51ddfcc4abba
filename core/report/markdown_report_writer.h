// SPDX-License-Identifier: MIT
#pragma once

// MarkdownReportWriter: a ReportDocument as GitHub-flavoured Markdown for wikis and pull
// requests: tables as pipe tables, warnings and notes as block quotes, charts as SVG files
// (SvgChart) in NAME_files/ beside NAME.md, linked by relative path, or left out.

#include "common/result.h"
#include "report/report_document.h"

#include <QString>
#include <QStringList>

namespace mlwb {

class MarkdownReportWriter {
public:
    // Writes `path` and, with chartFiles, `<base name>_files/chart-N.svg` beside it (earlier
    // chart-N.svg files there are removed first, so a re-render leaves no stale chart).
    static Result<void> write(const ReportDocument &document, const QString &path,
                              bool chartFiles = true);
    // The Markdown text; chart i (0-based, document order) is linked as
    // `chartDir/chart-(i+1).svg` when chartDir is not empty and left out when it is.
    static QString render(const ReportDocument &document, const QString &chartDir);
    // Text safe in a Markdown paragraph or a table cell (| \ ` * _ [ ] < > and a leading # escaped,
    // line breaks as spaces in cells).
    static QString escaped(const QString &text, bool inTable = false);
};

} // namespace mlwb
