// SPDX-License-Identifier: MIT
#pragma once

// A report as a renderer-neutral tree (issue #14). ReportBuilder fills it from the project;
// every writer (PDF, HTML, Markdown, CSV, JSON) only walks it, so the formats cannot disagree on
// what a report says. Values are kept as numbers where a writer needs them (charts, CSV, JSON)
// and as display text where formatting is the builder's decision (tables).

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <limits>
#include <variant>
#include <vector>

namespace mlwb {

// A run as the report names and colours it: the same colour in every chart and table.
struct ReportRun {
    qint64 id = 0;
    QString name;
    QString color; // "#rrggbb", the workbench's run colour
};

struct ReportHeading {
    QString text;
    int level = 2; // 1 = section title, 2 and 3 below it
};

struct ReportParagraph {
    enum class Tone { Normal, Note, Warning };
    QString text;
    Tone tone = Tone::Normal; // Warning: said in place for missing evaluations, NaN, mixed tasks
};

// Label/value pairs (environment, data set summary, lineage).
struct ReportKeyValues {
    QString caption;
    std::vector<std::pair<QString, QString>> pairs;
};

struct ReportTable {
    enum class Align { Left, Right };
    QString caption;
    QStringList header;
    std::vector<Align> align;                // one per column; Right for numbers
    std::vector<QStringList> rows;           // display text, already formatted
    std::vector<std::vector<bool>> emphasis; // same shape as rows when present: differences, bests
    std::vector<int> rowRun;                 // same size as rows when present: index into runs, or -1
    std::vector<int> columnRun;              // same size as header when present: the run a column is, or -1
    // The underlying numbers for CSV and JSON, same shape as rows when present; NaN where the
    // cell is text. Writers that show text ignore it.
    std::vector<std::vector<double>> values;
};

struct ReportSeries {
    enum class Style { Line, Points, Dashed };
    QString name;
    QString color; // "#rrggbb"
    Style style = Style::Line;
    int run = -1; // index into ReportDocument::runs, or -1 (a reference line, a baseline)
    std::vector<double> x, y; // already decimated by the builder (min/max per pixel column)
};

struct ReportChart {
    QString title;
    QString xLabel, yLabel;
    bool logX = false, logY = false;
    // Fixed axis ranges where the chart has them (ROC, PR, calibration: [0, 1]); NaN = from data.
    double xMin = std::numeric_limits<double>::quiet_NaN(), xMax = std::numeric_limits<double>::quiet_NaN();
    double yMin = std::numeric_limits<double>::quiet_NaN(), yMax = std::numeric_limits<double>::quiet_NaN();
    std::vector<ReportSeries> series;
};

// A confusion matrix: counts, shaded by row share.
struct ReportMatrix {
    QString title;
    QStringList labels; // class names, rows = actual, columns = predicted
    std::vector<std::vector<double>> counts;
    int run = -1;
};

using ReportBlock = std::variant<ReportHeading, ReportParagraph, ReportKeyValues, ReportTable, ReportChart, ReportMatrix>;

struct ReportSection {
    QString id;    // "dataset", "architecture", "hyperparameters", "metrics", "curves", ...
    QString title; // shown
    std::vector<ReportBlock> blocks;
};

struct ReportDocument {
    QString title;
    QString author;
    QString project; // the project file's name
    QDateTime created;
    std::vector<ReportRun> runs;
    std::vector<ReportSection> sections;
};

} // namespace mlwb
