// SPDX-License-Identifier: MIT
// The PDF read back with poppler-utils: a missing tool fails the test (dev.sh installs it).
#include "report/pdf_report_writer.h"

#include "synthetic_report.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#include <gtest/gtest.h>

using namespace mlwb;

namespace {

struct Tool {
    int exitCode = -1;
    QString out;
    QString err;
};

Tool poppler(const QString &program, const QStringList &args)
{
    Tool t;
    const QString exe = QStandardPaths::findExecutable(program);
    if (exe.isEmpty()) {
        t.err =
            program + QStringLiteral(" not found: install poppler-utils (./dev.sh installs it)");
        return t;
    }
    QProcess p;
    p.start(exe, args);
    if (!p.waitForFinished(120000)) {
        t.err = program + QStringLiteral(" did not finish");
        return t;
    }
    t.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    t.out = QString::fromUtf8(p.readAllStandardOutput());
    t.err = QString::fromUtf8(p.readAllStandardError());
    return t;
}

#define ASSERT_TOOL_OK(t) ASSERT_EQ((t).exitCode, 0) << (t).err.toStdString()

QString pdfText(const QString &pdf, int first = 0, int last = 0)
{
    QStringList args{QStringLiteral("-layout")};
    if (first > 0)
        args << QStringLiteral("-f") << QString::number(first) << QStringLiteral("-l")
             << QString::number(last);
    args << pdf << QStringLiteral("-");
    const Tool t = poppler(QStringLiteral("pdftotext"), args);
    EXPECT_EQ(t.exitCode, 0) << t.err.toStdString();
    return t.out;
}

int pageCount(const QString &info)
{
    const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("^Pages:\\s+(\\d+)$"),
                                                         QRegularExpression::MultilineOption)
                                          .match(info);
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

// A "Name:   value" line of pdfinfo.
QString infoField(const QString &info, const QString &name)
{
    for (const QString &line : info.split(QLatin1Char('\n')))
        if (line.startsWith(name + QLatin1Char(':')))
            return line.mid(name.size() + 1).trimmed();
    return QString();
}

} // namespace

class PdfReport : public test::TempDirTest {
protected:
    QString writeReport(const ReportDocument &doc, const QString &name,
                        const PdfReportOptions &options = {})
    {
        const QString file = path(name);
        const Result<void> r = PdfReportWriter::write(doc, file, options);
        EXPECT_TRUE(r.ok()) << (r.ok() ? std::string() : r.error().toStdString());
        return file;
    }
};

TEST_F(PdfReport, TextIsSelectableWithTheRunsMetricsAndWarning)
{
    const ReportDocument doc = test::syntheticReport({3, 1000, 200});
    const QString pdf = writeReport(doc, QStringLiteral("report.pdf"));
    const QString text = pdfText(pdf);
    ASSERT_FALSE(text.isEmpty());
    for (const ReportRun &run : doc.runs)
        EXPECT_TRUE(text.contains(run.name)) << run.name.toStdString();
    EXPECT_TRUE(text.contains(QLatin1String(test::kBestAccuracy)));
    EXPECT_TRUE(text.contains(QLatin1String("NaN")));
    EXPECT_TRUE(text.contains(QStringLiteral("Page 2 of")));
    // The warning wraps across lines: compare with whitespace collapsed.
    EXPECT_TRUE(text.simplified().contains(QStringLiteral("Warning: ") +
                                           QString::fromLatin1(test::kWarningText)))
        << text.toStdString();
    EXPECT_TRUE(text.contains(doc.project));
    EXPECT_TRUE(text.contains(doc.author));
}

TEST_F(PdfReport, PagesPaperSizeAndMetadata)
{
    const ReportDocument doc = test::syntheticReport({3, 1000, 200});
    const QString a4 = writeReport(doc, QStringLiteral("a4.pdf"));
    const Tool info = poppler(QStringLiteral("pdfinfo"), {a4});
    ASSERT_TOOL_OK(info);
    const int pages = pageCount(info.out);
    EXPECT_GT(pages, 1) << info.out.toStdString();
    EXPECT_TRUE(info.out.contains(QStringLiteral("595.276 x 841.89 pts (A4)")))
        << info.out.toStdString();
    EXPECT_EQ(infoField(info.out, QStringLiteral("Title")), doc.title);
    EXPECT_EQ(infoField(info.out, QStringLiteral("Author")), doc.author);
    EXPECT_TRUE(infoField(info.out, QStringLiteral("Creator"))
                    .startsWith(QStringLiteral("MLOps Workbench ")));
    EXPECT_EQ(infoField(info.out, QStringLiteral("CreationDate")),
              QStringLiteral("Tue Dec  1 10:30:00 2026 UTC"));
    // The footer counts the pages pdfinfo counts.
    EXPECT_TRUE(pdfText(a4, pages, pages).contains(QStringLiteral("Page %1 of %1").arg(pages)));

    PdfReportOptions letter;
    letter.paper = PdfReportOptions::Paper::Letter;
    const Tool letterInfo = poppler(QStringLiteral("pdfinfo"),
                                    {writeReport(doc, QStringLiteral("letter.pdf"), letter)});
    ASSERT_TOOL_OK(letterInfo);
    EXPECT_TRUE(letterInfo.out.contains(QStringLiteral("612 x 792 pts (letter)")))
        << letterInfo.out.toStdString();
}

TEST_F(PdfReport, EveryFontIsEmbedded)
{
    const QString pdf =
        writeReport(test::syntheticReport({3, 200, 30}), QStringLiteral("fonts.pdf"));
    const Tool fonts = poppler(QStringLiteral("pdffonts"), {pdf});
    ASSERT_TOOL_OK(fonts);
    // name type encoding emb sub uni object ID: rows after the two header lines.
    const QStringList lines = fonts.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    ASSERT_GT(lines.size(), 2) << fonts.out.toStdString();
    const qsizetype embColumn = lines[0].indexOf(QLatin1String("emb"));
    ASSERT_GT(embColumn, 0);
    int rows = 0;
    for (qsizetype i = 2; i < lines.size(); ++i) {
        EXPECT_EQ(lines[i].mid(embColumn, 3), QStringLiteral("yes")) << lines[i].toStdString();
        ++rows;
    }
    EXPECT_GE(rows, 2) << "regular and bold at least";
}

TEST_F(PdfReport, LongTablesRepeatTheirHeaderOnTheNextPage)
{
    const QString pdf =
        writeReport(test::syntheticReport({3, 200, 200}), QStringLiteral("table.pdf"));
    const Tool info = poppler(QStringLiteral("pdfinfo"), {pdf});
    ASSERT_TOOL_OK(info);
    const int pages = pageCount(info.out);
    const QString caption = QString::fromLatin1(test::kLongTableCaption);
    int first = 0, continued = 0;
    for (int p = 1; p <= pages; ++p) {
        const QString text = pdfText(pdf, p, p);
        if (!first && text.contains(caption))
            first = p;
        if (text.contains(caption + QStringLiteral(" (continued)"))) {
            ++continued;
            // The header row again, and rows of the table under it.
            EXPECT_TRUE(text.contains(QLatin1String(test::kLongTableLastColumn))) << "page " << p;
            EXPECT_TRUE(text.contains(QLatin1String("Confidence"))) << "page " << p;
            EXPECT_TRUE(text.contains(QStringLiteral("Page %1 of").arg(p))) << "page " << p;
        }
    }
    EXPECT_GT(first, 0);
    EXPECT_GE(continued, 2) << "200 rows fill more than two pages";
    // The last row made it.
    EXPECT_TRUE(pdfText(pdf).contains(QLatin1String("1399")));
}

TEST_F(PdfReport, TwentyRunsRenderWithEveryRunNamed)
{
    const ReportDocument doc = test::syntheticReport({20, 1000, 200});
    const QString pdf = writeReport(doc, QStringLiteral("twenty.pdf"));
    const QString text = pdfText(pdf);
    for (const ReportRun &run : doc.runs)
        EXPECT_TRUE(text.contains(run.name)) << run.name.toStdString();
    std::printf("20-run PDF: %lld bytes\n", static_cast<long long>(QFileInfo(pdf).size()));
}

TEST_F(PdfReport, AFailedWriteLeavesNoFile)
{
    const ReportDocument doc = test::syntheticReport({3, 100, 10});
    const QString bad = path(QStringLiteral("missing/dir/report.pdf"));
    const Result<void> r = PdfReportWriter::write(doc, bad);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains(bad)) << r.error().toStdString();
    EXPECT_FALSE(QFile::exists(bad));
    // Replacing an existing report is atomic: the old file stays until the new one is whole.
    const QString file = path(QStringLiteral("report.pdf"));
    ASSERT_TRUE(PdfReportWriter::write(doc, file).ok());
    const qint64 before = QFileInfo(file).size();
    ASSERT_TRUE(PdfReportWriter::write(test::syntheticReport({3, 100, 60}), file).ok());
    EXPECT_NE(QFileInfo(file).size(), before);
    EXPECT_EQ(QDir(path(QString())).entryList(QDir::Files).size(), 1) << "no temporary file left";
}

TEST(PdfReportWriter, RendersEmptyAndOddDocuments)
{
    ReportDocument empty;
    Result<QByteArray> bytes = PdfReportWriter::render(empty);
    ASSERT_TRUE(bytes.ok()) << bytes.error().toStdString();
    EXPECT_TRUE(bytes->startsWith("%PDF-"));

    ReportDocument odd = test::syntheticReport({1, 5, 1});
    odd.sections[0].blocks.push_back(ReportTable{}); // no columns at all
    odd.sections[0].blocks.push_back(ReportChart{}); // no series
    odd.sections[0].blocks.push_back(ReportMatrix{});
    odd.sections[0].blocks.push_back(
        ReportParagraph{QString(4000, QLatin1Char('x')), ReportParagraph::Tone::Warning});
    bytes = PdfReportWriter::render(odd);
    ASSERT_TRUE(bytes.ok()) << bytes.error().toStdString();
}
