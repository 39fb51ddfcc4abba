// SPDX-License-Identifier: MIT
// Several processes on one file: concurrent writers, and a writer killed mid-flight.

#include "store/database.h"
#include "store/metric_reader.h"
#include "store_fixture.h"

#include <QProcess>

#include <csignal>

using namespace mlwb;
using namespace mlwb::test;

class ProcessesTest : public TempDirTest {};

TEST_F(ProcessesTest, TwoProcessesWrite100kPointsEach)
{
    const QString p = path(QStringLiteral("shared.mlwb"));
    qint64 runA, runB;
    {
        auto project = ProjectFile::create(p);
        ASSERT_TRUE(project.ok());
        runA = addRun(**project);
        runB = addRun(**project);
    }
    QProcess a, b;
    a.start(executablePath(QStringLiteral("mlwb_store_child")),
            {p, QString::number(runA), QStringLiteral("100000"), QStringLiteral("2000")});
    b.start(executablePath(QStringLiteral("mlwb_store_child")),
            {p, QString::number(runB), QStringLiteral("100000"), QStringLiteral("2000")});
    ASSERT_TRUE(a.waitForFinished(120000));
    ASSERT_TRUE(b.waitForFinished(120000));
    EXPECT_EQ(a.exitCode(), 0) << a.readAllStandardError().constData();
    EXPECT_EQ(b.exitCode(), 0) << b.readAllStandardError().constData();
    EXPECT_FALSE(a.readAllStandardError().contains("locked"));

    auto project = ProjectFile::open(p);
    ASSERT_TRUE(project.ok());
    EXPECT_EQ((*project)->counts()->value(u"metric_points"), 200000);
    RunRepository runs((*project)->db());
    EXPECT_EQ(runs.get(runA)->status, RunStatus::Finished);
    EXPECT_EQ(runs.get(runB)->status, RunStatus::Finished);
    MetricReader reader((*project)->db());
    auto s = reader.series(runB, QStringLiteral("loss"));
    ASSERT_EQ(s->size(), 100000u);
    EXPECT_DOUBLE_EQ(s->back().value, 99999 * 0.5);
}

TEST_F(ProcessesTest, SigkillDuringLoggingLosesNoCommittedBatch)
{
    const QString p = path(QStringLiteral("crash.mlwb"));
    qint64 run;
    {
        auto project = ProjectFile::create(p);
        ASSERT_TRUE(project.ok());
        run = addRun(**project);
    }
    QProcess child;
    child.start(executablePath(QStringLiteral("mlwb_store_child")),
                {p, QString::number(run), QStringLiteral("1000000"), QStringLiteral("10000")});
    ASSERT_TRUE(child.waitForStarted());
    // Wait until a good part is committed, then kill it without warning.
    qint64 acknowledged = 0;
    while (acknowledged < 300000 && child.state() == QProcess::Running) {
        child.waitForReadyRead(10000);
        while (child.canReadLine()) {
            const QByteArray line = child.readLine().trimmed();
            if (line.startsWith("committed "))
                acknowledged = line.mid(10).toLongLong();
        }
    }
    ASSERT_EQ(child.state(), QProcess::Running) << "the child finished before the kill";
    ::kill(pid_t(child.processId()), SIGKILL);
    ASSERT_TRUE(child.waitForFinished(30000));
    EXPECT_EQ(child.exitStatus(), QProcess::CrashExit);

    {
        auto db = Database::open(p, Database::Mode::ReadOnly);
        ASSERT_TRUE(db.ok());
        EXPECT_EQ(*db->queryText(QStringLiteral("PRAGMA integrity_check")), QStringLiteral("ok"));
    }
    auto project = ProjectFile::open(p);
    ASSERT_TRUE(project.ok()) << qPrintable(project.error());
    RunRepository runs((*project)->db());
    EXPECT_EQ(runs.get(run)->status, RunStatus::Interrupted);

    // Every acknowledged point is there, and what is there is a gap-free prefix of whole batches.
    MetricReader reader((*project)->db());
    auto s = reader.series(run, QStringLiteral("loss"));
    ASSERT_TRUE(s.ok());
    EXPECT_GE(qint64(s->size()), acknowledged);
    EXPECT_LT(s->size(), 1000000u);
    for (size_t i = 0; i < s->size(); ++i) {
        ASSERT_EQ((*s)[i].step, qint64(i));
        ASSERT_DOUBLE_EQ((*s)[i].value, double(i) * 0.5);
    }
    auto latest = reader.latest({run});
    ASSERT_EQ(latest->size(), 1);
    EXPECT_EQ(latest->first().step, qint64(s->size()) - 1) << "latest is kept in the same commit";
}
