// SPDX-License-Identifier: MIT
#include "report/html_report_writer.h"

#include "synthetic_report.h"
#include "test_support.h"

#include <QFile>
#include <QSet>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

using namespace mlwb;

namespace {

struct Parsed {
    QString error;
    int svg = 0, svgWithPath = 0;
    QSet<QString> ids;
    QStringList hrefs;
    QStringList warnings; // text of class="warning" paragraphs
    int tableRows = 0;
    QString text; // all character data
};

Parsed parse(const QByteArray &html)
{
    Parsed out;
    QXmlStreamReader xml(html);
    bool inSvg = false, svgHasPath = false;
    int warningDepth = 0;
    QString warning;
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            const QString name = xml.name().toString();
            const QXmlStreamAttributes attrs = xml.attributes();
            if (attrs.hasAttribute(QLatin1String("id")))
                out.ids.insert(attrs.value(QLatin1String("id")).toString());
            if (attrs.hasAttribute(QLatin1String("href")))
                out.hrefs << attrs.value(QLatin1String("href")).toString();
            if (name == QLatin1String("svg")) {
                ++out.svg;
                inSvg = true;
                svgHasPath = false;
            } else if (name == QLatin1String("path") && inSvg) {
                svgHasPath = true;
            } else if (name == QLatin1String("tr")) {
                ++out.tableRows;
            }
            if (warningDepth > 0)
                ++warningDepth;
            else if (attrs.value(QLatin1String("class")) == QLatin1String("warning")) {
                warningDepth = 1;
                warning.clear();
            }
        } else if (token == QXmlStreamReader::EndElement) {
            if (xml.name() == QLatin1String("svg")) {
                inSvg = false;
                if (svgHasPath)
                    ++out.svgWithPath;
            }
            if (warningDepth > 0 && --warningDepth == 0)
                out.warnings << warning.simplified();
        } else if (token == QXmlStreamReader::Characters) {
            out.text += xml.text();
            if (warningDepth > 0)
                warning += xml.text();
        }
    }
    if (xml.hasError())
        out.error = QStringLiteral("%1 (line %2, column %3)")
                        .arg(xml.errorString())
                        .arg(xml.lineNumber())
                        .arg(xml.columnNumber());
    return out;
}

int chartCount(const ReportDocument &doc)
{
    int n = 0;
    for (const ReportSection &s : doc.sections)
        for (const ReportBlock &b : s.blocks)
            n += std::holds_alternative<ReportChart>(b) ? 1 : 0;
    return n;
}

} // namespace

TEST(HtmlReportWriter, ParsesAsXmlWithChartsAsSvgPaths)
{
    const ReportDocument doc = test::syntheticReport({3, 1000, 200});
    const QByteArray html = HtmlReportWriter::render(doc);
    ASSERT_TRUE(html.startsWith("<!DOCTYPE html>"));
    const Parsed parsed = parse(html);
    ASSERT_TRUE(parsed.error.isEmpty()) << parsed.error.toStdString();
    EXPECT_EQ(parsed.svg, chartCount(doc));
    EXPECT_EQ(parsed.svgWithPath, chartCount(doc));
    for (const ReportRun &run : doc.runs)
        EXPECT_TRUE(parsed.text.contains(run.name)) << run.name.toStdString();
    EXPECT_TRUE(parsed.text.contains(QLatin1String(test::kBestAccuracy)));
    EXPECT_TRUE(parsed.text.contains(QLatin1String("NaN"))); // the diverged run's metrics
    ASSERT_EQ(parsed.warnings.size(), 1);
    EXPECT_TRUE(parsed.warnings[0].contains(QLatin1String(test::kWarningText)))
        << parsed.warnings[0].toStdString();
    // 200 sample rows, the header, the metrics, the matrix: every row is there.
    EXPECT_GE(parsed.tableRows, 200 + 1 + 3 + 11);
}

TEST(HtmlReportWriter, ReferencesNothingOutsideTheFile)
{
    const QByteArray html = HtmlReportWriter::render(test::syntheticReport({3, 300, 20}));
    // The SVG namespace is a name, not a fetch; it is the only URL allowed.
    QByteArray rest = html;
    rest.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for (const char *forbidden :
         {"http://", "https://", "<script", "url(", "@import", "src=", "<link", "//"})
        EXPECT_FALSE(rest.contains(forbidden)) << forbidden;
    // The contents link only to sections of this page.
    const Parsed parsed = parse(html);
    ASSERT_FALSE(parsed.hrefs.isEmpty());
    for (const QString &href : parsed.hrefs) {
        ASSERT_TRUE(href.startsWith(QLatin1Char('#'))) << href.toStdString();
        EXPECT_TRUE(parsed.ids.contains(href.mid(1))) << href.toStdString();
    }
    EXPECT_TRUE(html.contains("@media print"));
}

TEST(HtmlReportWriter, TwentyRunsStayUnderTwoMegabytes)
{
    const ReportDocument doc = test::syntheticReport({20, 1000, 200});
    const QByteArray html = HtmlReportWriter::render(doc);
    EXPECT_LT(html.size(), 2 * 1000 * 1000) << html.size();
    const Parsed parsed = parse(html);
    EXPECT_TRUE(parsed.error.isEmpty()) << parsed.error.toStdString();
    EXPECT_EQ(parsed.svgWithPath, chartCount(doc));
    std::printf("20-run HTML: %lld bytes\n", static_cast<long long>(html.size()));
}

TEST(HtmlReportWriter, EscapesEveryText)
{
    ReportDocument doc = test::syntheticReport({3, 50, 5});
    doc.title = QStringLiteral("Q3 <review> & \"sign-off\"");
    doc.runs[1].name = QStringLiteral("<script>alert(1)</script>");
    doc.runs[2].color = QStringLiteral("red;background:url(x)");
    doc.sections[0].title = QStringLiteral("A & B");
    doc.sections[0].blocks.push_back(ReportParagraph{QStringLiteral("bad \x01 byte and ]]> end")});
    const QByteArray html = HtmlReportWriter::render(doc);
    EXPECT_FALSE(html.contains("<script"));
    EXPECT_FALSE(html.contains("url("));
    EXPECT_TRUE(html.contains("Q3 &lt;review&gt; &amp; &quot;sign-off&quot;"));
    const Parsed parsed = parse(html);
    ASSERT_TRUE(parsed.error.isEmpty()) << parsed.error.toStdString();
    EXPECT_TRUE(parsed.text.contains(QStringLiteral("<script>alert(1)</script>")));
}

TEST(HtmlReportWriter, RunColoursAppearAsSwatches)
{
    const ReportDocument doc = test::syntheticReport({3, 50, 5});
    const QByteArray html = HtmlReportWriter::render(doc);
    for (const ReportRun &run : doc.runs)
        EXPECT_TRUE(html.contains(
            QStringLiteral("class=\"swatch\" style=\"background:%1\"").arg(run.color).toUtf8()));
}

class HtmlReportFile : public test::TempDirTest {};

TEST_F(HtmlReportFile, WritesTheFileOrSaysWhyNot)
{
    const ReportDocument doc = test::syntheticReport({3, 100, 10});
    const QString path = this->path(QStringLiteral("report.html"));
    ASSERT_TRUE(HtmlReportWriter::write(doc, path).ok());
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    EXPECT_EQ(f.readAll(), HtmlReportWriter::render(doc));
    const QString bad = this->path(QStringLiteral("no/such/dir/report.html"));
    const Result<void> r = HtmlReportWriter::write(doc, bad);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains(bad)) << r.error().toStdString();
    EXPECT_FALSE(QFile::exists(bad));
}
