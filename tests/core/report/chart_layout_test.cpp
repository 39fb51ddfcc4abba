// SPDX-License-Identifier: MIT
#include "report/chart_layout.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace mlwb;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

ReportChart lineChart(std::vector<double> x, std::vector<double> y)
{
    ReportChart c;
    c.title = QStringLiteral("chart");
    c.xLabel = QStringLiteral("step");
    c.yLabel = QStringLiteral("loss");
    c.series.push_back({QStringLiteral("run 1"), QStringLiteral("#4e79a7"),
                        ReportSeries::Style::Line, 0, std::move(x), std::move(y)});
    return c;
}

std::vector<double> tickValues(const ChartLayout::Axis &axis)
{
    std::vector<double> v;
    for (const ChartLayout::Tick &t : axis.ticks)
        v.push_back(t.value);
    return v;
}

QStringList tickLabels(const ChartLayout::Axis &axis)
{
    QStringList v;
    for (const ChartLayout::Tick &t : axis.ticks)
        v << t.label;
    return v;
}

bool inside(const ChartLayout::Point &p, const ChartLayout::Rect &r)
{
    return p.x >= r.x - 0.02 && p.x <= r.right() + 0.02 && p.y >= r.y - 0.02 &&
           p.y <= r.bottom() + 0.02;
}

} // namespace

TEST(ChartLayout, NiceTicksExtendAutoRangesToRoundNumbers)
{
    double lo = 0.013, hi = 0.968;
    double step = 0;
    const std::vector<double> ticks = ChartLayout::niceTicks(lo, hi, 6, true, &step);
    EXPECT_DOUBLE_EQ(lo, 0);
    EXPECT_DOUBLE_EQ(hi, 1);
    EXPECT_DOUBLE_EQ(step, 0.2);
    ASSERT_EQ(ticks.size(), 6u);
    EXPECT_DOUBLE_EQ(ticks[0], 0);
    EXPECT_NEAR(ticks[3], 0.6, 1e-12);

    lo = 3;
    hi = 4870;
    const std::vector<double> big = ChartLayout::niceTicks(lo, hi, 6, true, &step);
    EXPECT_DOUBLE_EQ(step, 1000);
    EXPECT_DOUBLE_EQ(lo, 0);
    EXPECT_DOUBLE_EQ(hi, 5000);
    EXPECT_EQ(big.size(), 6u);
}

TEST(ChartLayout, FixedRangesAreHonouredExactly)
{
    ReportChart c = lineChart({0.1, 0.5, 0.9}, {0.2, 0.7, 0.8});
    c.xMin = 0;
    c.xMax = 1;
    c.yMin = 0.1;
    c.yMax = 0.95; // not a round number: kept anyway
    const ChartLayout layout(c, 600, 300);
    EXPECT_DOUBLE_EQ(layout.xAxis().min, 0);
    EXPECT_DOUBLE_EQ(layout.xAxis().max, 1);
    EXPECT_DOUBLE_EQ(layout.yAxis().min, 0.1);
    EXPECT_DOUBLE_EQ(layout.yAxis().max, 0.95);
    for (double v : tickValues(layout.yAxis())) {
        EXPECT_GE(v, 0.1 - 1e-9);
        EXPECT_LE(v, 0.95 + 1e-9);
    }
    // One fixed end, the other from the data (and rounded).
    ReportChart half = lineChart({1, 2, 3}, {0.2, 0.5, 1.37});
    half.yMin = 0;
    const ChartLayout l2(half, 600, 300);
    EXPECT_DOUBLE_EQ(l2.yAxis().min, 0);
    EXPECT_GE(l2.yAxis().max, 1.37);
    EXPECT_LE(l2.yAxis().max, 2.0);
}

TEST(ChartLayout, MapsDataOntoThePlotRectangle)
{
    const ChartLayout layout(lineChart({0, 50, 100}, {0, 5, 10}), 600, 300);
    const ChartLayout::Rect &plot = layout.plot();
    EXPECT_DOUBLE_EQ(layout.xAxis().min, 0);
    EXPECT_DOUBLE_EQ(layout.xAxis().max, 100);
    EXPECT_NEAR(layout.mapX(0), plot.x, 1e-9);
    EXPECT_NEAR(layout.mapX(100), plot.right(), 1e-9);
    EXPECT_NEAR(layout.mapX(50), plot.x + plot.width / 2, 1e-9);
    EXPECT_NEAR(layout.mapY(0), plot.bottom(), 1e-9);
    EXPECT_NEAR(layout.mapY(10), plot.y, 1e-9);
    // Inside the canvas, with room for labels on the left and below.
    EXPECT_GT(plot.x, 20);
    EXPECT_LT(plot.right(), 600);
    EXPECT_GT(plot.y, 0);
    EXPECT_LT(plot.bottom(), 300 - 18);
}

TEST(ChartLayout, NaNAndInfinitePointsAreSkippedCountedAndBreakTheLine)
{
    const ChartLayout layout(
        lineChart({0, 1, 2, 3, 4, 5, 6, 7}, {1, 2, kNaN, 3, 4, kInf, -kInf, 5}), 600, 300);
    EXPECT_EQ(layout.skippedPoints(), 3);
    ASSERT_EQ(layout.series().size(), 1u);
    const auto &lines = layout.series()[0].lines;
    ASSERT_EQ(lines.size(), 3u); // 0-1, 3-4, and 7 alone (a dot)
    EXPECT_EQ(lines[0].size(), 2u);
    EXPECT_EQ(lines[1].size(), 2u);
    EXPECT_EQ(lines[2].size(), 1u);
    // The range comes from the finite values only.
    EXPECT_DOUBLE_EQ(layout.yAxis().min, 1);
    EXPECT_DOUBLE_EQ(layout.yAxis().max, 5);
    bool noted = false;
    for (const ChartLayout::Text &t : layout.texts())
        noted = noted || (t.role == ChartLayout::Text::Role::Note &&
                          t.text.contains(QStringLiteral("3 points")));
    EXPECT_TRUE(noted);
}

TEST(ChartLayout, LogAxesUseDecadesAndSkipNonPositiveValues)
{
    ReportChart c = lineChart({1, 10, 100, 1000, 20000, 30000}, {2.1, 0.5, 0.02, 0.0031, 0.004, 0});
    c.logX = c.logY = true;
    const ChartLayout layout(c, 700, 360);
    EXPECT_EQ(layout.skippedPoints(), 1); // y = 0 on a log axis
    EXPECT_DOUBLE_EQ(layout.yAxis().min, 0.001);
    EXPECT_DOUBLE_EQ(layout.yAxis().max, 10);
    EXPECT_EQ(tickLabels(layout.yAxis()),
              (QStringList{QStringLiteral("0.001"), QStringLiteral("0.01"), QStringLiteral("0.1"),
                           QStringLiteral("1"), QStringLiteral("10")}));
    EXPECT_DOUBLE_EQ(layout.xAxis().min, 1);
    EXPECT_DOUBLE_EQ(layout.xAxis().max, 1e5); // 30000 went with its y = 0
    EXPECT_EQ(tickLabels(layout.xAxis()).last(), QStringLiteral("100k"));
    // Decades are evenly spaced.
    const auto &ticks = layout.yAxis().ticks;
    EXPECT_NEAR(ticks[1].position - ticks[0].position, ticks[4].position - ticks[3].position, 1e-9);
    EXPECT_NEAR(layout.mapY(0.01), ticks[1].position, 1e-9);
}

TEST(ChartLayout, TickLabelsAreCompact)
{
    EXPECT_EQ(ChartLayout::tickLabel(0.25, 0.05, 1), QStringLiteral("0.25"));
    EXPECT_EQ(ChartLayout::tickLabel(0.4, 0.2, 1), QStringLiteral("0.4"));
    EXPECT_EQ(ChartLayout::tickLabel(1500, 500, 3000), QStringLiteral("1500"));
    EXPECT_EQ(ChartLayout::tickLabel(15000, 5000, 20000), QStringLiteral("15k"));
    EXPECT_EQ(ChartLayout::tickLabel(12500, 2500, 20000), QStringLiteral("12.5k"));
    EXPECT_EQ(ChartLayout::tickLabel(2e6, 1e6, 5e6), QStringLiteral("2M"));
    EXPECT_EQ(ChartLayout::tickLabel(1e-5, 1e-5, 1e-5), QStringLiteral("1e-5"));
    EXPECT_EQ(ChartLayout::tickLabel(-1e-17, 0.1, 1), QStringLiteral("0.0")); // never "-0.0"
    EXPECT_EQ(ChartLayout::tickLabel(-2, 1, 4), QStringLiteral("-2"));
}

TEST(ChartLayout, SeriesAreClippedToThePlot)
{
    // Data beyond a fixed range: clipped at the edge, not drawn outside.
    ReportChart c = lineChart({0, 0.5, 1, 1.5, 2}, {0.5, 1.4, 0.5, -0.3, 0.5});
    c.xMin = c.yMin = 0;
    c.xMax = c.yMax = 1;
    ReportSeries points{QStringLiteral("bins"),      QStringLiteral("#f28e2b"),
                        ReportSeries::Style::Points, 1,
                        {0.2, 0.4, 1.2, 0.5},        {0.5, 2.0, 0.5, 0.5}};
    c.series.push_back(points);
    const ChartLayout layout(c, 600, 300);
    size_t drawn = 0;
    for (const auto &line : layout.series()[0].lines)
        for (const ChartLayout::Point &p : line) {
            EXPECT_TRUE(inside(p, layout.plot())) << p.x << "," << p.y;
            ++drawn;
        }
    EXPECT_GE(drawn, 3u);
    EXPECT_EQ(layout.series()[1].points.size(), 2u); // (0.4, 2.0) and (1.2, 0.5) are out of range
    EXPECT_EQ(layout.skippedPoints(), 0);            // out of range is not undrawable
}

TEST(ChartLayout, AChartWithoutDataSaysSo)
{
    const ChartLayout layout(lineChart({1, 2}, {kNaN, kNaN}), 600, 300);
    EXPECT_FALSE(layout.hasData());
    EXPECT_EQ(layout.skippedPoints(), 2);
    bool said = false;
    for (const ChartLayout::Text &t : layout.texts())
        said = said || t.text == QStringLiteral("No data");
    EXPECT_TRUE(said);
    EXPECT_FALSE(layout.xAxis().ticks.empty());
}

TEST(ChartLayout, OneValueStillGivesARange)
{
    const ChartLayout layout(lineChart({5, 5}, {0.7, 0.7}), 600, 300);
    EXPECT_LT(layout.xAxis().min, 5);
    EXPECT_GT(layout.xAxis().max, 5);
    EXPECT_LT(layout.yAxis().min, 0.7);
    EXPECT_GT(layout.yAxis().max, 0.7);
    EXPECT_TRUE(std::isfinite(layout.mapY(0.7)));
}

TEST(ChartLayout, ManySeriesKeepTheLegendWithinTheCanvas)
{
    ReportChart c;
    for (int i = 0; i < 60; ++i)
        c.series.push_back({QStringLiteral("a rather long run name %1").arg(i),
                            QStringLiteral("#4e79a7"),
                            ReportSeries::Style::Line,
                            i,
                            {0, 1},
                            {double(i), double(i + 1)}});
    const ChartLayout layout(c, 760, 380);
    EXPECT_FALSE(layout.legend().empty());
    EXPECT_LT(layout.legend().size(), 60u);
    bool more = false;
    for (const ChartLayout::Text &t : layout.texts()) {
        more = more || t.text.startsWith(QLatin1Char('+'));
        EXPECT_LE(t.at.y, 380) << t.text.toStdString();
    }
    EXPECT_TRUE(more);
    for (const ChartLayout::LegendEntry &e : layout.legend())
        EXPECT_LE(e.swatch.x + e.swatchWidth, 760);
    EXPECT_GT(layout.plot().height, 120);
}

TEST(ChartLayout, RunsAndLineStylesAreNamedApartInTheLegend)
{
    ReportChart c;
    const QStringList runs{QStringLiteral("mlp #1"), QStringLiteral("cnn #2"),
                           QStringLiteral("cnn #3")};
    for (int i = 0; i < 3; ++i) {
        c.series.push_back({runs[i] + QStringLiteral(" train"),
                            QStringLiteral("#4e79a7"),
                            ReportSeries::Style::Line,
                            i,
                            {0, 1},
                            {1, 0.5}});
        c.series.push_back({runs[i] + QStringLiteral(" validation"),
                            QStringLiteral("#4e79a7"),
                            ReportSeries::Style::Dashed,
                            i,
                            {0, 1},
                            {1, 0.6}});
    }
    c.series.push_back({QStringLiteral("baseline"),
                        QStringLiteral("#8c8c8c"),
                        ReportSeries::Style::Dashed,
                        -1,
                        {0, 1},
                        {0.7, 0.7}});
    const ChartLayout layout(c, 760, 380);
    QStringList names;
    for (const ChartLayout::LegendEntry &e : layout.legend())
        names << e.name;
    EXPECT_EQ(names, (QStringList{QStringLiteral("mlp #1"), QStringLiteral("cnn #2"),
                                  QStringLiteral("cnn #3"), QStringLiteral("baseline"),
                                  QStringLiteral("train"), QStringLiteral("validation")}));
    EXPECT_EQ(layout.legend().back().style, ReportSeries::Style::Dashed);

    // Irregular names: one entry per series.
    c.series[1].name = QStringLiteral("something else");
    const ChartLayout plain(c, 760, 380);
    EXPECT_EQ(plain.legend().size(), 7u);
}

TEST(ChartLayout, LongTitlesAreShortenedToTheCanvas)
{
    ReportChart c = lineChart({0, 1}, {0, 1});
    c.title = QString(300, QLatin1Char('T'));
    c.yLabel = QString(300, QLatin1Char('y'));
    const ChartLayout layout(c, 600, 300);
    for (const ChartLayout::Text &t : layout.texts()) {
        if (t.role == ChartLayout::Text::Role::Title) {
            EXPECT_LE(t.at.x + ChartLayout::textWidth(t.text, t.size), 600);
            EXPECT_TRUE(t.text.endsWith(QStringLiteral("\u2026")));
        }
        if (t.vertical)
            EXPECT_LE(ChartLayout::textWidth(t.text, t.size), layout.plot().height + 1);
    }
}

TEST(ChartLayout, ASeriesTheBuilderDidNotDecimateIsDecimatedKeepingSpikes)
{
    std::vector<double> x, y;
    for (int i = 0; i < 200000; ++i) {
        x.push_back(i);
        y.push_back(i == 123457 ? 50.0 : std::sin(i * 0.001));
    }
    const ChartLayout layout(lineChart(x, y), 760, 380);
    ASSERT_EQ(layout.series()[0].lines.size(), 1u);
    const auto &line = layout.series()[0].lines[0];
    EXPECT_LT(line.size(), 4u * 2 * 760);
    EXPECT_GT(line.size(), 760u);
    double top = 1e9;
    for (const ChartLayout::Point &p : line)
        top = std::min(top, p.y);
    EXPECT_NEAR(top, layout.mapY(50.0), 1e-9) << "the spike survives";
}
