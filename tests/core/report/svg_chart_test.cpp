// SPDX-License-Identifier: MIT
#include "report/svg_chart.h"

#include "synthetic_report.h"

#include <QRegularExpression>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace mlwb;

namespace {

struct Svg {
    double width = 0, height = 0;
    QStringList paths; // every <path d>
    int circles = 0;
    QStringList texts;
    QString error;
};

Svg parse(const QString &svg)
{
    Svg out;
    QXmlStreamReader xml(svg);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("svg")) {
            const QStringList box =
                xml.attributes().value(QLatin1String("viewBox")).toString().split(QLatin1Char(' '));
            if (box.size() == 4) {
                out.width = box[2].toDouble();
                out.height = box[3].toDouble();
            }
        } else if (name == QLatin1String("path")) {
            out.paths << xml.attributes().value(QLatin1String("d")).toString();
        } else if (name == QLatin1String("circle")) {
            ++out.circles;
        } else if (name == QLatin1String("text")) {
            out.texts << xml.readElementText();
        }
    }
    if (xml.hasError())
        out.error =
            xml.errorString() + QStringLiteral(" at ") + QString::number(xml.characterOffset());
    return out;
}

// The absolute points a path visits (M, L, H, V and their relative forms, all we write).
std::vector<std::pair<double, double>> pathPoints(const QString &d, QString *problem)
{
    std::vector<std::pair<double, double>> points;
    static const QRegularExpression token(QStringLiteral("[MLHVmlhv]|-?(?:\\d+\\.?\\d*|\\.\\d+)"));
    QRegularExpressionMatchIterator it = token.globalMatch(d);
    QStringList tokens;
    qsizetype covered = 0;
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        covered += m.capturedLength();
        tokens << m.captured();
    }
    // Everything that is not a token must be a separator.
    qsizetype separators = d.count(QLatin1Char(' ')) + d.count(QLatin1Char(','));
    if (covered + separators != d.size())
        *problem = QStringLiteral("unexpected characters in path: ") + d.left(80);
    double x = 0, y = 0;
    QChar command;
    int i = 0;
    auto number = [&](bool *ok) {
        return i < tokens.size() ? tokens[i++].toDouble(ok) : (*ok = false, 0.0);
    };
    while (i < tokens.size()) {
        if (tokens[i].size() == 1 && tokens[i][0].isLetter())
            command = tokens[i++][0];
        bool ok1 = true, ok2 = true;
        switch (command.unicode()) {
        case 'M':
        case 'L':
            x = number(&ok1);
            y = number(&ok2);
            break;
        case 'm':
        case 'l':
            x += number(&ok1);
            y += number(&ok2);
            break;
        case 'H':
            x = number(&ok1);
            break;
        case 'h':
            x += number(&ok1);
            break;
        case 'V':
            y = number(&ok1);
            break;
        case 'v':
            y += number(&ok1);
            break;
        default:
            *problem = QStringLiteral("unknown path command");
            return points;
        }
        if (!ok1 || !ok2) {
            *problem = QStringLiteral("bad number in path");
            return points;
        }
        points.emplace_back(x, y);
    }
    return points;
}

ReportChart chartOf(const ReportDocument &doc, int index)
{
    int n = 0;
    for (const ReportSection &s : doc.sections)
        for (const ReportBlock &b : s.blocks)
            if (const auto *c = std::get_if<ReportChart>(&b); c && n++ == index)
                return *c;
    return {};
}

} // namespace

TEST(SvgChart, IsOneWellFormedSvgElementWithPathsInsideTheViewBox)
{
    const ReportDocument doc = test::syntheticReport({3, 1000, 10});
    for (int i = 0; i < 3; ++i) {
        const ReportChart chart = chartOf(doc, i);
        ASSERT_FALSE(chart.series.empty());
        const QString svg = SvgChart::render(chart, 760, 380);
        ASSERT_TRUE(svg.startsWith(QLatin1String("<svg "))) << svg.left(60).toStdString();
        ASSERT_TRUE(svg.endsWith(QLatin1String("</svg>")));
        const Svg parsed = parse(svg);
        ASSERT_TRUE(parsed.error.isEmpty()) << parsed.error.toStdString();
        EXPECT_DOUBLE_EQ(parsed.width, 760);
        EXPECT_DOUBLE_EQ(parsed.height, 380);
        ASSERT_GE(parsed.paths.size(), 3) << "grid, axes and at least one series";
        size_t points = 0;
        for (const QString &d : parsed.paths) {
            QString problem;
            for (const auto &[x, y] : pathPoints(d, &problem)) {
                EXPECT_GE(x, 0) << chart.title.toStdString();
                EXPECT_LE(x, 760);
                EXPECT_GE(y, 0);
                EXPECT_LE(y, 380);
                ++points;
            }
            EXPECT_TRUE(problem.isEmpty()) << problem.toStdString();
        }
        EXPECT_GT(points, 50u);
        EXPECT_TRUE(parsed.texts.contains(chart.title));
    }
}

TEST(SvgChart, ACurveIsOnePathWithOneVertexPerPoint)
{
    ReportChart chart;
    ReportSeries s{
        QStringLiteral("run"), QStringLiteral("#e15759"), ReportSeries::Style::Line, 0, {}, {}};
    for (int i = 0; i < 1000; ++i) {
        s.x.push_back(i);
        s.y.push_back(std::sin(i * 0.05) * (i % 2 ? 1 : 0.5));
    }
    chart.series.push_back(s);
    const Svg parsed = parse(SvgChart::render(chart, 760, 380));
    QString seriesPath;
    for (const QString &d : parsed.paths)
        if (d.size() > seriesPath.size())
            seriesPath = d;
    QString problem;
    const auto points = pathPoints(seriesPath, &problem);
    EXPECT_TRUE(problem.isEmpty()) << problem.toStdString();
    EXPECT_EQ(points.size(), 1000u);
    // Compact: about 8 bytes a point.
    EXPECT_LT(seriesPath.size(), 12 * 1000);
    // The first point is where the layout maps it.
    EXPECT_EQ(seriesPath.count(QLatin1Char('M')), 1);
}

TEST(SvgChart, ANaNPointLeavesAGapNotANan)
{
    ReportChart chart;
    chart.title = QStringLiteral("loss");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    chart.series.push_back({QStringLiteral("a"),
                            QStringLiteral("#4e79a7"),
                            ReportSeries::Style::Line,
                            0,
                            {0, 1, 2, 3, 4, 5},
                            {1, 2, nan, 3, inf, 2}});
    chart.series.push_back({QStringLiteral("b"),
                            QStringLiteral("#f28e2b"),
                            ReportSeries::Style::Points,
                            1,
                            {0, nan, 2},
                            {1, 1, 2}});
    const QString svg = SvgChart::render(chart, 600, 300);
    // Outside the words of the note ("... NaN, infinite ..."), no NaN or inf anywhere.
    QString markup = svg;
    markup.remove(QRegularExpression(QStringLiteral("<text[^>]*>[^<]*</text>")));
    EXPECT_FALSE(markup.contains(QLatin1String("nan"), Qt::CaseInsensitive))
        << markup.toStdString();
    EXPECT_FALSE(markup.contains(QLatin1String("inf"), Qt::CaseInsensitive))
        << markup.toStdString();
    const Svg parsed = parse(svg);
    ASSERT_TRUE(parsed.error.isEmpty()) << parsed.error.toStdString();
    // Line a: 0-1, then 3 alone (a dot), then 5 alone: three sub-paths.
    bool found = false;
    for (const QString &d : parsed.paths)
        if (d.count(QLatin1Char('M')) == 3 && d.count(QLatin1String("h0")) == 2)
            found = true;
    EXPECT_TRUE(found) << svg.toStdString();
    bool skippedNote = false;
    for (const QString &t : parsed.texts)
        skippedNote = skippedNote || t.startsWith(QLatin1String("3 points not shown"));
    EXPECT_TRUE(skippedNote);
}

TEST(SvgChart, DashedSeriesAndRunColoursAreKept)
{
    const ReportDocument doc = test::syntheticReport({3, 200, 10});
    const QString svg = SvgChart::render(chartOf(doc, 0), 760, 380);
    EXPECT_TRUE(svg.contains(QLatin1String("stroke-dasharray")));
    for (const ReportRun &r : doc.runs)
        EXPECT_TRUE(svg.contains(QStringLiteral("stroke=\"%1\"").arg(r.color)))
            << r.color.toStdString();
}

TEST(SvgChart, TextIsEscapedAndBadColoursAreReplaced)
{
    ReportChart chart;
    chart.title = QStringLiteral("a <b> & \"c\"");
    chart.series.push_back({QStringLiteral("</text><script>x</script>"),
                            QStringLiteral("red\" onload=\"x"),
                            ReportSeries::Style::Line,
                            0,
                            {0, 1},
                            {0, 1}});
    const QString svg = SvgChart::render(chart, 600, 300);
    EXPECT_FALSE(svg.contains(QLatin1String("<script")));
    EXPECT_FALSE(svg.contains(QLatin1String("onload")));
    const Svg parsed = parse(svg);
    ASSERT_TRUE(parsed.error.isEmpty()) << parsed.error.toStdString();
    EXPECT_TRUE(parsed.texts.contains(chart.title));
}
