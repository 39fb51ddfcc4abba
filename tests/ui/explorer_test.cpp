// SPDX-License-Identifier: MIT
// The explorer shows what the store holds: branches, data sets, models with their runs.

#include "mainwindow/document_area.h"
#include "models/datasets_branch.h"
#include "models/models_branch.h"
#include "panes/compare/compare_view.h"
#include "panes/explorer/explorer_pane.h"
#include "store/sweep_repository.h"
#include "mainwindow/features.h"
#include "ui_fixture.h"
#include <QApplication>
#include <QTest>
#include <QLineEdit>

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QTabWidget>
#include <QTreeView>
#include <QUndoStack>

using namespace mlwb;
using namespace mlwb::test;

using ExplorerTest = UiTest;

TEST_F(ExplorerTest, ShowsDatasetsModelsAndRunsGroupedUnderTheirModel)
{
    MainWindow &w = openWindow();
    QAbstractItemModelTester tester(&tree(), QAbstractItemModelTester::FailureReportingMode::Fatal);

    ASSERT_EQ(tree().rowCount(), 2);
    EXPECT_EQ(tree().index(0, 0).data().toString(), QStringLiteral("Data Sets"));
    EXPECT_EQ(tree().index(1, 0).data().toString(), QStringLiteral("Models"));
    const QModelIndex datasets = tree().index(0, 0);
    ASSERT_EQ(tree().rowCount(datasets), 3);
    MLWB_TRY_EQ(nameOf(ItemKind::Dataset, m_ids.datasets[0]), QStringLiteral("iris"));
    EXPECT_EQ(indexOf(ItemKind::Dataset, m_ids.datasets[0])
                  .siblingAtColumn(ProjectTreeModel::DetailColumn)
                  .data()
                  .toString(),
              QStringLiteral("150 \u00d7 5"));

    const QModelIndex models = tree().index(1, 0);
    ASSERT_EQ(tree().rowCount(models), 3);
    const QModelIndex digits = indexOf(ItemKind::Model, m_ids.models[1]);
    ASSERT_TRUE(digits.isValid());
    EXPECT_EQ(digits.parent(), models);
    ASSERT_EQ(tree().rowCount(digits), 3) << "three runs of digits-cnn";
    // Newest run first, each with its status.
    QStringList statuses;
    for (int r = 0; r < 3; ++r)
        statuses << tree().index(r, ProjectTreeModel::DetailColumn, digits).data().toString();
    EXPECT_EQ(statuses, (QStringList{QStringLiteral("queued"), QStringLiteral("interrupted"),
                                     QStringLiteral("finished")}));
    const QModelIndex run = indexOf(ItemKind::Run, m_ids.runs[1]);
    MLWB_TRY_EQ(run.parent(), indexOf(ItemKind::Model, m_ids.models[0]));
    EXPECT_FALSE(run.data(Qt::DecorationRole).value<QIcon>().isNull());
    EXPECT_EQ(run.data(ProjectTreeModel::ItemRefRole).value<ItemRef>(),
              (ItemRef{ItemKind::Run, m_ids.runs[1]}));
    EXPECT_TRUE(w.explorer()->view()->isExpanded(models));
}

TEST_F(ExplorerTest, EmptyBranchesAreHidden)
{
    const QString empty = path(QStringLiteral("empty.mlwb"));
    ASSERT_TRUE(ProjectFile::create(empty).ok());
    m_window = std::make_unique<MainWindow>();
    Features::install(*m_window);
    ASSERT_TRUE(m_window->openProject(empty));
    QAbstractItemModelTester tester(&tree(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    EXPECT_EQ(tree().rowCount(), 0);

    // A data set appears: its branch appears with it.
    auto second = ProjectFile::open(empty);
    ASSERT_TRUE(second.ok());
    ASSERT_TRUE(SampleContent::addDataset(**second, datasetPath(QStringLiteral("iris.csv")),
                                          QStringLiteral("iris"))
                    .ok());
    MLWB_TRY_EQ(tree().rowCount(), 1);
    EXPECT_EQ(tree().index(0, 0).data().toString(), QStringLiteral("Data Sets"));
}

TEST_F(ExplorerTest, SelectionDrivesInspectorAndActions)
{
    MainWindow &w = openWindow();
    EXPECT_FALSE(w.actions().rename->isEnabled());
    w.explorer()->select({ItemKind::Dataset, m_ids.datasets[0]});
    EXPECT_EQ(w.selection(), (QList<ItemRef>{{ItemKind::Dataset, m_ids.datasets[0]}}));
    EXPECT_TRUE(w.actions().rename->isEnabled());
    EXPECT_TRUE(w.actions().deleteItems->isEnabled());
}

// F2 renames the active tab's item, or the explorer's selection while the explorer has focus,
// in place in the explorer; typing a name and Enter renames it.
TEST_F(ExplorerTest, F2RenamesTheActiveTabsItemOrTheFocusedSelection)
{
    MainWindow &w = openWindow();
    w.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
    const ItemRef run{ItemKind::Run, m_ids.runs[0]};
    const ItemRef dataset{ItemKind::Dataset, m_ids.datasets[0]};
    w.explorer()->select(dataset);
    ASSERT_TRUE(w.documents()->open(run));
    w.documents()->tabs()->currentWidget()->setFocus();
    w.updateActions();
    ASSERT_TRUE(w.actions().rename->isEnabled());
    QTest::keyClick(w.documents()->tabs()->currentWidget(), Qt::Key_F2);
    QTreeView *view = w.explorer()->view();
    MLWB_TRY_VERIFY(qobject_cast<QLineEdit *>(QApplication::focusWidget()) &&
                    view->isAncestorOf(QApplication::focusWidget()));
    EXPECT_EQ(tree().refAt(view->currentIndex()), run) << "the active tab's run, not the selected data set";
    QWidget *editor = QApplication::focusWidget();
    ASSERT_NE(qobject_cast<QLineEdit *>(editor), nullptr);
    qobject_cast<QLineEdit *>(editor)->setText(QStringLiteral("renamed by F2"));
    QTest::keyClick(editor, Qt::Key_Return);
    MLWB_TRY_EQ(w.project()->runs().get(run.id)->name, QStringLiteral("renamed by F2"));

    // With the explorer focused, its selection.
    w.explorer()->select(dataset);
    view->setFocus();
    w.updateActions();
    QTest::keyClick(view, Qt::Key_F2);
    MLWB_TRY_VERIFY(qobject_cast<QLineEdit *>(QApplication::focusWidget()) &&
                    view->isAncestorOf(QApplication::focusWidget()));
    EXPECT_EQ(tree().refAt(view->currentIndex()), dataset);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
}

// A double-click on a model opens its tab and leaves its runs shown; on a folder it folds.
TEST_F(ExplorerTest, DoubleClickOpensAModelWithoutCollapsingItsRuns)
{
    MainWindow &w = openWindow();
    w.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
    QTreeView *view = w.explorer()->view();
    const ItemRef model{ItemKind::Model, m_ids.models[0]};
    const QModelIndex index = indexOf(ItemKind::Model, model.id);
    ASSERT_TRUE(view->isExpanded(index));
    const QPoint modelAt = view->visualRect(index).center();
    QTest::mousePress(view->viewport(), Qt::LeftButton, {}, modelAt);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, modelAt);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, modelAt);
    MLWB_TRY_EQ(w.documents()->currentRef(), model);
    EXPECT_TRUE(view->isExpanded(index)) << "its runs stay in view";

    const QModelIndex folder = index.parent();
    ASSERT_TRUE(folder.isValid());
    ASSERT_TRUE(view->isExpanded(folder));
    const QPoint folderAt = view->visualRect(folder).center();
    QTest::mousePress(view->viewport(), Qt::LeftButton, {}, folderAt);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, folderAt);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, folderAt);
    EXPECT_FALSE(view->isExpanded(folder));
}

TEST_F(ExplorerTest, SelectingAModelAndItsRunDeletesOnlyTheModel)
{
    MainWindow &w = openWindow();
    QItemSelectionModel *sel = w.explorer()->view()->selectionModel();
    sel->select(indexOf(ItemKind::Model, m_ids.models[0]),
                QItemSelectionModel::Select | QItemSelectionModel::Rows);
    sel->select(indexOf(ItemKind::Run, m_ids.runs[0]),
                QItemSelectionModel::Select | QItemSelectionModel::Rows);
    EXPECT_EQ(w.selection(), (QList<ItemRef>{{ItemKind::Model, m_ids.models[0]}}));
}

TEST_F(ExplorerTest, RenameInPlaceGoesThroughTheUndoStack)
{
    MainWindow &w = openWindow();
    const QModelIndex index = indexOf(ItemKind::Dataset, m_ids.datasets[2]);
    ASSERT_TRUE(tree().flags(index) & Qt::ItemIsEditable);
    ASSERT_TRUE(tree().setData(index, QStringLiteral("diabetes-2023")));
    EXPECT_EQ(w.undoStack()->count(), 1);
    MLWB_TRY_EQ(nameOf(ItemKind::Dataset, m_ids.datasets[2]), QStringLiteral("diabetes-2023"));
}

// Runs of a sweep sit under the sweep's node below their model; the Inspector names the best
// trial and the sweep's tab compares its runs.
TEST_F(ExplorerTest, SweepRunsAreGroupedUnderTheirSweep)
{
    MainWindow &w = openWindow();
    Project &project = *w.project();
    const qint64 modelId = m_ids.models[0]; // iris-mlp
    auto version = project.models().latestVersion(modelId);
    ASSERT_TRUE(version.ok()) << qPrintable(version.error());
    SweepRecord sweep;
    sweep.name = QStringLiteral("lr-search");
    sweep.modelId = modelId;
    sweep.strategy = QStringLiteral("grid");
    sweep.spec = QJsonObject{{QStringLiteral("metric"), QStringLiteral("val_accuracy")},
                             {QStringLiteral("parameters"),
                              QJsonArray{QJsonObject{{QStringLiteral("key"), QStringLiteral("lr")},
                                                     {QStringLiteral("values"),
                                                      QJsonArray{QStringLiteral("0.01"), QStringLiteral("0.1")}}}}}};
    auto sweepId = SweepRepository(project.db()).create(sweep);
    ASSERT_TRUE(sweepId.ok()) << qPrintable(sweepId.error());
    QList<qint64> trials;
    for (double accuracy : {0.91, 0.95}) {
        RunRecord r;
        r.modelVersionId = version->id;
        r.datasetId = m_ids.datasets[0];
        r.sweepId = *sweepId;
        r.name = QStringLiteral("trial %1").arg(trials.size() + 1);
        auto id = project.runs().create(r);
        ASSERT_TRUE(id.ok()) << qPrintable(id.error());
        ASSERT_TRUE(project.runs().setSummary(*id, {{QStringLiteral("val_accuracy"), accuracy}}).ok());
        ASSERT_TRUE(project.runs().setStatus(*id, RunStatus::Finished).ok());
        trials << *id;
    }
    project.refresh();

    MLWB_TRY_VERIFY(indexOf(ItemKind::Sweep, *sweepId).isValid());
    const QModelIndex sweepIndex = indexOf(ItemKind::Sweep, *sweepId);
    MLWB_TRY_EQ(sweepIndex.parent(), indexOf(ItemKind::Model, modelId));
    EXPECT_EQ(sweepIndex.data().toString(), QStringLiteral("lr-search"));
    EXPECT_EQ(sweepIndex.siblingAtColumn(ProjectTreeModel::DetailColumn).data().toString(),
              QStringLiteral("2 runs"));
    for (qint64 id : trials)
        MLWB_TRY_EQ(indexOf(ItemKind::Run, id).parent(), sweepIndex);
    // The model still counts every run, its own and its sweep's.
    EXPECT_EQ(indexOf(ItemKind::Model, modelId).siblingAtColumn(ProjectTreeModel::DetailColumn).data().toString(),
              QStringLiteral("%1 runs").arg(project.runs().list(modelId)->size()));

    auto description = w.itemKinds().describe(project, {ItemKind::Sweep, *sweepId});
    ASSERT_TRUE(description.ok()) << qPrintable(description.error());
    QStringList facts;
    for (const ItemProperty &p : description->properties)
        facts << p.label + QLatin1Char('=') + p.value;
    EXPECT_TRUE(facts.contains(QStringLiteral("Run=trial 2"))) << qPrintable(facts.join(u' '));
    EXPECT_TRUE(facts.contains(QStringLiteral("lr=0.01,0.1"))) << qPrintable(facts.join(u' '));

    ASSERT_TRUE(w.documents()->open({ItemKind::Sweep, *sweepId}));
    auto *compare = qobject_cast<CompareView *>(w.documents()->tabs()->currentWidget());
    ASSERT_NE(compare, nullptr);
    EXPECT_EQ(compare->runIds().size(), 2);
}

namespace mlwb::test {
namespace {

// Counts read as English: the bundled plural forms are installed (ui_main, as the workbench's
// main does), so one run is "1 run", not "1 runs".
TEST(EnglishPluralsTest, CountsTakeTheSingularForOne)
{
    EXPECT_EQ(QCoreApplication::translate("mlwb", "%n runs", nullptr, 1), QStringLiteral("1 run"));
    EXPECT_EQ(QCoreApplication::translate("mlwb", "%n runs", nullptr, 3), QStringLiteral("3 runs"));
    EXPECT_EQ(QCoreApplication::translate("mlwb::DatasetOverview", "%n columns", nullptr, 1),
              QStringLiteral("1 column"));
}

} // namespace
} // namespace mlwb::test
