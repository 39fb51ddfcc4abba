// SPDX-License-Identifier: MIT
#pragma once

// ChartLayout: where everything of a ReportChart goes on a width x height canvas (y down), in
// one place for the SVG and the PDF writer, so a chart looks the same in both: axis ranges from
// the data (fixed ranges honoured), "nice" 1-2-5 ticks or decades on log axes, tick labels,
// title, axis titles, legend, and every series mapped to canvas coordinates and clipped to the
// plot. Renderers only stroke and fill what it lists. Points that cannot be drawn (NaN,
// infinite, or not positive on a log axis) are skipped, counted, and break a line. A line with
// far more points than the plot has columns (the builder should have decimated it) is reduced to
// min/max per column here, so no report grows to megabytes by accident.
//
// Text widths are estimated from the number of characters (the renderers use different text
// engines); estimates are generous so that labels never collide.

#include "report/report_document.h"

#include <QString>

#include <vector>

namespace mlwb {

class ChartLayout {
public:
    struct Point {
        double x = 0, y = 0;
    };
    struct Rect {
        double x = 0, y = 0, width = 0, height = 0;
        double right() const { return x + width; }
        double bottom() const { return y + height; }
    };
    struct Tick {
        double value = 0;    // in data units
        double position = 0; // canvas x (x axis) or y (y axis)
        QString label;
    };
    struct Axis {
        double min = 0, max = 1; // the range shown, in data units
        bool log = false;
        std::vector<Tick> ticks;
    };
    struct Text {
        enum class Anchor { Start, Middle, End };
        enum class Role { Title, AxisTitle, TickLabel, Legend, Note };
        QString text;
        Point at; // the baseline's anchor point; for vertical text, after rotating by -90 degrees
        Anchor anchor = Anchor::Start;
        Role role = Role::TickLabel;
        double size = 11;
        bool vertical = false;
    };
    struct LegendEntry {
        QString name;
        QString color; // sanitised "#rrggbb"
        ReportSeries::Style style = ReportSeries::Style::Line;
        Point swatch; // left end of the swatch line, on the text's middle height
        double swatchWidth = 18;
    };
    struct SeriesShape {
        QString color; // sanitised "#rrggbb"
        ReportSeries::Style style = ReportSeries::Style::Line;
        // Line and Dashed: polylines, already clipped to the plot (a single point is a dot).
        std::vector<std::vector<Point>> lines;
        // Points: the markers inside the plot.
        std::vector<Point> points;
    };

    // The look both renderers share (canvas units).
    static constexpr double kFontSize = 11;
    static constexpr double kTitleSize = 13;
    static constexpr double kLineWidth = 1.6;
    static constexpr double kPointRadius = 2.2;
    static constexpr double kGridWidth = 0.8;
    static constexpr const char *kTextColor = "#3d444d";
    static constexpr const char *kTitleColor = "#1f2328";
    static constexpr const char *kAxisColor = "#8b949e";
    static constexpr const char *kGridColor = "#e4e7eb";
    static constexpr const char *kDash = "6 4"; // dash and gap lengths

    ChartLayout(const ReportChart &chart, double width, double height);

    double width() const { return m_width; }
    double height() const { return m_height; }
    const Rect &plot() const { return m_plot; }
    const Axis &xAxis() const { return m_x; }
    const Axis &yAxis() const { return m_y; }
    const std::vector<SeriesShape> &series() const { return m_series; }
    const std::vector<LegendEntry> &legend() const { return m_legend; }
    // Title, axis titles, tick labels, legend names, notes ("no data", skipped points).
    const std::vector<Text> &texts() const { return m_texts; }
    // Points left out because they cannot be drawn (NaN, inf, <= 0 on a log axis).
    int skippedPoints() const { return m_skipped; }
    // False when no series has a single drawable point.
    bool hasData() const { return m_hasData; }

    // Data to canvas; only meaningful for values a chart can show (finite, > 0 on log axes).
    double mapX(double x) const;
    double mapY(double y) const;

    // Ticks for [min, max]: multiples of a 1-2-5 step, at most maxCount of them. With `extend`
    // the range grows to the enclosing multiples first (auto ranges end on round numbers).
    static std::vector<double> niceTicks(double &min, double &max, int maxCount, bool extend,
                                         double *step = nullptr);
    // A tick value as few characters as read unambiguously: "0.25", "1.5k", "2M", "1e-5".
    // `step` is the tick spacing, `largest` the largest magnitude on the axis.
    static QString tickLabel(double value, double step, double largest);
    // The estimated width of `text` at `size`.
    static double textWidth(const QString &text, double size);

private:
    struct StyleKey {
        ReportSeries::Style style;
        QString suffix; // " train", " validation"
    };
    // The legend's style keys when runs and styles can be named apart, else empty.
    static std::vector<StyleKey> styleKeys(const ReportChart &chart);
    void computeRange(const ReportChart &chart, bool xAxis, double fixedMin, double fixedMax,
                      Axis &axis) const;
    void makeTicks(Axis &axis, double length, double labelSpacing, bool xAxis, bool fixedMin,
                   bool fixedMax);
    void shapeSeries(const ReportChart &chart);
    std::vector<Point> decimated(std::vector<Point> line) const;
    bool drawable(double x, double y) const;

    double m_width, m_height;
    Rect m_plot;
    Axis m_x, m_y;
    std::vector<SeriesShape> m_series;
    std::vector<LegendEntry> m_legend;
    std::vector<Text> m_texts;
    int m_skipped = 0;
    bool m_hasData = false;
};

} // namespace mlwb
