// SPDX-License-Identifier: MIT
// Document tabs: one per item, real views over the stored data, titles follow renames, a
// deleted item's tab closes.

#include "charts/metric_chart_view.h"
#include "mainwindow/document_area.h"
#include "models/property_tree_model.h"
#include "panes/dataset/dataset_overview.h"
#include "panes/explorer/explorer_pane.h"
#include "panes/inspector/inspector_pane.h"
#include "panes/run/run_overview.h"
#include "panes/start/start_page.h"
#include "store/metric_logger.h"
#include "store/run_repository.h"
#include "widgets/icons.h"
#include "mainwindow/features.h"
#include "ui_fixture.h"

#include <QListWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QUndoStack>

using namespace mlwb;
using namespace mlwb::test;

using DocumentsTest = UiTest;

TEST_F(DocumentsTest, StartPageWhileNoProjectIsOpen)
{
    m_window = std::make_unique<MainWindow>();
    Features::install(*m_window);
    EXPECT_EQ(m_window->documents()->currentWidget(), m_window->documents()->startPage());
    ASSERT_TRUE(m_window->openProject(m_path));
    EXPECT_NE(m_window->documents()->currentWidget(), m_window->documents()->startPage());
    ASSERT_TRUE(m_window->documents()->open({ItemKind::Dataset, m_ids.datasets[0]}));
    EXPECT_EQ(m_window->documents()->currentWidget(), m_window->documents()->tabs());
    m_window->closeProject();
    EXPECT_EQ(m_window->documents()->currentWidget(), m_window->documents()->startPage());
    // The project just closed is the first recent one.
    ASSERT_GE(m_window->documents()->startPage()->recentList()->count(), 1);
    EXPECT_EQ(
        m_window->documents()->startPage()->recentList()->item(0)->data(Qt::UserRole).toString(),
        m_path);
}

TEST_F(DocumentsTest, DemoProjectIsFoundThroughTheEnvironment)
{
    qputenv("MLWB_DEMO_PROJECT", m_path.toUtf8());
    EXPECT_EQ(StartPage::demoProjectPath(), m_path);
    qunsetenv("MLWB_DEMO_PROJECT");
    EXPECT_TRUE(StartPage::demoProjectPath().endsWith(QStringLiteral("/demo/demo.mlwb")));
}

TEST_F(DocumentsTest, DatasetOverviewShowsTheStoredSchema)
{
    MainWindow &w = openWindow();
    ASSERT_TRUE(w.documents()->open({ItemKind::Dataset, m_ids.datasets[0]}));
    auto *doc = qobject_cast<DatasetOverview *>(w.documents()->tabs()->currentWidget());
    ASSERT_NE(doc, nullptr);
    QTableWidget *t = doc->columnTable();
    ASSERT_EQ(t->rowCount(), 5);
    EXPECT_EQ(t->item(0, 0)->text(), QStringLiteral("sepal_length_cm"));
    EXPECT_EQ(t->item(0, 1)->text(), QStringLiteral("numeric"));
    EXPECT_EQ(t->item(0, 3)->text(), QStringLiteral("4.3"));
    EXPECT_EQ(t->item(0, 4)->text(), QStringLiteral("7.9"));
    EXPECT_EQ(t->item(4, 8)->text(), QStringLiteral("setosa, versicolor, virginica"));
    EXPECT_EQ(w.documents()->tabs()->tabText(0), QStringLiteral("iris"));

    // Opening again focuses the same tab.
    ASSERT_TRUE(w.documents()->open({ItemKind::Dataset, m_ids.datasets[0]}));
    EXPECT_EQ(w.documents()->tabs()->count(), 1);
}

TEST_F(DocumentsTest, ARunTabShowsTheRunsRealStatus)
{
    MainWindow &w = openWindow();
    const qint64 run = m_ids.runs[0];
    ASSERT_OK(w.project()->runs().setStatus(run, RunStatus::Running));
    ASSERT_TRUE(w.documents()->open({ItemKind::Run, run}));
    QTabWidget *tabs = w.documents()->tabs();
    const int index = tabs->indexOf(w.documents()->document({ItemKind::Run, run}));
    ASSERT_GE(index, 0);
    EXPECT_EQ(tabs->tabIcon(index).cacheKey(), Icons::runStatus(RunStatus::Running).cacheKey());
    EXPECT_NE(tabs->tabIcon(index).cacheKey(), Icons::runStatus(RunStatus::Finished).cacheKey());

    // Interrupted (by another process, or Stop): the tab follows, as the explorer does.
    {
        auto other = ProjectFile::open(m_path);
        ASSERT_OK(other);
        ASSERT_OK(RunRepository((*other)->db()).setStatus(run, RunStatus::Interrupted, QStringLiteral("stopped")));
    }
    MLWB_TRY_VERIFY(tabs->tabIcon(index).cacheKey() == Icons::runStatus(RunStatus::Interrupted).cacheKey());
}

TEST_F(DocumentsTest, RunOverviewChartsAreDecimatedToTheirWidth)
{
    // A long series: more points than any chart has pixels.
    {
        auto file = ProjectFile::open(m_path);
        ASSERT_TRUE(file.ok());
        auto logger = MetricLogger::open(m_path);
        ASSERT_TRUE(logger.ok());
        for (int s = 0; s < 20000; ++s)
            (*logger)->log(m_ids.runs[5], QStringLiteral("grad_norm"), s,
                           s % 997 == 0 ? 50.0 : 1.0);
        ASSERT_TRUE((*logger)->flush().ok());
    }
    MainWindow &w = openWindow();
    ASSERT_TRUE(w.documents()->open({ItemKind::Run, m_ids.runs[5]}));
    QWidget *current = w.documents()->tabs()->currentWidget();
    ASSERT_NE(current, nullptr);
    // The run pane embeds the overview.
    auto *doc = qobject_cast<RunOverview *>(current);
    if (!doc)
        doc = current->findChild<RunOverview *>();
    ASSERT_NE(doc, nullptr);
    EXPECT_EQ(doc->metricsTable()->rowCount(), 3) << "grad_norm, train/loss, val/loss";
    ASSERT_EQ(doc->charts().size(), 2) << "loss (train/loss with val/loss), grad_norm";
    for (MetricChartView *chart : doc->charts()) {
        for (const QString &key : chart->keys()) {
            EXPECT_GT(chart->pointCount(key), 0) << qPrintable(key);
            EXPECT_LE(chart->pointCount(key), chart->bucketCount()) << qPrintable(key);
        }
    }
}

// An empty loss means "chosen by the task": the run tab and the Inspector show which one it is,
// from the run's data set before the run has a summary that says.
TEST_F(DocumentsTest, EmptyLossShowsTheTasksDefaultInTheRunTabAndTheInspector)
{
    qint64 classification = 0, regression = 0, explicitMse = 0;
    {
        auto file = ProjectFile::open(m_path);
        ASSERT_TRUE(file.ok()) << qPrintable(file.error());
        RunRepository runs((*file)->db());
        auto all = runs.list();
        ASSERT_TRUE(all.ok());
        auto runOn = [&](qint64 datasetId, const QString &loss) -> qint64 {
            for (const RunRecord &r : std::as_const(*all))
                if (r.datasetId == datasetId) {
                    RunRecord copy;
                    copy.modelVersionId = r.modelVersionId;
                    copy.datasetId = r.datasetId;
                    copy.hyperparams = QJsonObject{{QStringLiteral("loss"), loss},
                                                   {QStringLiteral("epochs"), 20}};
                    auto id = runs.create(copy);
                    return id ? *id : 0;
                }
            return 0;
        };
        classification = runOn(m_ids.datasets[0], QString());
        regression = runOn(m_ids.datasets[2], QString());
        explicitMse = runOn(m_ids.datasets[2], QStringLiteral("mse"));
    }
    ASSERT_GT(classification, 0);
    ASSERT_GT(regression, 0);
    ASSERT_GT(explicitMse, 0);
    MainWindow &w = openWindow();
    const QList<std::pair<qint64, QString>> expected{
        {classification, QStringLiteral("cross_entropy (by task)")},
        {regression, QStringLiteral("mse (by task)")},
        {explicitMse, QStringLiteral("mse")}};
    for (const auto &[run, text] : expected) {
        SCOPED_TRACE(run);
        ASSERT_TRUE(w.documents()->open({ItemKind::Run, run}));
        QWidget *current = w.documents()->tabs()->currentWidget();
        ASSERT_NE(current, nullptr);
        auto *overview = qobject_cast<RunOverview *>(current);
        if (!overview)
            overview = current->findChild<RunOverview *>();
        ASSERT_NE(overview, nullptr);
        QTableWidget *hyper = overview->hyperparameterTable();
        auto valueOf = [hyper](const QString &key) {
            for (int row = 0; row < hyper->rowCount(); ++row)
                if (hyper->item(row, 0) && hyper->item(row, 0)->text() == key)
                    return hyper->item(row, 1) ? hyper->item(row, 1)->text() : QString();
            return QStringLiteral("(no row)");
        };
        MLWB_TRY_EQ(valueOf(QStringLiteral("loss")), text);
        EXPECT_EQ(valueOf(QStringLiteral("epochs")), QStringLiteral("20"));

        w.explorer()->select({ItemKind::Run, run});
        PropertyTreeModel *inspector = w.inspector()->model();
        MLWB_TRY_EQ(inspector->indexOf(QStringLiteral("Hyperparameters"), QStringLiteral("loss")).data().toString(),
                    text);
    }
}

TEST_F(DocumentsTest, TabTitleFollowsRenameAndTabClosesOnDelete)
{
    MainWindow &w = openWindow();
    const ItemRef run{ItemKind::Run, m_ids.runs[0]};
    ASSERT_TRUE(w.documents()->open(run));
    QTabWidget *tabs = w.documents()->tabs();
    MLWB_TRY_EQ(tabs->tabText(0), QStringLiteral("baseline"));
    w.renameItem(run, QStringLiteral("baseline-lr0.01"));
    MLWB_TRY_EQ(tabs->tabText(0), QStringLiteral("baseline-lr0.01"));
    w.deleteItems({run});
    MLWB_TRY_EQ(tabs->count(), 0);
    MLWB_TRY_EQ(w.documents()->document(run), nullptr);
}

TEST_F(DocumentsTest, ActivatingAnExplorerItemOpensItsDocument)
{
    MainWindow &w = openWindow();
    const QModelIndex index = indexOf(ItemKind::Model, m_ids.models[2]);
    ASSERT_TRUE(index.isValid());
    w.explorer()->select({ItemKind::Model, m_ids.models[2]});
    w.actions().openItem->trigger();
    EXPECT_EQ(w.documents()->currentRef(), (ItemRef{ItemKind::Model, m_ids.models[2]}));
    EXPECT_EQ(w.documents()->tabs()->tabText(0), QStringLiteral("diabetes-linear"));
}
