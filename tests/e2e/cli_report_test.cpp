// SPDX-License-Identifier: MIT
// `mlwb report` end to end: a project made and trained through the CLI (iris, two short runs),
// then reports as JSON and CSV, and the errors and exit codes of the contract.

#include "cli_runner.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QJsonArray>

using namespace mlwb::test;

class CliReportTest : public TempDirTest {
protected:
    void SetUp() override
    {
        TempDirTest::SetUp();
        m_project = path(QStringLiteral("p.mlwb"));
        for (const QStringList &args :
             {QStringList{QStringLiteral("init"), m_project},
              QStringList{QStringLiteral("dataset"), QStringLiteral("import"), m_project, datasetPath(QStringLiteral("iris.csv")),
                          QStringLiteral("--name"), QStringLiteral("iris"), QStringLiteral("--target"), QStringLiteral("species")},
              QStringList{QStringLiteral("model"), QStringLiteral("create"), m_project, QStringLiteral("--name"), QStringLiteral("mlp"),
                          QStringLiteral("--dataset"), QStringLiteral("iris"), QStringLiteral("--template"), QStringLiteral("mlp")}}) {
            auto r = runCli(args);
            ASSERT_EQ(r.exitCode, 0) << r.err.constData();
        }
        for (const char *name : {"fast", "slow"}) {
            auto r = runCli({QStringLiteral("train"), m_project, QStringLiteral("--model"), QStringLiteral("mlp"), QStringLiteral("--epochs"),
                             QStringLiteral("3"), QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--name"),
                             QString::fromLatin1(name), QStringLiteral("--lr"),
                             QString::fromLatin1(name) == u"fast" ? QStringLiteral("0.01") : QStringLiteral("0.001"),
                             QStringLiteral("--json")});
            ASSERT_EQ(r.exitCode, 0) << r.err.constData();
            m_runs << r.json().value(QStringLiteral("run")).toInteger();
        }
        ASSERT_EQ(m_runs.size(), 2);
        ASSERT_GT(m_runs[0], 0) << "train --json names the run";
    }

    QString runList() const { return QStringLiteral("%1,%2").arg(m_runs[0]).arg(m_runs[1]); }

    QString m_project;
    QList<qint64> m_runs;
};

TEST_F(CliReportTest, JsonAndCsvReportsHoldTheRunsAndTheirStoredMetrics)
{
    const QString json = path(QStringLiteral("report.json"));
    auto r = runCli({QStringLiteral("report"), m_project, QStringLiteral("--runs"), runList(), QStringLiteral("--format"),
                     QStringLiteral("json"), QStringLiteral("-o"), json, QStringLiteral("--title"), QStringLiteral("Iris learning rates"),
                     QStringLiteral("--author"), QStringLiteral("Ada")});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    EXPECT_TRUE(r.out.startsWith("wrote " + json.toUtf8() + " (json, 2 runs, ")) << r.out.constData();
    QFile f(json);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    QJsonParseError error;
    const QJsonObject doc = QJsonDocument::fromJson(f.readAll(), &error).object();
    ASSERT_EQ(error.error, QJsonParseError::NoError);
    EXPECT_EQ(doc.value(QStringLiteral("title")).toString(), QStringLiteral("Iris learning rates"));
    EXPECT_EQ(doc.value(QStringLiteral("author")).toString(), QStringLiteral("Ada"));
    const QJsonArray runs = doc.value(QStringLiteral("runs")).toArray();
    ASSERT_EQ(runs.size(), 2);
    EXPECT_EQ(runs.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("fast"));
    QStringList sections;
    for (const QJsonValue &s : doc.value(QStringLiteral("sections")).toArray())
        sections << s.toObject().value(QStringLiteral("id")).toString();
    for (const char *id : {"dataset", "architecture", "hyperparameters", "metrics", "curves", "confusion", "roc", "pr",
                           "calibration", "environment", "lineage"})
        EXPECT_TRUE(sections.contains(QLatin1String(id))) << id;

    // The metrics table's test_accuracy is what `mlwb runs --json` says.
    auto list = runCli({QStringLiteral("runs"), m_project, QStringLiteral("--json")});
    ASSERT_EQ(list.exitCode, 0);
    QHash<QString, double> accuracy;
    for (const QJsonValue &v : list.json().value(QStringLiteral("runs")).toArray())
        accuracy.insert(v.toObject().value(QStringLiteral("name")).toString(),
                        v.toObject().value(QStringLiteral("summary")).toObject().value(QStringLiteral("test_accuracy")).toDouble(-1));
    ASSERT_GE(accuracy.value(QStringLiteral("fast"), -1), 0.0) << list.out.constData();
    bool found = false;
    for (const QJsonValue &s : doc.value(QStringLiteral("sections")).toArray()) {
        if (s.toObject().value(QStringLiteral("id")).toString() != u"metrics")
            continue;
        for (const QJsonValue &b : s.toObject().value(QStringLiteral("blocks")).toArray()) {
            const QJsonObject t = b.toObject();
            const qsizetype col = t.value(QStringLiteral("header")).toVariant().toStringList().indexOf(QStringLiteral("test_accuracy"));
            if (t.value(QStringLiteral("type")).toString() != u"table" || col < 0)
                continue;
            const QJsonArray rows = t.value(QStringLiteral("rows")).toArray();
            for (qsizetype i = 0; i < rows.size(); ++i) {
                const QString name = rows.at(i).toArray().at(0).toString();
                EXPECT_EQ(t.value(QStringLiteral("values")).toArray().at(i).toArray().at(col).toDouble(), accuracy.value(name)) << qPrintable(name);
                found = true;
            }
        }
    }
    EXPECT_TRUE(found);

    const QString csv = path(QStringLiteral("report.csv"));
    r = runCli({QStringLiteral("report"), m_project, QStringLiteral("--runs"), runList(), QStringLiteral("--format"), QStringLiteral("csv"),
                QStringLiteral("-o"), csv, QStringLiteral("--sections"), QStringLiteral("metrics,curves"), QStringLiteral("--json")});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    EXPECT_EQ(r.json().value(QStringLiteral("sections")).toArray(), (QJsonArray{QStringLiteral("metrics"), QStringLiteral("curves")}));
    QFile c(csv);
    ASSERT_TRUE(c.open(QIODevice::ReadOnly));
    const QByteArray text = c.readAll();
    EXPECT_TRUE(text.startsWith("section,block,type,title,run_id,run,row,column,x,y,value\n"));
    const QByteArray needle = QStringLiteral(",%1,fast,fast,test_accuracy,,,").arg(m_runs[0]).toUtf8();
    EXPECT_TRUE(text.contains(needle)) << text.left(2000).constData();
    EXPECT_TRUE(text.contains(",chart,loss,")) << "the learning curve's points";
}

TEST_F(CliReportTest, ErrorsHaveTheCliExitCodes)
{
    const QString out = path(QStringLiteral("r.json"));
    auto unknown = runCli({QStringLiteral("report"), m_project, QStringLiteral("--runs"), QStringLiteral("%1,999").arg(m_runs[0]),
                           QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("-o"), out});
    EXPECT_EQ(unknown.exitCode, 1);
    EXPECT_TRUE(unknown.err.contains("run 999 is not in the project")) << unknown.err.constData();
    EXPECT_FALSE(QFile::exists(out)) << "nothing written";

    auto format = runCli({QStringLiteral("report"), m_project, QStringLiteral("--runs"), runList(), QStringLiteral("--format"),
                          QStringLiteral("jsn"), QStringLiteral("-o"), out});
    EXPECT_EQ(format.exitCode, 2);
    EXPECT_TRUE(format.err.contains("did you mean json?")) << format.err.constData();
    auto section = runCli({QStringLiteral("report"), m_project, QStringLiteral("--runs"), runList(), QStringLiteral("--format"),
                           QStringLiteral("json"), QStringLiteral("-o"), out, QStringLiteral("--sections"), QStringLiteral("metrcs")});
    EXPECT_EQ(section.exitCode, 2);
    EXPECT_TRUE(section.err.contains("unknown section \"metrcs\" (did you mean metrics?)")) << section.err.constData();
    auto ids = runCli({QStringLiteral("report"), m_project, QStringLiteral("--runs"), QStringLiteral("one"), QStringLiteral("--format"),
                       QStringLiteral("json"), QStringLiteral("-o"), out});
    EXPECT_EQ(ids.exitCode, 2);
    auto missing = runCli({QStringLiteral("report"), m_project, QStringLiteral("--runs"), runList(), QStringLiteral("-o"), out});
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_TRUE(missing.err.contains("--format is missing")) << missing.err.constData();
    auto unwritable = runCli({QStringLiteral("report"), m_project, QStringLiteral("--runs"), runList(), QStringLiteral("--format"),
                              QStringLiteral("csv"), QStringLiteral("-o"), path(QStringLiteral("no/dir/r.csv"))});
    EXPECT_EQ(unwritable.exitCode, 1);
    EXPECT_TRUE(unwritable.err.contains("no/dir/r.csv")) << unwritable.err.constData();
}

// PDF, HTML and Markdown through the same command, and a definition kept with --save and
// rendered again with --report after another run finished.
TEST_F(CliReportTest, PdfHtmlMarkdownAndAStoredDefinitionRenderedAgain)
{
    const QString pdf = path(QStringLiteral("report.pdf"));
    auto r = runCli({QStringLiteral("report"), m_project, QStringLiteral("--runs"), runList(), QStringLiteral("--format"),
                     QStringLiteral("pdf"), QStringLiteral("-o"), pdf, QStringLiteral("--paper"), QStringLiteral("letter"),
                     QStringLiteral("--save"), QStringLiteral("weekly")});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    QProcess text;
    text.start(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
    ASSERT_TRUE(text.waitForFinished(60000)) << "pdftotext (poppler-utils) is required";
    const QByteArray words = text.readAllStandardOutput();
    EXPECT_TRUE(words.contains("fast") && words.contains("slow")) << words.left(800).constData();
    QProcess info;
    info.start(QStringLiteral("pdfinfo"), {pdf});
    ASSERT_TRUE(info.waitForFinished(60000));
    EXPECT_TRUE(info.readAllStandardOutput().contains("612 x 792")) << "US Letter";

    const QString html = path(QStringLiteral("report.html"));
    r = runCli({QStringLiteral("report"), m_project, QStringLiteral("--runs"), runList(), QStringLiteral("--format"), QStringLiteral("html"),
                QStringLiteral("-o"), html});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    QFile h(html);
    ASSERT_TRUE(h.open(QIODevice::ReadOnly));
    const QByteArray page = h.readAll();
    EXPECT_TRUE(page.contains("<svg") && page.contains("fast")) << page.left(400).constData();
    EXPECT_FALSE(page.contains("<script"));

    const QString md = path(QStringLiteral("report.md"));
    r = runCli({QStringLiteral("report"), m_project, QStringLiteral("--runs"), runList(), QStringLiteral("--format"), QStringLiteral("md"),
                QStringLiteral("-o"), md, QStringLiteral("--sections"), QStringLiteral("metrics,curves")});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    EXPECT_TRUE(QFile::exists(path(QStringLiteral("report_files/chart-1.svg")))) << "the charts beside it";

    // The stored definition, listed; a third run, then the definition rendered again covers what it names.
    auto list = runCli({QStringLiteral("report"), m_project, QStringLiteral("--list"), QStringLiteral("--json")});
    ASSERT_EQ(list.exitCode, 0) << list.err.constData();
    const QJsonArray reports = list.json().value(QStringLiteral("reports")).toArray();
    ASSERT_EQ(reports.size(), 1);
    const QJsonObject weekly = reports.at(0).toObject();
    EXPECT_EQ(weekly.value(QStringLiteral("name")).toString(), QStringLiteral("weekly"));
    EXPECT_EQ(weekly.value(QStringLiteral("format")).toString(), QStringLiteral("pdf"));
    EXPECT_EQ(weekly.value(QStringLiteral("paper")).toString(), QStringLiteral("letter"));
    EXPECT_EQ(weekly.value(QStringLiteral("rendered_to")).toString(), QFileInfo(pdf).absoluteFilePath());
    const QString again = path(QStringLiteral("again.json"));
    r = runCli({QStringLiteral("report"), m_project, QStringLiteral("--report"), QStringLiteral("weekly"), QStringLiteral("--format"),
                QStringLiteral("json"), QStringLiteral("-o"), again, QStringLiteral("--json")});
    ASSERT_EQ(r.exitCode, 0) << r.err.constData();
    EXPECT_EQ(r.json().value(QStringLiteral("runs")).toArray().size(), 2);
    auto missing = runCli({QStringLiteral("report"), m_project, QStringLiteral("--report"), QStringLiteral("monthly"), QStringLiteral("-o"), again});
    EXPECT_EQ(missing.exitCode, 1);
    EXPECT_TRUE(missing.err.contains("no report monthly")) << missing.err.constData();
}
