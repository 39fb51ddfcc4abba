// SPDX-License-Identifier: MIT
#pragma once

// CsvReportWriter: every number of a ReportDocument in long format, one row per number, for a
// spreadsheet or a data frame (pandas.read_csv, R's read.csv). Columns:
//
//   section  the section id ("metrics", "roc", ...)
//   block    the block's index within its section, from 0
//   type     "table", "chart" or "matrix"
//   title    the table's caption, the chart's or the matrix's title
//   run_id   the run the number belongs to (a table row's or column's run, a series' run, a
//            matrix's run); empty for none (a reference line, a data set's table)
//   run      that run's name
//   row      table: the row's first cell (the run, the metric, the class); matrix: the actual class
//   column   table: the column header; chart: the series name; matrix: the predicted class
//   x, y     chart: one point of the series (as drawn, after decimation); empty otherwise
//   value    table: the cell's number; matrix: the count; empty for charts
//
// Numbers are written in the shortest form that reads back to the same double; NaN and
// infinities as "NaN", "Infinity" and "-Infinity". A table cell without a number (text) has no
// row, except a cell that reads "NaN" or "inf": that is the number. Paragraphs, headings and
// key/value lists carry text only and are not written. Fields are quoted as RFC 4180 says; UTF-8,
// "\n" line ends, a header line first.

#include "common/result.h"
#include "report/report_document.h"

#include <QByteArray>
#include <QString>

namespace mlwb {

class CsvReportWriter {
public:
    static QByteArray toCsv(const ReportDocument &document);
    // Written whole or not at all (a temporary file renamed into place); Io errors name the path.
    static Result<void> write(const ReportDocument &document, const QString &path);
};

} // namespace mlwb
