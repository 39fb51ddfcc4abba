// SPDX-License-Identifier: MIT
#include "report/svg_chart.h"

#include "report/chart_layout.h"
#include "report/xml_text.h"

#include <cmath>
#include <cstdio>

namespace mlwb {

namespace {

using Layout = ChartLayout;

// Tenths of a unit, as an integer: the path's precision.
long long tenths(double v)
{
    return std::llround(v * 10.0);
}

// A number in tenths written shortest: 35 -> "3.5", -3 -> "-.3", 120 -> "12".
void appendTenths(QString &out, long long t)
{
    char buf[32];
    const bool negative = t < 0;
    const unsigned long long a = negative ? static_cast<unsigned long long>(-t) : t;
    const unsigned long long whole = a / 10, frac = a % 10;
    int n;
    if (frac == 0)
        n = std::snprintf(buf, sizeof buf, "%s%llu", negative ? "-" : "", whole);
    else if (whole == 0)
        n = std::snprintf(buf, sizeof buf, "%s.%llu", negative ? "-" : "", frac);
    else
        n = std::snprintf(buf, sizeof buf, "%s%llu.%llu", negative ? "-" : "", whole, frac);
    out += QLatin1String(buf, n);
}

QString num(double v)
{
    QString s;
    appendTenths(s, tenths(v));
    return s;
}

// "a b" with the separator left out before a minus sign.
void appendPair(QString &out, long long a, long long b)
{
    appendTenths(out, a);
    if (b >= 0)
        out += QLatin1Char(' ');
    appendTenths(out, b);
}

QString polylinePath(const std::vector<std::vector<Layout::Point>> &lines)
{
    QString d;
    for (const std::vector<Layout::Point> &line : lines) {
        long long px = tenths(line.front().x), py = tenths(line.front().y);
        d += QLatin1Char('M');
        appendPair(d, px, py);
        if (line.size() == 1) {
            d += QLatin1String("h0"); // a dot, drawn by the round cap
            continue;
        }
        d += QLatin1Char('l');
        for (size_t i = 1; i < line.size(); ++i) {
            const long long x = tenths(line[i].x), y = tenths(line[i].y);
            if (i > 1 && x - px >= 0)
                d += QLatin1Char(' ');
            appendPair(d, x - px, y - py);
            px = x;
            py = y;
        }
    }
    return d;
}

QString pointsPath(const std::vector<Layout::Point> &points)
{
    QString d;
    for (const Layout::Point &p : points) {
        d += QLatin1Char('M');
        appendPair(d, tenths(p.x), tenths(p.y));
        d += QLatin1String("h0");
    }
    return d;
}

QString latin(const char *s)
{
    return QString::fromLatin1(s);
}

} // namespace

QString SvgChart::render(const ReportChart &chart, double width, double height)
{
    const Layout layout(chart, width, height);
    const Layout::Rect &plot = layout.plot();
    QString svg;
    svg.reserve(4096);
    const QString w = num(layout.width()), h = num(layout.height());
    svg += QStringLiteral(
               "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %1 %2\" "
               "width=\"%1\" height=\"%2\" role=\"img\" aria-label=\"%3\" "
               "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">")
               .arg(w, h, XmlText::escaped(chart.title));
    svg += QStringLiteral("<rect width=\"%1\" height=\"%2\" fill=\"#ffffff\"/>").arg(w, h);

    // Grid lines at the ticks, one path.
    QString grid;
    for (const Layout::Tick &t : layout.xAxis().ticks)
        grid += QStringLiteral("M%1 %2V%3").arg(num(t.position), num(plot.y), num(plot.bottom()));
    for (const Layout::Tick &t : layout.yAxis().ticks)
        grid += QStringLiteral("M%1 %2H%3").arg(num(plot.x), num(t.position), num(plot.right()));
    if (!grid.isEmpty())
        svg += QStringLiteral("<path d=\"%1\" fill=\"none\" stroke=\"%2\" stroke-width=\"%3\"/>")
                   .arg(grid, latin(Layout::kGridColor), num(Layout::kGridWidth));

    // Series: lines, dashed lines and markers, in the document's order.
    for (const Layout::SeriesShape &s : layout.series()) {
        if (s.style == ReportSeries::Style::Points) {
            if (s.points.empty())
                continue;
            svg += QStringLiteral("<path d=\"%1\" fill=\"none\" stroke=\"%2\" stroke-width=\"%3\" "
                                  "stroke-linecap=\"round\"/>")
                       .arg(pointsPath(s.points), s.color, num(2 * Layout::kPointRadius));
            continue;
        }
        if (s.lines.empty())
            continue;
        svg += QStringLiteral("<path d=\"%1\" fill=\"none\" stroke=\"%2\" stroke-width=\"%3\" "
                              "stroke-linecap=\"round\" stroke-linejoin=\"round\"%4/>")
                   .arg(polylinePath(s.lines), s.color, num(Layout::kLineWidth),
                        s.style == ReportSeries::Style::Dashed
                            ? QStringLiteral(" stroke-dasharray=\"%1\"").arg(latin(Layout::kDash))
                            : QString());
    }

    // Axes and tick marks over the series.
    QString axes = QStringLiteral("M%1 %2V%3H%4")
                       .arg(num(plot.x), num(plot.y), num(plot.bottom()), num(plot.right()));
    for (const Layout::Tick &t : layout.xAxis().ticks)
        axes += QStringLiteral("M%1 %2v4").arg(num(t.position), num(plot.bottom()));
    for (const Layout::Tick &t : layout.yAxis().ticks)
        axes += QStringLiteral("M%1 %2h-4").arg(num(plot.x), num(t.position));
    svg += QStringLiteral("<path d=\"%1\" fill=\"none\" stroke=\"%2\" stroke-width=\"1\"/>")
               .arg(axes, latin(Layout::kAxisColor));

    // Legend swatches.
    for (const Layout::LegendEntry &e : layout.legend()) {
        const double y = e.swatch.y;
        if (e.style == ReportSeries::Style::Points)
            svg += QStringLiteral("<circle cx=\"%1\" cy=\"%2\" r=\"%3\" fill=\"%4\"/>")
                       .arg(num(e.swatch.x + e.swatchWidth / 2), num(y),
                            num(Layout::kPointRadius + 0.6), e.color);
        else
            svg += QStringLiteral("<path d=\"M%1 %2h%3\" stroke=\"%4\" stroke-width=\"2.4\"%5/>")
                       .arg(num(e.swatch.x), num(y), num(e.swatchWidth), e.color,
                            e.style == ReportSeries::Style::Dashed
                                ? QStringLiteral(" stroke-dasharray=\"5 3\"")
                                : QString());
    }

    // Text.
    for (const Layout::Text &t : layout.texts()) {
        const char *anchor = t.anchor == Layout::Text::Anchor::Middle ? "middle"
                             : t.anchor == Layout::Text::Anchor::End  ? "end"
                                                                      : nullptr;
        QString attrs = QStringLiteral(" x=\"%1\" y=\"%2\" font-size=\"%3\"")
                            .arg(num(t.at.x), num(t.at.y), num(t.size));
        if (anchor)
            attrs += QStringLiteral(" text-anchor=\"%1\"").arg(latin(anchor));
        if (t.vertical)
            attrs +=
                QStringLiteral(" transform=\"rotate(-90 %1 %2)\"").arg(num(t.at.x), num(t.at.y));
        switch (t.role) {
        case Layout::Text::Role::Title:
            attrs +=
                QStringLiteral(" font-weight=\"bold\" fill=\"%1\"").arg(latin(Layout::kTitleColor));
            break;
        case Layout::Text::Role::Note:
            attrs +=
                QStringLiteral(" fill=\"%1\" font-style=\"italic\"").arg(latin(Layout::kTextColor));
            break;
        default:
            attrs += QStringLiteral(" fill=\"%1\"").arg(latin(Layout::kTextColor));
            break;
        }
        svg += QStringLiteral("<text%1>%2</text>").arg(attrs, XmlText::escaped(t.text));
    }
    svg += QStringLiteral("</svg>");
    return svg;
}

} // namespace mlwb
