// SPDX-License-Identifier: MIT
#pragma once

// JsonReportWriter: the whole ReportDocument as JSON, for scripts and notebooks: every block with
// its numbers (table values, chart series after decimation, confusion counts). JSON has no NaN
// or infinity, so those are the strings "NaN", "Infinity" and "-Infinity" (JsonNumber), never
// null or 0: a diverged run keeps its NaN.
//
//   {"format": "mlwb.report", "version": 1, "title", "author", "project", "created" (ISO 8601 UTC),
//    "runs": [{"id", "name", "color"}],
//    "sections": [{"id", "title", "blocks": [
//      {"type": "heading", "text", "level"},
//      {"type": "paragraph", "text", "tone": "normal"|"note"|"warning"},
//      {"type": "key_values", "caption", "pairs": [{"key", "value"}]},
//      {"type": "table", "caption", "header": [..], "align": ["left"|"right"], "rows": [[text]],
//       "emphasis": [[bool]], "row_run": [i], "column_run": [i], "values": [[number]]},
//      {"type": "chart", "title", "x_label", "y_label", "log_x", "log_y", "x_min", "x_max",
//       "y_min", "y_max", "series": [{"name", "color", "style": "line"|"points"|"dashed",
//       "run", "x": [..], "y": [..]}]},
//      {"type": "matrix", "title", "run", "labels": [..], "counts": [[..]]}]}]}
//
// "run", "row_run" and "column_run" index "runs" (-1: none); the vectors a block does not fill
// are empty arrays; axis limits are "NaN" where the chart takes them from its data.

#include "common/result.h"
#include "report/report_document.h"

#include <QJsonObject>
#include <QString>

namespace mlwb {

class JsonReportWriter {
public:
    static constexpr int kFormatVersion = 1;

    static QJsonObject toJson(const ReportDocument &document);
    // Written whole or not at all (a temporary file renamed into place); Io errors name the path.
    static Result<void> write(const ReportDocument &document, const QString &path);
};

} // namespace mlwb
