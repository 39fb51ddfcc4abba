// SPDX-License-Identifier: MIT
// The data set tab: stored rows in a virtualised table, class balance and column histogram.

#include "charts/distribution_chart_view.h"
#include "mainwindow/document_area.h"
#include "models/data_table_model.h"
#include "panes/dataset/dataset_overview.h"
#include "panes/dataset/split_editor.h"
#include "store/evaluation_repository.h"
#include "data/dataset_catalog.h"
#include "ui_fixture.h"

#include <QHeaderView>
#include <QPushButton>
#include <QTabWidget>
#include <QUndoStack>
#include <QTableView>
#include <QTableWidget>

using namespace mlwb;
using namespace mlwb::test;

using DatasetPaneTest = UiTest;

TEST_F(DatasetPaneTest, ShowsRowsClassBalanceAndHistogram)
{
    MainWindow &w = openWindow();
    // The sample project's blobs are stand-ins: import a real one.
    auto id = DatasetCatalog(w.project()->db())
                  .importCsv(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris-full"),
                             ImportOptions{});
    ASSERT_TRUE(id.ok()) << qPrintable(id.error());
    w.project()->refresh();
    ASSERT_TRUE(w.documents()->open({ItemKind::Dataset, *id}));
    auto *doc = qobject_cast<DatasetOverview *>(w.documents()->tabs()->currentWidget());
    ASSERT_NE(doc, nullptr);
    // The rows are read on a worker thread; the tab stays usable meanwhile.
    MLWB_TRY_VERIFY(!doc->isLoading());
    DataTableModel *model = doc->dataModel();
    ASSERT_NE(model->table(), nullptr);
    EXPECT_EQ(model->columnCount(), 5);
    EXPECT_EQ(model->rowCount(), 150);
    EXPECT_EQ(model->headerData(4, Qt::Horizontal).toString(), QStringLiteral("species"));
    EXPECT_EQ(model->index(0, 4).data().toString(), QStringLiteral("setosa"));
    EXPECT_EQ(model->index(0, 0).data().toString(), QStringLiteral("5.1"));

    EXPECT_EQ(doc->classBalanceChart()->labels(),
              (QStringList{QStringLiteral("setosa"), QStringLiteral("versicolor"),
                           QStringLiteral("virginica")}));
    EXPECT_EQ(doc->classBalanceChart()->counts(), (QList<qint64>{50, 50, 50}));

    doc->columnTable()->setCurrentCell(0, 0);
    const QList<qint64> &bins = doc->histogramChart()->counts();
    ASSERT_EQ(bins.size(), 20);
    qint64 total = 0;
    for (qint64 n : bins)
        total += n;
    EXPECT_EQ(total, 150);

    if (!screenshotDir().isEmpty()) {
        w.resize(1400, 860);
        saveScreenshot(w, QStringLiteral("dataset-pane.png"), 500);
    }
}

// The split editor shows rows per part and per class, stores a new split as an undoable
// command, and the tab follows undo and redo.
TEST_F(DatasetPaneTest, SplitEditorAppliesUndoablyAndShowsCountsPerClass)
{
    MainWindow &w = openWindow();
    SplitSpec initial;
    initial.trainFraction = 0.6;
    initial.validationFraction = 0.2;
    initial.seed = 5;
    auto id = DatasetCatalog(w.project()->db())
                  .importCsv(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris-split"),
                             ImportOptions{}, initial);
    ASSERT_TRUE(id.ok()) << qPrintable(id.error());
    w.project()->refresh();
    ASSERT_TRUE(w.documents()->open({ItemKind::Dataset, *id}));
    auto *doc = qobject_cast<DatasetOverview *>(w.documents()->tabs()->currentWidget());
    ASSERT_NE(doc, nullptr);
    MLWB_TRY_VERIFY(!doc->isLoading());
    SplitEditor *editor = doc->splitEditor();
    QTableWidget *counts = editor->countsTable();
    // Rows: train, validation, test, all; columns: rows, then one per class.
    ASSERT_EQ(counts->rowCount(), 4);
    ASSERT_EQ(counts->columnCount(), 4);
    EXPECT_EQ(counts->horizontalHeaderItem(1)->text(), QStringLiteral("setosa"));
    EXPECT_TRUE(counts->item(0, 0)->text().startsWith(QStringLiteral("90 ")));
    EXPECT_TRUE(counts->item(1, 0)->text().startsWith(QStringLiteral("30 ")));
    EXPECT_TRUE(counts->item(2, 0)->text().startsWith(QStringLiteral("30 ")));
    // Stratified: every class has 30 of its 50 rows in train.
    for (int c = 1; c <= 3; ++c)
        EXPECT_TRUE(counts->item(0, c)->text().startsWith(QStringLiteral("30 "))) << c;
    EXPECT_FALSE(editor->applyButton()->isEnabled()); // nothing changed yet
    EXPECT_EQ(editor->editedSpec().seed, 5u);

    SplitSpec wanted;
    wanted.trainFraction = 0.8;
    wanted.validationFraction = 0.1;
    wanted.seed = 9;
    editor->setEditedSpec(wanted);
    ASSERT_TRUE(editor->applyButton()->isEnabled());
    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);

    auto stored = EvaluationRepository(w.project()->db()).split(*id);
    ASSERT_TRUE(stored.ok()) << qPrintable(stored.error());
    EXPECT_DOUBLE_EQ(stored->train, 0.8);
    EXPECT_EQ(stored->seed, 9u);
    EXPECT_EQ(DatasetSplit::counts(stored->assignment), (std::array<qint64, 3>{120, 15, 15}));
    MLWB_TRY_VERIFY(counts->item(0, 0)->text().startsWith(QStringLiteral("120 ")));

    ASSERT_TRUE(w.activeUndoStack()->canUndo());
    w.activeUndoStack()->undo();
    stored = EvaluationRepository(w.project()->db()).split(*id);
    ASSERT_TRUE(stored.ok());
    EXPECT_DOUBLE_EQ(stored->train, 0.6);
    EXPECT_EQ(stored->seed, 5u);
    EXPECT_EQ(DatasetSplit::counts(stored->assignment), (std::array<qint64, 3>{90, 30, 30}));
    MLWB_TRY_VERIFY(counts->item(0, 0)->text().startsWith(QStringLiteral("90 ")));
    EXPECT_EQ(editor->editedSpec().seed, 5u);

    w.activeUndoStack()->redo();
    stored = EvaluationRepository(w.project()->db()).split(*id);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->seed, 9u);

    // Fractions that leave nothing valid cannot be applied.
    wanted.trainFraction = 0.9;
    wanted.validationFraction = 0.3;
    editor->setEditedSpec(wanted);
    EXPECT_FALSE(editor->applyButton()->isEnabled());
}

// A million rows: the view asks only for the visible cells, so scrolling to the end and painting
// costs the same as at the top (the data set tab uses this model and view setup).
TEST_F(DatasetPaneTest, AMillionRowsScrollToTheEndAndPaint)
{
    const qint64 rows = 1'000'000;
    std::vector<std::vector<double>> data(4, std::vector<double>(size_t(rows)));
    for (qint64 r = 0; r < rows; ++r) {
        data[0][size_t(r)] = double(r);
        data[1][size_t(r)] = double(r) * 0.5;
        data[2][size_t(r)] = double(r % 3);
        data[3][size_t(r)] = double(r % 2);
    }
    QList<ColumnInfo> columns;
    for (const char *name : {"index", "half", "mod3", "label"}) {
        ColumnInfo c;
        c.name = QString::fromLatin1(name);
        columns << c;
    }
    columns[3].type = ColumnType::Categorical;
    columns[3].categories = QStringList{QStringLiteral("even"), QStringLiteral("odd")};
    auto table = DataTable::create(columns, std::move(data));
    ASSERT_TRUE(table.ok()) << qPrintable(table.error());

    DataTableModel model;
    QTableView view;
    view.setModel(&model);
    view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view.resize(800, 600);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    model.setTable(std::make_shared<const DataTable>(std::move(*table)), 3);
    ASSERT_EQ(model.rowCount(), rows);

    view.scrollToBottom();
    QImage shot = view.grab().toImage();
    EXPECT_FALSE(shot.isNull());
    const QModelIndex last = view.indexAt(QPoint(5, view.viewport()->height() - 5));
    ASSERT_TRUE(last.isValid());
    EXPECT_GT(last.row(), rows - 100);
    EXPECT_EQ(model.index(rows - 1, 0).data().toString(), QStringLiteral("999999"));
    EXPECT_EQ(model.index(rows - 1, 3).data().toString(), QStringLiteral("odd"));
}
