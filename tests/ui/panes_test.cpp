// SPDX-License-Identifier: MIT
// Jobs, Log and Inspector panes over their models.

#include "common/logging.h"
#include "jobs/job.h"
#include "jobs/job_feedback.h"
#include "jobs/job_manager.h"
#include "models/job_list_model.h"
#include "models/log_model.h"
#include "models/property_tree_model.h"
#include "panes/explorer/explorer_pane.h"
#include "panes/inspector/inspector_pane.h"
#include "panes/jobs/jobs_pane.h"
#include "panes/log/log_pane.h"
#include "panes/log/log_sink.h"
#include "ui_fixture.h"
#include "widgets/message_bar.h"
#include "common/format.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QHeaderView>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QToolButton>
#include <QTreeView>
#include <QUndoStack>

#include <atomic>
#include <thread>

using namespace mlwb;
using namespace mlwb::test;

namespace {

// Runs until canceled, reporting progress.
class EndlessJob : public Job {
public:
    QString title() const override { return QStringLiteral("endless"); }
    Status run(JobFeedback &feedback) override
    {
        for (int i = 0; !feedback.isCanceled(); ++i) {
            feedback.setProgress(std::min(0.9, i / 1000.0), QStringLiteral("step %1").arg(i));
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return cancelled(QStringLiteral("stopped"));
    }
};

} // namespace

using PanesTest = UiTest;

TEST_F(PanesTest, JobsPaneShowsAJobAndCancelStopsIt)
{
    MainWindow &w = openWindow();
    JobListModel *model = w.jobsPane()->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const int id = w.jobManager()->submit(std::make_unique<EndlessJob>());
    ASSERT_EQ(model->rowCount(), 1);
    EXPECT_EQ(model->index(0, JobListModel::TitleColumn).data().toString(),
              QStringLiteral("endless"));
    MLWB_TRY_VERIFY(model->state(0).status == JobState::Status::Running &&
                    model->state(0).progress > 0);
    EXPECT_TRUE(model->index(0, JobListModel::ProgressColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("step")));

    auto *cancel = qobject_cast<QToolButton *>(
        w.jobsPane()->view()->indexWidget(model->index(0, JobListModel::CancelColumn)));
    ASSERT_NE(cancel, nullptr);
    EXPECT_TRUE(cancel->isEnabled());
    QSignalSpy finished(w.jobManager(), &JobManager::jobFinished);
    cancel->click();
    ASSERT_TRUE(finished.wait(5000));
    EXPECT_EQ(w.jobManager()->job(id).status, JobState::Status::Canceled);
    MLWB_TRY_EQ(model->state(0).status, JobState::Status::Canceled);
    EXPECT_FALSE(cancel->isEnabled());
    EXPECT_EQ(model->index(0, JobListModel::ProgressColumn).data().toString(),
              QStringLiteral("Canceled"));

    // However narrow the dock, no column title is cut.
    QTreeView *view = w.jobsPane()->view();
    view->resize(160, view->height());
    QHeaderView *header = view->header();
    for (int c = 0; c < model->columnCount(); ++c) {
        const QString title = model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
        EXPECT_GE(header->sectionSize(c), header->fontMetrics().horizontalAdvance(title)) << qPrintable(title);
    }

    w.jobManager()->clearFinished();
    EXPECT_EQ(model->rowCount(), 0);
}

TEST_F(PanesTest, NoticesCloseThemselvesErrorsAndActionsStay)
{
    MainWindow &w = openWindow();
    MessageBar *bar = w.messageBar();
    bar->setAutoHideDelay(50);
    w.showMessage(QStringLiteral("Imported data set \u201ciris\u201d."), MessageBar::Type::Positive);
    EXPECT_TRUE(bar->isVisible());
    EXPECT_TRUE(bar->autoHides());
    MLWB_TRY_VERIFY(!bar->isVisible());

    w.showError(QStringLiteral("Importing failed"));
    EXPECT_FALSE(bar->autoHides());
    QTest::qWait(300);
    EXPECT_TRUE(bar->isVisible()) << "an error stays until it is closed";

    QAction undo(QStringLiteral("Undo"));
    w.showMessage(QStringLiteral("Deleted run 3."), MessageBar::Type::Information, {&undo});
    EXPECT_FALSE(bar->autoHides()) << "a notice that offers an action stays";
    QTest::qWait(300);
    EXPECT_TRUE(bar->isVisible());
}

TEST_F(PanesTest, LogPaneShowsMlwbMessagesWithFilter)
{
    MainWindow &w = openWindow();
    LogModel *model = w.logSink()->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    w.logSink()->flush();
    model->clear();
    qCWarning(lcStore) << "disk almost full";
    qCInfo(lcJobs) << "job started";
    qWarning("not ours");
    // From a worker thread too.
    std::thread([] { qCInfo(lcTrain) << "epoch 3 done"; }).join();
    MLWB_TRY_EQ(model->rowCount(), 3);
    EXPECT_EQ(model->entry(0).category, QStringLiteral("mlwb.store"));
    EXPECT_EQ(model->entry(0).level, QtWarningMsg);
    EXPECT_EQ(model->index(0, LogModel::LevelColumn).data().toString(), QStringLiteral("warning"));
    EXPECT_FALSE(model->index(0, LogModel::TimeColumn).data().toString().isEmpty());

    w.logPane()->filterEdit()->setText(QStringLiteral("epoch"));
    EXPECT_EQ(w.logPane()->proxy()->rowCount(), 1);
    w.logPane()->filterEdit()->clear();
    EXPECT_EQ(w.logPane()->proxy()->rowCount(), 3);
}

TEST_F(PanesTest, LogModelKeepsTheNewestWithinCapacity)
{
    LogModel model(3);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QList<LogEntry> entries;
    for (int i = 0; i < 5; ++i)
        entries << LogEntry{QDateTime::currentDateTime(), QtInfoMsg, QStringLiteral("mlwb.x"),
                            QString::number(i)};
    model.append(entries.mid(0, 2));
    model.append(entries.mid(2));
    ASSERT_EQ(model.rowCount(), 3);
    EXPECT_EQ(model.entry(0).message, QStringLiteral("2"));
    EXPECT_EQ(model.entry(2).message, QStringLiteral("4"));
}

TEST_F(PanesTest, InspectorShowsPropertiesAndRenamesWithUndo)
{
    MainWindow &w = openWindow();
    PropertyTreeModel *model = w.inspector()->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    // Nothing selected: the project.
    MLWB_TRY_VERIFY(model->indexOf(QStringLiteral("Project"), QStringLiteral("Path")).isValid());

    w.explorer()->select({ItemKind::Run, m_ids.runs[0]});
    auto value = [model](const QString &group, const QString &label) {
        return model->indexOf(group, label).data().toString();
    };
    EXPECT_EQ(value(QStringLiteral("General"), QStringLiteral("Name")), QStringLiteral("baseline"));
    EXPECT_EQ(value(QStringLiteral("General"), QStringLiteral("Status")),
              QStringLiteral("finished"));
    EXPECT_EQ(value(QStringLiteral("General"), QStringLiteral("Model")),
              QStringLiteral("iris-mlp, version 1"));
    EXPECT_EQ(value(QStringLiteral("General"), QStringLiteral("Data set")), QStringLiteral("iris"));
    EXPECT_EQ(value(QStringLiteral("Hyperparameters"), QStringLiteral("learning_rate")),
              QStringLiteral("0.01"));
    EXPECT_EQ(value(QStringLiteral("Summary"), QStringLiteral("test/accuracy")),
              QStringLiteral("0.9667"));
    EXPECT_TRUE(
        model->indexOf(QStringLiteral("Latest metrics"), QStringLiteral("val/accuracy")).isValid());

    w.explorer()->select({ItemKind::Dataset, m_ids.datasets[1]});
    EXPECT_EQ(value(QStringLiteral("General"), QStringLiteral("Rows")), QStringLiteral("1797"));
    EXPECT_EQ(value(QStringLiteral("General"), QStringLiteral("Columns")), QStringLiteral("65"));
    EXPECT_EQ(value(QStringLiteral("Schema"), QStringLiteral("Target")), QStringLiteral("digit"));
    EXPECT_EQ(model->indexOf(QStringLiteral("General"), QStringLiteral("Content hash"))
                  .data()
                  .toString()
                  .size(),
              13);

    const QModelIndex name = model->indexOf(QStringLiteral("General"), QStringLiteral("Name"));
    ASSERT_TRUE(model->flags(name) & Qt::ItemIsEditable);
    ASSERT_TRUE(model->setData(name, QStringLiteral("digits-8x8")));
    EXPECT_EQ(w.project()->datasets().get(m_ids.datasets[1])->name, QStringLiteral("digits-8x8"));
    MLWB_TRY_EQ(value(QStringLiteral("General"), QStringLiteral("Name")),
                QStringLiteral("digits-8x8"));
    w.undoStack()->undo();
    MLWB_TRY_EQ(value(QStringLiteral("General"), QStringLiteral("Name")), QStringLiteral("digits"));
}
