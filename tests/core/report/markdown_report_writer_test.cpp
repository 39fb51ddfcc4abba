// SPDX-License-Identifier: MIT
#include "report/markdown_report_writer.h"

#include "synthetic_report.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

using namespace mlwb;

namespace {

QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace

class MarkdownReport : public test::TempDirTest {};

TEST_F(MarkdownReport, TablesWarningsAndChartFilesBesideIt)
{
    const ReportDocument doc = test::syntheticReport({3, 500, 200});
    const QString md = path(QStringLiteral("eval report.md"));
    ASSERT_TRUE(MarkdownReportWriter::write(doc, md).ok());
    const QString text = readText(md);
    ASSERT_FALSE(text.isEmpty());
    EXPECT_TRUE(text.startsWith(QStringLiteral("# Digits classifier")));

    // The metrics table: a header, the alignment row, a row per run with its digits.
    EXPECT_TRUE(
        text.contains(QStringLiteral("| Run | Accuracy | Macro F1 | Loss | Parameters | Time |\n"
                                     "| --- | ---: | ---: | ---: | ---: | ---: |\n")));
    EXPECT_TRUE(text.contains(QStringLiteral("| mlp-64 #0 | **0.9731** | **0.971** |")));
    EXPECT_TRUE(text.contains(QStringLiteral("| cnn-wide #2 | NaN | NaN | NaN |")));
    // 200 sample rows, a pipe inside a cell escaped.
    EXPECT_TRUE(text.contains(QStringLiteral("| 1399 | 9 | 8 |")));
    EXPECT_TRUE(text.contains(QStringLiteral("Scan \\| cropped")));
    EXPECT_FALSE(text.contains(QStringLiteral("Scan | cropped")));
    // Every table line has the header's number of cells (no pipe broke one apart).
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        if (!line.startsWith(QStringLiteral("| 1")) || !line.contains(QStringLiteral("Scan")))
            continue;
        const qsizetype pipes = line.count(QLatin1Char('|')) - line.count(QStringLiteral("\\|"));
        EXPECT_EQ(pipes, 6) << line.toStdString();
    }
    // The warning as a block quote.
    EXPECT_TRUE(
        text.contains(QStringLiteral("> **Warning:** ") + QString::fromLatin1(test::kWarningText)));

    // Charts: files beside it, linked relatively (the space percent-encoded), each an SVG.
    const QDir charts(path(QStringLiteral("eval report_files")));
    ASSERT_TRUE(charts.exists());
    EXPECT_EQ(charts.entryList({QStringLiteral("*.svg")}, QDir::Files).size(), 3);
    for (int i = 1; i <= 3; ++i) {
        EXPECT_TRUE(text.contains(QStringLiteral("(eval%20report_files/chart-%1.svg)").arg(i)))
            << i;
        QFile svg(charts.filePath(QStringLiteral("chart-%1.svg").arg(i)));
        ASSERT_TRUE(svg.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&svg);
        int paths = 0;
        while (!xml.atEnd())
            if (xml.readNext() == QXmlStreamReader::StartElement &&
                xml.name() == QLatin1String("path"))
                ++paths;
        EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
        EXPECT_GE(paths, 3);
    }
}

TEST_F(MarkdownReport, ChartsCanBeLeftOut)
{
    const ReportDocument doc = test::syntheticReport({3, 100, 10});
    const QString md = path(QStringLiteral("report.md"));
    ASSERT_TRUE(MarkdownReportWriter::write(doc, md, false).ok());
    const QString text = readText(md);
    EXPECT_FALSE(text.contains(QStringLiteral("![")));
    EXPECT_FALSE(QDir(path(QStringLiteral("report_files"))).exists());
    EXPECT_TRUE(text.contains(QStringLiteral("| mlp-64 #0 |")));
}

TEST_F(MarkdownReport, RenderingAgainLeavesNoStaleChart)
{
    ReportDocument doc = test::syntheticReport({3, 100, 10});
    const QString md = path(QStringLiteral("r.md"));
    ASSERT_TRUE(MarkdownReportWriter::write(doc, md).ok());
    EXPECT_TRUE(QFile::exists(path(QStringLiteral("r_files/chart-3.svg"))));
    // Without the evaluation section (one chart fewer).
    doc.sections.erase(doc.sections.begin() + 4);
    ASSERT_TRUE(MarkdownReportWriter::write(doc, md).ok());
    EXPECT_TRUE(QFile::exists(path(QStringLiteral("r_files/chart-2.svg"))));
    EXPECT_FALSE(QFile::exists(path(QStringLiteral("r_files/chart-3.svg"))));
}

TEST(MarkdownReportWriter, EscapesMarkup)
{
    EXPECT_EQ(MarkdownReportWriter::escaped(QStringLiteral("a|b"), true), QStringLiteral("a\\|b"));
    EXPECT_EQ(MarkdownReportWriter::escaped(QStringLiteral("*x* _y_ [z](u) <b>")),
              QStringLiteral("\\*x\\* \\_y\\_ \\[z\\](u) \\<b\\>"));
    EXPECT_EQ(MarkdownReportWriter::escaped(QStringLiteral("# not a heading, run #3")),
              QStringLiteral("\\# not a heading, run #3"));
    EXPECT_EQ(MarkdownReportWriter::escaped(QStringLiteral("two\nlines"), true),
              QStringLiteral("two lines"));
}
