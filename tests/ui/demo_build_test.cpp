// SPDX-License-Identifier: MIT
// "Open demo project" on the Start page when the demo is missing: it is built as a job (the
// real DemoProject: imports, trainings, a sweep), its progress shown on the page and in the
// Jobs pane, and opened when done.

#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "panes/jobs/jobs_pane.h"
#include "panes/start/start_page.h"
#include "store/dataset_repository.h"
#include "ui_fixture.h"

#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

using namespace mlwb;
using namespace mlwb::test;

using DemoBuildTest = UiTest;

TEST_F(DemoBuildTest, OpenDemoProjectBuildsItWhenMissingThenOpensIt)
{
    const QString demo = path(QStringLiteral("demo/demo.mlwb"));
    qputenv("MLWB_DEMO_PROJECT", demo.toUtf8());
    m_window = std::make_unique<MainWindow>();
    Features::install(*m_window);
    m_window->setDemoDatasetsDir(datasetPath(QString()));
    m_window->show();
    MainWindow &w = *m_window;
    StartPage *start = w.documents()->startPage();
    auto *button = start->findChild<QPushButton *>(QStringLiteral("StartDemo"));
    auto *progress = start->findChild<QProgressBar *>(QStringLiteral("StartDemoProgress"));
    auto *status = start->findChild<QLabel *>(QStringLiteral("StartDemoStatus"));
    ASSERT_TRUE(button && progress && status);
    ASSERT_FALSE(QFileInfo::exists(demo));

    button->click();
    const int job = start->demoJob();
    ASSERT_NE(job, 0);
    EXPECT_FALSE(button->isEnabled());
    EXPECT_TRUE(progress->isVisible());
    ASSERT_EQ(w.jobManager()->jobs().size(), 1);
    EXPECT_EQ(w.jobManager()->jobs().first().title, QStringLiteral("build the demo project"));
    // The page follows the job: its message and progress as the training advances.
    (void)QTest::qWaitFor([&] { return progress->value() > 0; }, 120000);
    EXPECT_GT(progress->value(), 0);
    EXPECT_TRUE(status->text().startsWith(QStringLiteral("Building the demo project: training")))
        << qPrintable(status->text());
    saveScreenshot(w, QStringLiteral("start-page-demo-building.png"), 0);

    (void)QTest::qWaitFor([&] { return w.project() != nullptr; }, 600000);
    ASSERT_NE(w.project(), nullptr) << qPrintable(w.messageBar()->text());
    EXPECT_EQ(w.project()->path(), demo);
    EXPECT_EQ(start->demoJob(), 0);
    EXPECT_EQ(w.jobManager()->job(job).status, JobState::Status::Finished);
    auto datasets = w.project()->datasets().list();
    ASSERT_TRUE(datasets.ok());
    QStringList names;
    for (const auto &d : *datasets)
        names << d.name;
    names.sort();
    EXPECT_EQ(names, (QStringList{QStringLiteral("diabetes"), QStringLiteral("digits"),
                                  QStringLiteral("iris")}));
    qunsetenv("MLWB_DEMO_PROJECT");
}

TEST_F(DemoBuildTest, CancelStopsTheBuildWithinATrainingAndLeavesNoFile)
{
    const QString demo = path(QStringLiteral("demo/demo.mlwb"));
    qputenv("MLWB_DEMO_PROJECT", demo.toUtf8());
    m_window = std::make_unique<MainWindow>();
    Features::install(*m_window);
    m_window->setDemoDatasetsDir(datasetPath(QString()));
    m_window->show();
    MainWindow &w = *m_window;
    StartPage *start = w.documents()->startPage();
    auto *progress = start->findChild<QProgressBar *>(QStringLiteral("StartDemoProgress"));
    start->findChild<QPushButton *>(QStringLiteral("StartDemo"))->click();
    const int job = start->demoJob();
    ASSERT_NE(job, 0);
    // Within the first training (iris, 60 epochs): its epochs move the demo's progress.
    (void)QTest::qWaitFor([&] { return progress->value() > 0; }, 60000);
    ASSERT_GT(progress->value(), 0);
    ASSERT_LT(progress->value(), 250);
    QElapsedTimer timer;
    timer.start();
    start->findChild<QPushButton *>(QStringLiteral("StartDemoCancel"))->click();
    (void)QTest::qWaitFor([&] { return start->demoJob() == 0; }, 60000);
    EXPECT_LT(timer.elapsed(), 5000);
    EXPECT_EQ(w.jobManager()->job(job).status, JobState::Status::Canceled);
    EXPECT_FALSE(QFileInfo::exists(demo));
    EXPECT_EQ(w.project(), nullptr);
    EXPECT_NE(w.messageBar()->type(), MessageBar::Type::Error) << qPrintable(w.messageBar()->text());
    EXPECT_TRUE(start->findChild<QPushButton *>(QStringLiteral("StartDemo"))->isEnabled());
    qunsetenv("MLWB_DEMO_PROJECT");
}
