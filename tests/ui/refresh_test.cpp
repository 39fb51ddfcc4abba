// SPDX-License-Identifier: MIT
// Changes made by another connection reach the window through Project's polling; a project
// another writer holds on a network file system opens read-only with a banner.

#include "charts/metric_chart_view.h"
#include "mainwindow/document_area.h"
#include "mainwindow/project_status_bar.h"
#include "mainwindow/read_only_banner.h"
#include "panes/explorer/explorer_pane.h"
#include "panes/run/run_overview.h"
#include "panes/run/run_pane.h"
#include "store/model_repository.h"
#include "store/run_repository.h"
#include "store/schema.h"
#include "ui_fixture.h"

#include <QAction>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTreeView>

using namespace mlwb;
using namespace mlwb::test;

using RefreshTest = UiTest;

TEST_F(RefreshTest, ProjectEmitsTypedSignalsForAnotherWritersChanges)
{
    auto project = Project::open(m_path);
    ASSERT_TRUE(project.ok());
    QSignalSpy runs(project->get(), &Project::runsChanged);
    QSignalSpy run(project->get(), &Project::runChanged);
    QSignalSpy datasets(project->get(), &Project::datasetsChanged);

    auto other = ProjectFile::open(m_path);
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE(RunRepository((*other)->db())
                    .setStatus(m_ids.runs[4], RunStatus::Failed, QStringLiteral("x"))
                    .ok());
    ASSERT_TRUE(runs.wait(5000));
    MLWB_TRY_VERIFY(!run.isEmpty());
    EXPECT_EQ(run.first().first().toLongLong(), m_ids.runs[4]);
    EXPECT_TRUE(datasets.isEmpty());
}

TEST_F(RefreshTest, AnotherWritersNewRunAppearsAndTheSelectionStays)
{
    MainWindow &w = openWindow();
    const ItemRef selected{ItemKind::Run, m_ids.runs[2]};
    w.explorer()->select(selected);
    ASSERT_EQ(w.selection(), QList<ItemRef>{selected});
    const int before = tree().rowCount(indexOf(ItemKind::Model, m_ids.models[1]));

    auto other = ProjectFile::open(m_path);
    ASSERT_TRUE(other.ok());
    ModelRepository models((*other)->db());
    auto version = models.latestVersion(m_ids.models[1]);
    ASSERT_TRUE(version.ok());
    RunRecord r;
    r.modelVersionId = version->id;
    r.name = QStringLiteral("from-the-cli");
    auto id = RunRepository((*other)->db()).create(r);
    ASSERT_TRUE(id.ok());

    MLWB_TRY_VERIFY(indexOf(ItemKind::Run, *id).isValid());
    EXPECT_EQ(tree().rowCount(indexOf(ItemKind::Model, m_ids.models[1])), before + 1);
    EXPECT_EQ(w.selection(), QList<ItemRef>{selected});
    EXPECT_EQ(w.explorer()->currentRef(), selected);
    EXPECT_EQ(nameOf(ItemKind::Run, *id), QStringLiteral("from-the-cli"));

    // A status change updates the row in place.
    ASSERT_TRUE(RunRepository((*other)->db()).setStatus(*id, RunStatus::Failed).ok());
    MLWB_TRY_EQ(tree()
                    .indexOf({ItemKind::Run, *id})
                    .siblingAtColumn(ProjectTreeModel::DetailColumn)
                    .data()
                    .toString(),
                QStringLiteral("failed"));
    EXPECT_EQ(w.selection(), QList<ItemRef>{selected});
}

TEST_F(RefreshTest, ReadOnlyBannerWhenAnotherProcessHoldsTheWriteLease)
{
    qputenv("MLWB_ASSUME_NETWORK_FS", "1");
    ProjectOpenOptions options;
    options.program = QStringLiteral("mlwb");
    auto writer = ProjectFile::open(m_path, options);
    ASSERT_TRUE(writer.ok());
    ASSERT_FALSE((*writer)->isReadOnly());

    MainWindow &w = openWindow();
    ASSERT_TRUE(w.project()->isReadOnly());
    EXPECT_TRUE(w.readOnlyBanner()->isVisibleTo(&w));
    EXPECT_TRUE(w.readOnlyBanner()->text().contains(QStringLiteral("is writing (mlwb, pid")))
        << qPrintable(w.readOnlyBanner()->text());
    EXPECT_TRUE(w.projectStatusBar()->accessText().startsWith(QStringLiteral("read-only: ")))
        << qPrintable(w.projectStatusBar()->accessText());
    EXPECT_TRUE(w.windowTitle().contains(QStringLiteral("[read-only]")));
    w.explorer()->select({ItemKind::Dataset, m_ids.datasets[0]});
    EXPECT_FALSE(w.actions().rename->isEnabled());
    EXPECT_FALSE(w.actions().deleteItems->isEnabled());
    EXPECT_FALSE(tree().flags(indexOf(ItemKind::Dataset, m_ids.datasets[0])) & Qt::ItemIsEditable);

    // While the writer holds on, trying changes nothing.
    w.readOnlyBanner()->tryEditAction()->trigger();
    EXPECT_TRUE(w.project()->isReadOnly());

    // The writer leaves: "Try to edit" takes the lease.
    writer->reset();
    QSignalSpy readOnly(w.project(), &Project::readOnlyChanged);
    w.readOnlyBanner()->tryEditAction()->trigger();
    EXPECT_FALSE(w.project()->isReadOnly());
    EXPECT_EQ(readOnly.count(), 1);
    EXPECT_FALSE(w.readOnlyBanner()->isVisibleTo(&w));
    EXPECT_EQ(w.projectStatusBar()->accessText(), QStringLiteral("read-write"));
    EXPECT_TRUE(w.actions().rename->isEnabled());
    w.renameItem({ItemKind::Dataset, m_ids.datasets[0]}, QStringLiteral("iris-edited"));
    EXPECT_EQ(w.project()->datasets().get(m_ids.datasets[0])->name, QStringLiteral("iris-edited"));
}

// What the window shows for a colleague's older file read as it is (the workbench opens a file
// read-only when it cannot write it, which a test running as root cannot arrange).
TEST_F(RefreshTest, OlderFileReadOnlySaysWhenItIsUpgraded)
{
    const QString p = path(QStringLiteral("old.mlwb"));
    ASSERT_TRUE(QFile::copy(testDataPath(QStringLiteral("fixtures/v1.mlwb")), p));
    QFile::setPermissions(p, QFile::ReadOwner | QFile::WriteOwner);
    auto project = Project::open(p, {true, QStringLiteral("mlwb-workbench"), 0});
    ASSERT_TRUE(project.ok()) << qPrintable(project.error());
    const QString note = QStringLiteral("schema 1, upgraded to %1 when opened for writing")
                             .arg(Schema::currentVersion());
    ProjectStatusBar status;
    status.setProject(project->get());
    EXPECT_EQ(status.accessText(), QStringLiteral("read-only: ") + note);
    ReadOnlyBanner banner;
    banner.setProject(project->get());
    EXPECT_EQ(banner.text(), QStringLiteral("<b>Read-only:</b> ") + note + u'.');
}

// Monitoring will stream samples into an open file every few seconds. Here another process
// streams 10 metric points a second into a run for a minute while the window shows the run in
// the explorer and in an open tab: both follow the stream and end current. The GUI thread's time
// spent refreshing (Project::refreshStats: reading the change feed and every slot it runs) is
// printed, not asserted.
TEST_F(RefreshTest, AMinuteOfStreamedPointsFromAnotherProcessKeepsTheWindowCurrent)
{
    MainWindow &w = openWindow();
    qint64 runId = 0;
    {
        auto other = ProjectFile::open(m_path);
        ASSERT_OK(other);
        auto version = ModelRepository((*other)->db()).latestVersion(m_ids.models[1]);
        ASSERT_OK(version);
        RunRecord r;
        r.modelVersionId = version->id;
        r.name = QStringLiteral("streamed");
        auto id = RunRepository((*other)->db()).create(r);
        ASSERT_OK(id);
        runId = *id;
    }
    MLWB_TRY_VERIFY(indexOf(ItemKind::Run, runId).isValid());
    ASSERT_TRUE(w.documents()->open({ItemKind::Run, runId}));
    auto *pane = qobject_cast<RunPane *>(w.documents()->document({ItemKind::Run, runId}));
    ASSERT_NE(pane, nullptr);

    const Project::RefreshStats before = w.project()->refreshStats();
    constexpr int kPoints = 600; // 60 s at 10 points a second
    QProcess child;
    child.start(executablePath(QStringLiteral("mlwb_store_child")),
                {m_path, QString::number(runId), QString::number(kPoints), QStringLiteral("0"),
                 QStringLiteral("100")});
    ASSERT_TRUE(child.waitForStarted(10000));
    QElapsedTimer clock;
    clock.start();
    // While it streams, the tab's chart keeps up: never more than four seconds (40 points)
    // behind what the child can have logged by then.
    int looks = 0;
    while (child.state() != QProcess::NotRunning && clock.elapsed() < 150000) {
        QTest::qWait(5000);
        const double streamed = double(clock.elapsed()) / 100.0; // points the child has logged by now, at most
        MetricChartView *chart = pane->overview()->chart(QStringLiteral("loss"));
        if (chart == nullptr || chart->points().isEmpty() || child.state() == QProcess::NotRunning)
            continue;
        ++looks;
        EXPECT_GT(chart->points().last().x(), std::min(streamed, double(kPoints)) - 40)
            << "the tab lags the stream by more than four seconds at " << clock.elapsed() << " ms";
    }
    ASSERT_EQ(child.state(), QProcess::NotRunning) << "the stream did not end in 150 s";
    ASSERT_EQ(child.exitCode(), 0) << child.readAllStandardError().toStdString();
    const qint64 wallMs = clock.elapsed();
    EXPECT_GE(looks, 8);

    MLWB_TRY_VERIFY(pane->overview()->chart(QStringLiteral("loss")) != nullptr &&
                    pane->overview()->chart(QStringLiteral("loss"))->points().last().x() == kPoints - 1);
    MLWB_TRY_EQ(tree()
                    .indexOf({ItemKind::Run, runId})
                    .siblingAtColumn(ProjectTreeModel::DetailColumn)
                    .data()
                    .toString(),
                QStringLiteral("finished"));
    EXPECT_EQ(nameOf(ItemKind::Run, runId), QStringLiteral("streamed"));

    const Project::RefreshStats after = w.project()->refreshStats();
    const qint64 calls = after.calls - before.calls;
    const double totalMs = double(after.totalNs - before.totalNs) / 1e6;
    std::printf("streamed %d points in %.1f s: %lld refreshes, GUI thread %.1f ms refreshing "
                "(%.2f%% of the time, %.2f ms each, longest %.1f ms)\n",
                kPoints, double(wallMs) / 1000.0, static_cast<long long>(calls), totalMs,
                100.0 * totalMs / double(wallMs), calls ? totalMs / double(calls) : 0.0,
                double(after.maxNs) / 1e6);
    EXPECT_GT(calls, 0);
}
