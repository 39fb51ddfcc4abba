// SPDX-License-Identifier: MIT
#include "report/chart_layout.h"

#include "report/report_color.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

namespace mlwb {

namespace {

constexpr double kTitleBand = 30; // above the plot when there is a title
constexpr double kTopNoTitle = 10;
constexpr double kTickLabelBand = 18;
constexpr double kAxisTitleBand = 18;
constexpr double kLegendRow = 16;
constexpr double kLegendSize = 10;
constexpr double kNoteSize = 9.5;
constexpr double kTickLength = 4;
constexpr int kLegendNameMax = 32;

double transform(double v, bool log)
{
    return log ? std::log10(v) : v;
}

// Liang-Barsky: clips the segment a-b to r; false when nothing of it is inside.
bool clipSegment(ChartLayout::Point &a, ChartLayout::Point &b, const ChartLayout::Rect &r)
{
    const double dx = b.x - a.x, dy = b.y - a.y;
    double t0 = 0, t1 = 1;
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {a.x - r.x, r.right() - a.x, a.y - r.y, r.bottom() - a.y};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return false;
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 > t1)
            return false;
    }
    const ChartLayout::Point a0 = a;
    a = {a0.x + t0 * dx, a0.y + t0 * dy};
    b = {a0.x + t1 * dx, a0.y + t1 * dy};
    return true;
}

bool inside(const ChartLayout::Point &p, const ChartLayout::Rect &r)
{
    return p.x >= r.x && p.x <= r.right() && p.y >= r.y && p.y <= r.bottom();
}

bool samePoint(const ChartLayout::Point &a, const ChartLayout::Point &b)
{
    // Below a twentieth of a canvas unit two points print the same.
    return std::fabs(a.x - b.x) < 0.05 && std::fabs(a.y - b.y) < 0.05;
}

QString elided(const QString &text, int max)
{
    return text.size() <= max ? text : text.left(max - 1) + QStringLiteral("\u2026");
}

// Compact exponent notation: 1e-5, 2.5e12 (QString::number gives 1e-05, 2.5e+12).
QString scientific(double v, int precision)
{
    QString s = QString::number(v, 'g', precision);
    const qsizetype e = s.indexOf(QLatin1Char('e'));
    if (e < 0)
        return s;
    QString mantissa = s.left(e), exponent = s.mid(e + 1);
    const bool negative = exponent.startsWith(QLatin1Char('-'));
    if (exponent.startsWith(QLatin1Char('+')) || negative)
        exponent.remove(0, 1);
    while (exponent.size() > 1 && exponent.startsWith(QLatin1Char('0')))
        exponent.remove(0, 1);
    return mantissa + QLatin1Char('e') + (negative ? QStringLiteral("-") : QString()) + exponent;
}

} // namespace

double ChartLayout::textWidth(const QString &text, double size)
{
    // DejaVu Sans, the widest of the usual sans fonts: digits are 0.64 em, lower case ~0.6.
    return double(text.size()) * size * 0.62;
}

QString ChartLayout::tickLabel(double value, double step, double largest)
{
    if (!std::isfinite(value))
        return QString();
    step = std::fabs(step);
    largest = std::fabs(largest);
    if (std::fabs(value) <= step * 1e-6 || value == 0)
        value = 0; // no "-0"
    const double a = std::fabs(value);
    if (a >= 1e15 || (a > 0 && a < 1e-4) || (step > 0 && step < 1e-4 && largest < 1e-3))
        return scientific(value, 3);
    double unit = 1;
    const char *suffix = "";
    if (largest >= 1e12) {
        unit = 1e12;
        suffix = "T";
    } else if (largest >= 1e9) {
        unit = 1e9;
        suffix = "G";
    } else if (largest >= 1e6) {
        unit = 1e6;
        suffix = "M";
    } else if (largest >= 1e4) {
        unit = 1e3;
        suffix = "k";
    }
    // As many decimals as the step needs (0.05 -> 2, 2.5 -> 1), so that neighbours differ.
    const double scaledStep = step > 0 ? step / unit : 1;
    int decimals = 0;
    while (decimals < 6) {
        const double scaled = scaledStep * std::pow(10.0, decimals);
        if (std::fabs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled))
            break;
        ++decimals;
    }
    QString s = QString::number(value / unit, 'f', decimals);
    if (value != 0 && unit != 1)
        s += QLatin1String(suffix);
    return s;
}

std::vector<double> ChartLayout::niceTicks(double &min, double &max, int maxCount, bool extend,
                                           double *stepOut)
{
    maxCount = std::max(2, maxCount);
    std::vector<double> ticks;
    const double span = max - min;
    if (!(span > 0) || !std::isfinite(span))
        return ticks;
    const double rough = span / double(maxCount - 1);
    double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    static constexpr double kMultiples[] = {1, 2, 5};
    double step = 0;
    for (int round = 0; round < 4 && step == 0; ++round, magnitude *= 10) {
        for (double m : kMultiples) {
            const double s = m * magnitude;
            const double lo = extend ? std::floor(min / s + 1e-9) * s : min;
            const double hi = extend ? std::ceil(max / s - 1e-9) * s : max;
            const double first = std::ceil(lo / s - 1e-9), last = std::floor(hi / s + 1e-9);
            if (last - first + 1 <= maxCount) {
                step = s;
                break;
            }
        }
    }
    if (step == 0)
        return ticks;
    if (extend) {
        min = std::floor(min / step + 1e-9) * step;
        max = std::ceil(max / step - 1e-9) * step;
    }
    const double first = std::ceil(min / step - 1e-9), last = std::floor(max / step + 1e-9);
    for (double k = first; k <= last; ++k) {
        double v = k * step;
        if (std::fabs(v) < step * 1e-9)
            v = 0;
        ticks.push_back(v);
    }
    if (stepOut)
        *stepOut = step;
    return ticks;
}

bool ChartLayout::drawable(double x, double y) const
{
    return std::isfinite(x) && std::isfinite(y) && (!m_x.log || x > 0) && (!m_y.log || y > 0);
}

void ChartLayout::computeRange(const ReportChart &chart, bool xAxis, double fixedMin,
                               double fixedMax, Axis &axis) const
{
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const ReportSeries &s : chart.series) {
        const size_t n = std::min(s.x.size(), s.y.size());
        for (size_t i = 0; i < n; ++i) {
            if (!drawable(s.x[i], s.y[i]))
                continue;
            const double v = xAxis ? s.x[i] : s.y[i];
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    const bool fixLo = std::isfinite(fixedMin) && (!axis.log || fixedMin > 0);
    const bool fixHi = std::isfinite(fixedMax) && (!axis.log || fixedMax > 0);
    if (fixLo)
        lo = fixedMin;
    if (fixHi)
        hi = fixedMax;
    if (!std::isfinite(lo) && !std::isfinite(hi)) {
        lo = axis.log ? 1 : 0;
        hi = axis.log ? 10 : 1;
    } else if (!std::isfinite(lo)) {
        lo = axis.log ? hi / 10 : hi - 1;
    } else if (!std::isfinite(hi)) {
        hi = axis.log ? lo * 10 : lo + 1;
    }
    if (!(hi > lo)) {
        // One value, or fixed bounds the data lies beyond: open the side that is not fixed.
        if (axis.log) {
            if (fixHi && !fixLo)
                lo = hi / 10;
            else
                hi = lo * 10;
        } else {
            const double pad = lo != 0 ? std::fabs(lo) * 0.1 : 1;
            if (fixHi && !fixLo)
                lo = hi - pad;
            else if (fixLo && !fixHi)
                hi = lo + pad;
            else {
                lo -= pad;
                hi += pad;
            }
        }
    }
    axis.min = lo;
    axis.max = hi;
}

void ChartLayout::makeTicks(Axis &axis, double length, double labelSpacing, bool xAxis,
                            bool fixedMin, bool fixedMax)
{
    axis.ticks.clear();
    const int maxCount = std::max(2, int(length / labelSpacing));
    if (axis.log) {
        double lo = std::log10(axis.min), hi = std::log10(axis.max);
        if (!fixedMin)
            lo = std::floor(lo + 1e-9);
        if (!fixedMax)
            hi = std::ceil(hi - 1e-9);
        if (hi <= lo)
            hi = lo + 1;
        axis.min = std::pow(10.0, lo);
        axis.max = std::pow(10.0, hi);
        const int decades = int(std::ceil(hi - lo - 1e-9));
        std::vector<double> values;
        // Few decades: 1, 2, 5 of each; many: every k-th power of ten.
        if (decades <= 2 && maxCount >= 3 * decades + 1) {
            for (int e = int(std::floor(lo)); e <= int(std::ceil(hi)); ++e)
                for (double m : {1.0, 2.0, 5.0}) {
                    const double v = m * std::pow(10.0, e);
                    const double t = std::log10(v);
                    if (t >= lo - 1e-9 && t <= hi + 1e-9)
                        values.push_back(v);
                }
        }
        if (values.size() < 2) {
            values.clear();
            const int every = std::max(1, int(std::ceil(double(decades + 1) / maxCount)));
            for (int e = int(std::ceil(lo - 1e-9)); e <= int(std::floor(hi + 1e-9)); ++e)
                if (e % every == 0)
                    values.push_back(std::pow(10.0, e));
        }
        for (double v : values)
            axis.ticks.push_back({v, xAxis ? mapX(v) : mapY(v), tickLabel(v, v, v)});
        return;
    }
    double lo = axis.min, hi = axis.max, step = 0;
    // Extending is only for ends taken from the data; a fixed end stays where it was asked.
    std::vector<double> values = niceTicks(lo, hi, maxCount, !fixedMin || !fixedMax, &step);
    if (!fixedMin)
        axis.min = lo;
    if (!fixedMax)
        axis.max = hi;
    if (fixedMin || fixedMax) {
        // niceTicks extended both ends; keep only the ticks inside the final range.
        std::erase_if(values, [&](double v) {
            return v < axis.min - std::fabs(step) * 1e-6 || v > axis.max + std::fabs(step) * 1e-6;
        });
    }
    const double largest = std::max(std::fabs(axis.min), std::fabs(axis.max));
    for (double v : values)
        axis.ticks.push_back({v, xAxis ? mapX(v) : mapY(v), tickLabel(v, step, largest)});
}

double ChartLayout::mapX(double x) const
{
    const double t0 = transform(m_x.min, m_x.log), t1 = transform(m_x.max, m_x.log);
    return m_plot.x + (transform(x, m_x.log) - t0) / (t1 - t0) * m_plot.width;
}

double ChartLayout::mapY(double y) const
{
    const double t0 = transform(m_y.min, m_y.log), t1 = transform(m_y.max, m_y.log);
    return m_plot.bottom() - (transform(y, m_y.log) - t0) / (t1 - t0) * m_plot.height;
}

std::vector<ChartLayout::StyleKey> ChartLayout::styleKeys(const ReportChart &chart)
{
    // Every run's series differ only by style and a common suffix of their names ("mlp #1 train"
    // solid, "mlp #1 validation" dashed): then the legend can name runs and styles apart, which
    // halves it. Anything less regular keeps one entry per series.
    std::vector<StyleKey> keys;
    std::map<int, std::vector<const ReportSeries *>> byStyle;
    for (const ReportSeries &s : chart.series)
        if (s.run >= 0)
            byStyle[int(s.style)].push_back(&s);
    if (byStyle.size() < 2)
        return {};
    std::map<int, QString> baseOfRun;
    for (const auto &[style, series] : byStyle) {
        std::set<int> runs;
        QString suffix = series.front()->name;
        for (const ReportSeries *s : series) {
            if (!runs.insert(s->run).second)
                return {}; // two series of one run in the same style
            while (!suffix.isEmpty() && !s->name.endsWith(suffix))
                suffix.remove(0, 1);
        }
        // A whole word: " validation", not "ation".
        const qsizetype space = suffix.indexOf(QLatin1Char(' '));
        suffix = space < 0 ? QString() : suffix.mid(space);
        if (suffix.trimmed().isEmpty())
            return {};
        for (const ReportSeries *s : series) {
            const QString base = s->name.left(s->name.size() - suffix.size()).trimmed();
            if (base.isEmpty())
                return {};
            auto [it, inserted] = baseOfRun.emplace(s->run, base);
            if (!inserted && it->second != base)
                return {};
        }
        keys.push_back({ReportSeries::Style(style), suffix});
    }
    return keys;
}

ChartLayout::ChartLayout(const ReportChart &chart, double width, double height)
    : m_width(std::max(width, 120.0)), m_height(std::max(height, 90.0))
{
    m_x.log = chart.logX;
    m_y.log = chart.logY;
    for (const ReportSeries &s : chart.series) {
        const size_t n = std::min(s.x.size(), s.y.size());
        // A point with no partner (x and y of different lengths) cannot be drawn either.
        m_skipped += int(std::max(s.x.size(), s.y.size()) - n);
        for (size_t i = 0; i < n; ++i) {
            if (drawable(s.x[i], s.y[i]))
                m_hasData = true;
            else
                ++m_skipped;
        }
    }
    computeRange(chart, true, chart.xMin, chart.xMax, m_x);
    computeRange(chart, false, chart.yMin, chart.yMax, m_y);
    const bool fixXLo = std::isfinite(chart.xMin) && (!m_x.log || chart.xMin > 0);
    const bool fixXHi = std::isfinite(chart.xMax) && (!m_x.log || chart.xMax > 0);
    const bool fixYLo = std::isfinite(chart.yMin) && (!m_y.log || chart.yMin > 0);
    const bool fixYHi = std::isfinite(chart.yMax) && (!m_y.log || chart.yMax > 0);

    const double top = chart.title.isEmpty() ? kTopNoTitle : kTitleBand;
    const double yTitleBand = chart.yLabel.isEmpty() ? 0 : kAxisTitleBand;

    // The y tick labels decide the left margin, the legend's rows the bottom one, and each
    // depends on the other through the plot's size: a provisional pass sizes the legend.
    auto leftMargin = [&](const Axis &y) {
        double widest = 0;
        for (const Tick &t : y.ticks)
            widest = std::max(widest, textWidth(t.label, kFontSize));
        return std::max(28.0, yTitleBand + widest + kTickLength + 6);
    };
    auto yTicksFor = [&](double plotHeight) {
        Axis y = m_y;
        m_plot = {0, top, m_width, plotHeight};
        makeTicks(y, plotHeight, 34, false, fixYLo, fixYHi);
        return y;
    };
    const double provisionalLeft = leftMargin(yTicksFor(m_height * 0.6));
    const double legendWidth = std::max(100.0, m_width - provisionalLeft - 30);

    // Legend entries: one per distinct (name, colour, style), wrapped into rows.
    struct Entry {
        QString name, color;
        ReportSeries::Style style;
        double width;
    };
    std::vector<Entry> entries;
    auto addEntry = [&](const QString &text, const QString &color, ReportSeries::Style style) {
        const QString name = elided(text, kLegendNameMax);
        entries.push_back({name, color, style, 18 + 5 + textWidth(name, kLegendSize) + 14});
    };
    const std::vector<StyleKey> keys = styleKeys(chart);
    if (!keys.empty()) {
        // One entry per run and one per line style ("train" solid, "validation" dashed).
        std::set<int> runs;
        for (const ReportSeries &s : chart.series) {
            if (s.run >= 0) {
                if (runs.insert(s.run).second) {
                    QString base = s.name;
                    for (const StyleKey &k : keys)
                        if (k.style == s.style)
                            base.chop(k.suffix.size());
                    addEntry(base.trimmed(), ReportColor::sanitized(s.color),
                             ReportSeries::Style::Line);
                }
            } else if (!s.name.isEmpty()) {
                addEntry(s.name, ReportColor::sanitized(s.color), s.style);
            }
        }
        for (const StyleKey &k : keys)
            addEntry(k.suffix.trimmed(), QString::fromLatin1(kAxisColor), k.style);
    } else {
        std::set<std::tuple<QString, QString, int>> seen;
        for (const ReportSeries &s : chart.series) {
            if (s.name.isEmpty())
                continue;
            const QString color = ReportColor::sanitized(s.color);
            if (seen.insert({s.name, color, int(s.style)}).second)
                addEntry(s.name, color, s.style);
        }
    }
    const int maxRows = std::max(1, int(m_height * 0.3 / kLegendRow));
    std::vector<std::vector<int>> rows;
    int shown = 0;
    {
        double x = 0;
        for (int i = 0; i < int(entries.size()); ++i) {
            const double w = std::min(entries[i].width, legendWidth);
            if (rows.empty() || (x + w > legendWidth && x > 0)) {
                if (int(rows.size()) == maxRows)
                    break;
                rows.emplace_back();
                x = 0;
            }
            rows.back().push_back(i);
            x += w;
            ++shown;
        }
    }
    if (shown < int(entries.size()) && !rows.empty()) {
        // Make room on the last row for "+N more".
        const double moreWidth = textWidth(QStringLiteral("+999 more"), kLegendSize) + 6;
        auto rowWidth = [&](const std::vector<int> &row) {
            double w = 0;
            for (int i : row)
                w += std::min(entries[i].width, legendWidth);
            return w;
        };
        while (!rows.back().empty() && rowWidth(rows.back()) + moreWidth > legendWidth) {
            rows.back().pop_back();
            --shown;
        }
    }
    const int hidden = int(entries.size()) - shown;
    const QString moreText =
        QCoreApplication::translate("mlwb::ChartLayout", "+%1 more").arg(hidden);

    const QString note =
        m_skipped > 0 ? QCoreApplication::translate(
                            "mlwb::ChartLayout",
                            "%n points not shown (NaN, infinite, or not positive on a log axis)",
                            nullptr, m_skipped)
                      : QString();
    double bottom = kTickLabelBand + (chart.xLabel.isEmpty() ? 0 : kAxisTitleBand);
    if (!rows.empty())
        bottom += 8 + kLegendRow * double(rows.size());
    if (!note.isEmpty())
        bottom += 16;
    bottom += 6;

    const double plotHeight = std::max(30.0, m_height - top - bottom);
    m_y = yTicksFor(plotHeight);
    const double left = leftMargin(m_y);

    // Right margin: the last x tick label is centred on the plot's right edge.
    auto xLabelWidth = [&](const Axis &x) {
        double widest = 0;
        for (const Tick &t : x.ticks)
            widest = std::max(widest, textWidth(t.label, kFontSize));
        return widest;
    };
    double right = 14;
    m_plot = {left, top, std::max(30.0, m_width - left - right), plotHeight};
    Axis x = m_x;
    makeTicks(x, m_plot.width, 70, true, fixXLo, fixXHi); // a first guess at the labels
    const double spacing = std::max(40.0, xLabelWidth(x) + 22);
    right = std::max(right, xLabelWidth(x) / 2 + 4);
    m_plot.width = std::max(30.0, m_width - left - right);
    x = m_x;
    makeTicks(x, m_plot.width, spacing, true, fixXLo, fixXHi);
    right = std::max(right, xLabelWidth(x) / 2 + 4);
    m_x = x;
    // The final plot rectangle: remap the ticks onto it.
    m_plot = {left, top, std::max(30.0, m_width - left - right), plotHeight};
    for (Tick &t : m_x.ticks)
        t.position = mapX(t.value);
    for (Tick &t : m_y.ticks)
        t.position = mapY(t.value);

    // Texts.
    // Titles longer than the canvas are shortened (a text element does not wrap).
    auto fitting = [](const QString &text, double room, double size) {
        return elided(text, std::max(4, int(room / (size * 0.62))));
    };
    if (!chart.title.isEmpty())
        m_texts.push_back({fitting(chart.title, m_width - 8, kTitleSize),
                           {4, 18},
                           Text::Anchor::Start,
                           Text::Role::Title,
                           kTitleSize});
    for (const Tick &t : m_y.ticks)
        m_texts.push_back({t.label,
                           {m_plot.x - kTickLength - 3, t.position + kFontSize * 0.35},
                           Text::Anchor::End,
                           Text::Role::TickLabel,
                           kFontSize});
    for (const Tick &t : m_x.ticks)
        m_texts.push_back({t.label,
                           {t.position, m_plot.bottom() + 15},
                           Text::Anchor::Middle,
                           Text::Role::TickLabel,
                           kFontSize});
    double cursor = m_plot.bottom() + kTickLabelBand;
    if (!chart.xLabel.isEmpty()) {
        m_texts.push_back({fitting(chart.xLabel, m_plot.width, kFontSize),
                           {m_plot.x + m_plot.width / 2, cursor + 14},
                           Text::Anchor::Middle,
                           Text::Role::AxisTitle,
                           kFontSize});
        cursor += kAxisTitleBand;
    }
    if (!chart.yLabel.isEmpty())
        m_texts.push_back({fitting(chart.yLabel, m_plot.height, kFontSize),
                           {13, m_plot.y + m_plot.height / 2},
                           Text::Anchor::Middle,
                           Text::Role::AxisTitle,
                           kFontSize,
                           true});
    if (!rows.empty()) {
        cursor += 8;
        const double legendLeft = std::max(2.0, std::min(m_plot.x, m_width - 2 - legendWidth));
        for (size_t r = 0; r < rows.size(); ++r) {
            const double mid = cursor + kLegendRow * double(r) + kLegendRow / 2;
            double xPos = legendLeft;
            for (int i : rows[r]) {
                const Entry &e = entries[i];
                m_legend.push_back({e.name, e.color, e.style, {xPos, mid}, 18});
                m_texts.push_back({e.name,
                                   {xPos + 23, mid + kLegendSize * 0.35},
                                   Text::Anchor::Start,
                                   Text::Role::Legend,
                                   kLegendSize});
                xPos += std::min(e.width, legendWidth);
            }
            if (hidden > 0 && r + 1 == rows.size())
                m_texts.push_back({moreText,
                                   {xPos, mid + kLegendSize * 0.35},
                                   Text::Anchor::Start,
                                   Text::Role::Note,
                                   kLegendSize});
        }
        cursor += kLegendRow * double(rows.size());
    }
    if (!note.isEmpty())
        m_texts.push_back(
            {note, {m_plot.x, cursor + 13}, Text::Anchor::Start, Text::Role::Note, kNoteSize});
    if (!m_hasData)
        m_texts.push_back({QCoreApplication::translate("mlwb::ChartLayout", "No data"),
                           {m_plot.x + m_plot.width / 2, m_plot.y + m_plot.height / 2},
                           Text::Anchor::Middle,
                           Text::Role::Note,
                           kFontSize});

    shapeSeries(chart);
}

std::vector<ChartLayout::Point> ChartLayout::decimated(std::vector<Point> line) const
{
    // The builder decimates already; this keeps a series it did not (a million raw points)
    // from making a report of megabytes: per half-unit column the first, lowest, highest and
    // last point, in their order, so that no spike is lost.
    constexpr double kColumn = 0.5;
    if (double(line.size()) <= 4 * std::max(1.0, m_plot.width / kColumn))
        return line;
    std::vector<Point> out;
    size_t i = 0;
    while (i < line.size()) {
        const long long column = std::llround(std::floor(line[i].x / kColumn));
        size_t j = i, lo = i, hi = i;
        while (j < line.size() && std::llround(std::floor(line[j].x / kColumn)) == column) {
            if (line[j].y < line[lo].y)
                lo = j;
            if (line[j].y > line[hi].y)
                hi = j;
            ++j;
        }
        const size_t keep[4] = {i, std::min(lo, hi), std::max(lo, hi), j - 1};
        for (size_t k = 0; k < 4; ++k)
            if (k == 0 || keep[k] != keep[k - 1])
                out.push_back(line[keep[k]]);
        i = j;
    }
    return out;
}

void ChartLayout::shapeSeries(const ReportChart &chart)
{
    // A hair of tolerance: a point exactly on a fixed range's edge is inside.
    Rect clip = m_plot;
    clip.x -= 0.01;
    clip.y -= 0.01;
    clip.width += 0.02;
    clip.height += 0.02;
    for (const ReportSeries &s : chart.series) {
        SeriesShape shape;
        shape.color = ReportColor::sanitized(s.color);
        shape.style = s.style;
        const size_t n = std::min(s.x.size(), s.y.size());
        if (s.style == ReportSeries::Style::Points) {
            for (size_t i = 0; i < n; ++i) {
                if (!drawable(s.x[i], s.y[i]))
                    continue;
                const Point p{mapX(s.x[i]), mapY(s.y[i])};
                if (inside(p, clip) && (shape.points.empty() || !samePoint(shape.points.back(), p)))
                    shape.points.push_back(p);
            }
            m_series.push_back(std::move(shape));
            continue;
        }
        std::vector<Point> line;
        auto flush = [&] {
            if (!line.empty())
                shape.lines.push_back(decimated(std::move(line)));
            line.clear();
        };
        bool havePrevious = false;
        Point previous;
        for (size_t i = 0; i < n; ++i) {
            if (!drawable(s.x[i], s.y[i])) {
                // A gap: an isolated point before it is still shown, as a dot.
                if (havePrevious && line.empty() && inside(previous, clip))
                    line.push_back(previous);
                flush();
                havePrevious = false;
                continue;
            }
            const Point p{mapX(s.x[i]), mapY(s.y[i])};
            if (!havePrevious) {
                previous = p;
                havePrevious = true;
                continue;
            }
            Point a = previous, b = p;
            previous = p;
            if (!clipSegment(a, b, clip)) {
                flush();
                continue;
            }
            if (line.empty() || !samePoint(line.back(), a)) {
                flush();
                line.push_back(a);
            }
            if (!samePoint(line.back(), b))
                line.push_back(b);
        }
        if (havePrevious && line.empty() && inside(previous, clip))
            line.push_back(previous);
        flush();
        m_series.push_back(std::move(shape));
    }
}

} // namespace mlwb
