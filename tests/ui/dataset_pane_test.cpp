// SPDX-License-Identifier: MIT
// The data set tab: stored rows in a virtualised table, class balance and column histogram.

#include "charts/distribution_chart_view.h"
#include "mainwindow/document_area.h"
#include "models/data_table_model.h"
#include "panes/dataset/dataset_overview.h"
#include "panes/dataset/split_editor.h"
#include "store/evaluation_repository.h"
#include "data/dataset_catalog.h"
#include "data/csv_importer.h"
#include "data/dataset_split.h"
#include "store/project.h"
#include "models/item_kind_registry.h"
#include "ui_fixture.h"
#include "widgets/message_bar.h"

#include <QAbstractAxis>
#include <QChart>
#include <QFile>
#include <QJsonObject>
#include <QLabel>

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

namespace {

DatasetOverview *openDataset(MainWindow &w, const QString &file, const QString &name,
                             const ImportOptions &options = {}, const SplitSpec &split = {})
{
    auto id = DatasetCatalog(w.project()->db()).importCsv(datasetPath(file), name, options, split);
    EXPECT_TRUE(id.ok()) << qPrintable(id.error());
    if (!id)
        return nullptr;
    w.project()->refresh();
    EXPECT_TRUE(w.documents()->open({ItemKind::Dataset, *id}));
    return qobject_cast<DatasetOverview *>(w.documents()->tabs()->currentWidget());
}

int schemaRow(DatasetOverview *doc, const QString &column)
{
    for (int r = 0; r < doc->columnTable()->rowCount(); ++r)
        if (doc->columnTable()->item(r, 0)->text() == column)
            return r;
    return -1;
}

} // namespace

// A class target holds label codes: the tab shows rows per class (and per split part), not the
// range and mean of the codes.
TEST_F(DatasetPaneTest, IrisShowsRowsPerClassAndSplitPartNotStatisticsOfLabelCodes)
{
    MainWindow &w = openWindow();
    SplitSpec split;
    split.trainFraction = 0.6;
    split.validationFraction = 0.2;
    split.seed = 5;
    DatasetOverview *doc = openDataset(w, QStringLiteral("iris.csv"), QStringLiteral("iris-classes"), {}, split);
    ASSERT_NE(doc, nullptr);
    MLWB_TRY_VERIFY(!doc->isLoading());
    const int species = schemaRow(doc, QStringLiteral("species"));
    ASSERT_GE(species, 0);
    for (int k = 3; k <= 6; ++k) // min, max, mean, std dev
        EXPECT_EQ(doc->columnTable()->item(species, k)->text(), QStringLiteral("\u2013")) << k;
    EXPECT_EQ(doc->columnTable()->item(species, 8)->text(),
              QStringLiteral("setosa (50), versicolor (50), virginica (50)"));
    // Numeric columns keep their statistics.
    EXPECT_EQ(doc->columnTable()->item(schemaRow(doc, QStringLiteral("sepal_length_cm")), 3)->text(),
              QStringLiteral("4.3"));

    QTableWidget *counts = doc->classCountsTable();
    EXPECT_FALSE(counts->isHidden());
    ASSERT_EQ(counts->rowCount(), 3);
    ASSERT_EQ(counts->columnCount(), 4);
    EXPECT_EQ(counts->verticalHeaderItem(0)->text(), QStringLiteral("setosa"));
    EXPECT_EQ(counts->horizontalHeaderItem(0)->text(), QStringLiteral("Train"));
    EXPECT_EQ(counts->horizontalHeaderItem(3)->text(), QStringLiteral("All"));
    for (int r = 0; r < 3; ++r) {
        EXPECT_EQ(counts->item(r, 0)->text(), QStringLiteral("30")) << r; // stratified
        EXPECT_EQ(counts->item(r, 1)->text(), QStringLiteral("10")) << r;
        EXPECT_EQ(counts->item(r, 2)->text(), QStringLiteral("10")) << r;
        EXPECT_EQ(counts->item(r, 3)->text(), QStringLiteral("50")) << r;
    }
    EXPECT_EQ(doc->classBalanceChart()->counts(), (QList<qint64>{50, 50, 50}));
}

// A regression target has no classes: its histogram stands where the class chart would be.
TEST_F(DatasetPaneTest, DiabetesShowsTheTargetHistogramInsteadOfAnEmptyClassChart)
{
    MainWindow &w = openWindow();
    DatasetOverview *doc = openDataset(w, QStringLiteral("diabetes.csv"), QStringLiteral("diabetes-r"));
    ASSERT_NE(doc, nullptr);
    MLWB_TRY_VERIFY(!doc->isLoading());
    DistributionChartView *chart = doc->classBalanceChart();
    ASSERT_NE(chart->histogram(), nullptr);
    EXPECT_EQ(chart->series(), nullptr);
    const QString target = doc->dataModel()->headerData(doc->dataModel()->columnCount() - 1,
                                                        Qt::Horizontal).toString();
    EXPECT_EQ(chart->chart()->title(), QStringLiteral("Histogram of %1").arg(target));
    qint64 total = 0;
    for (qint64 n : chart->counts())
        total += n;
    EXPECT_EQ(total, doc->dataModel()->rowCount());
    EXPECT_TRUE(doc->classCountsTable()->isHidden());
    if (!screenshotDir().isEmpty()) {
        w.resize(1400, 860);
        saveScreenshot(w, QStringLiteral("dataset-pane-regression.png"), 500);
    }
}

// The image shape given at import is part of what the tab says about the data set.
TEST_F(DatasetPaneTest, DigitsShowsItsImageShape)
{
    MainWindow &w = openWindow();
    ImportOptions options;
    options.imageShape = std::array<int, 3>{1, 8, 8};
    DatasetOverview *doc = openDataset(w, QStringLiteral("digits.csv"), QStringLiteral("digits-img"), options);
    ASSERT_NE(doc, nullptr);
    MLWB_TRY_VERIFY(!doc->isLoading());
    EXPECT_TRUE(doc->headerLabel()->text().contains(QStringLiteral("images of 1\u00d78\u00d78")))
        << qPrintable(doc->headerLabel()->text());
    EXPECT_EQ(doc->classCountsTable()->rowCount(), 10);
    // The Inspector says it too.
    auto record = w.project()->datasets().byName(QStringLiteral("digits-img"));
    ASSERT_TRUE(record.ok());
    auto described = w.itemKinds().describe(*w.project(), {ItemKind::Dataset, record->id});
    ASSERT_TRUE(described.ok()) << qPrintable(described.error());
    QString shape;
    for (const ItemProperty &p : described->properties)
        if (p.label == QStringLiteral("Image shape"))
            shape = p.value;
    EXPECT_EQ(shape, QStringLiteral("1\u00d78\u00d78"));
    if (!screenshotDir().isEmpty()) {
        w.resize(1400, 860);
        saveScreenshot(w, QStringLiteral("dataset-pane-digits.png"), 500);
    }
}

// Histogram bins sit on a value axis with round ticks (no label per bin to cut); long category
// names are shortened on the axis and whole in the bar's tooltip.
TEST_F(DatasetPaneTest, HistogramLabelsAreReadable)
{
    MainWindow &w = openWindow();
    DatasetOverview *doc = openDataset(w, QStringLiteral("iris.csv"), QStringLiteral("iris-hist"));
    ASSERT_NE(doc, nullptr);
    MLWB_TRY_VERIFY(!doc->isLoading());
    doc->columnTable()->setCurrentCell(schemaRow(doc, QStringLiteral("sepal_length_cm")), 0);
    DistributionChartView *hist = doc->histogramChart();
    ASSERT_NE(hist->histogram(), nullptr);
    const QList<QAbstractAxis *> axes = hist->chart()->axes(Qt::Horizontal);
    ASSERT_EQ(axes.size(), 1);
    EXPECT_EQ(axes.first()->type(), QAbstractAxis::AxisTypeValue);
    EXPECT_EQ(hist->labels().first(), QStringLiteral("4.3 \u2013 4.48"));
    EXPECT_EQ(hist->barToolTip(0), QStringLiteral("4.3 \u2013 4.48: %1 rows").arg(hist->counts().first()));

    const QString file = path(QStringLiteral("long.csv"));
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("x,label\n1,a rather long category name\n2,short\n3,a rather long category name\n");
    f.close();
    auto table = CsvImporter::importFile(file);
    ASSERT_TRUE(table.ok()) << qPrintable(table.error());
    DistributionChartView view;
    view.showClassBalance(table->table, table->targetColumn);
    EXPECT_EQ(view.labels().first(), QStringLiteral("a rather long category name"));
    EXPECT_EQ(view.axisLabels().first(), QStringLiteral("a rather lo\u2026"));
    EXPECT_EQ(view.barToolTip(0), QStringLiteral("a rather long category name: 2 rows"));
}

// Editing the split previews the part sizes Apply would give; Apply says what it stored.
TEST_F(DatasetPaneTest, SplitEditorPreviewsTheNewSizesAndReportsThemAfterApply)
{
    MainWindow &w = openWindow();
    SplitSpec split;
    split.trainFraction = 0.6;
    split.validationFraction = 0.2;
    DatasetOverview *doc = openDataset(w, QStringLiteral("iris.csv"), QStringLiteral("iris-preview"), {}, split);
    ASSERT_NE(doc, nullptr);
    MLWB_TRY_VERIFY(!doc->isLoading());
    SplitEditor *editor = doc->splitEditor();
    EXPECT_TRUE(editor->previewLabel()->isHidden()); // nothing edited
    SplitSpec wanted;
    wanted.trainFraction = 0.8;
    wanted.validationFraction = 0.1;
    wanted.seed = 9;
    editor->setEditedSpec(wanted);
    EXPECT_FALSE(editor->previewLabel()->isHidden());
    EXPECT_EQ(editor->previewLabel()->text(),
              QStringLiteral("After Apply: train 120, validation 15, test 15 rows."));
    wanted.trainFraction = 0.5;
    editor->setEditedSpec(wanted);
    EXPECT_EQ(editor->previewLabel()->text(),
              QStringLiteral("After Apply: train 75, validation 15, test 60 rows."));

    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);
    MLWB_TRY_VERIFY(editor->messageBar()->isVisibleTo(editor));
    EXPECT_EQ(editor->messageBar()->type(), MessageBar::Type::Positive);
    EXPECT_TRUE(editor->messageBar()->text().contains(
        QStringLiteral("train 75, validation 15, test 60 rows")))
        << qPrintable(editor->messageBar()->text());
    EXPECT_TRUE(editor->messageBar()->autoHides());
    EXPECT_TRUE(editor->previewLabel()->isHidden()); // the fields are the stored split again
}

// The warning counts the runs that trained on the split shown: after Apply none did, after Undo
// the run's split is back.
TEST_F(DatasetPaneTest, TheRunsWarningFollowsTheSplitTheRunsTrainedOn)
{
    MainWindow &w = openWindow();
    DatasetOverview *doc = openDataset(w, QStringLiteral("iris.csv"), QStringLiteral("iris-runs"));
    ASSERT_NE(doc, nullptr);
    MLWB_TRY_VERIFY(!doc->isLoading());
    auto dataset = w.project()->datasets().byName(QStringLiteral("iris-runs"));
    ASSERT_TRUE(dataset.ok());
    auto stored = EvaluationRepository(w.project()->db()).split(dataset->id);
    ASSERT_TRUE(stored.ok());
    auto existing = w.project()->runs().list();
    ASSERT_TRUE(existing.ok() && !existing->isEmpty());
    RunRecord r;
    r.modelVersionId = existing->first().modelVersionId;
    r.datasetId = dataset->id;
    r.status = RunStatus::Finished;
    r.summary = QJsonObject{{QStringLiteral("split_hash"), DatasetSplit::fingerprint(stored->assignment)}};
    ASSERT_TRUE(w.project()->runs().create(r).ok());
    w.project()->refresh();
    SplitEditor *editor = doc->splitEditor();
    MLWB_TRY_VERIFY(!editor->warningLabel()->isHidden());
    EXPECT_TRUE(editor->warningLabel()->text().startsWith(
        QStringLiteral("1 run was trained on the current split.")))
        << qPrintable(editor->warningLabel()->text());

    SplitSpec wanted = editor->editedSpec();
    wanted.seed += 1;
    editor->setEditedSpec(wanted);
    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);
    MLWB_TRY_VERIFY(editor->warningLabel()->isHidden());

    w.activeUndoStack()->undo();
    MLWB_TRY_VERIFY(!editor->warningLabel()->isHidden());
}

// The split tab as a user meets it: an edit previewed before Apply, then the message after it
// (kept as screenshots with MLWB_UI_SCREENSHOT_DIR).
TEST_F(DatasetPaneTest, SplitTabShowsThePreviewThenTheMessage)
{
    MainWindow &w = openWindow();
    DatasetOverview *doc = openDataset(w, QStringLiteral("iris.csv"), QStringLiteral("iris-shot"));
    ASSERT_NE(doc, nullptr);
    MLWB_TRY_VERIFY(!doc->isLoading());
    doc->tabs()->setCurrentWidget(doc->splitEditor());
    SplitSpec wanted = doc->splitEditor()->editedSpec();
    wanted.trainFraction = 0.8;
    wanted.validationFraction = 0.1;
    doc->splitEditor()->setEditedSpec(wanted);
    EXPECT_TRUE(doc->splitEditor()->previewLabel()->isVisibleTo(doc->splitEditor()));
    w.resize(1400, 860);
    saveScreenshot(w, QStringLiteral("dataset-split-preview.png"), 300);
    QTest::mouseClick(doc->splitEditor()->applyButton(), Qt::LeftButton);
    MLWB_TRY_VERIFY(doc->splitEditor()->messageBar()->isVisibleTo(doc->splitEditor()));
    saveScreenshot(w, QStringLiteral("dataset-split-applied.png"), 300);
}
