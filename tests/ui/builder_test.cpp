// SPDX-License-Identifier: MIT
// The model builder in the window: a model's tab is the builder; adding from the palette,
// editing settings in place, an invalid layer with its message, moving by button, key and drop,
// templates; every edit undone and redone restores the exact spec; the draft outlives its tab;
// Save version stores the spec; Train saves first and trains through the window's dialog.
#include "ui_fixture.h"

#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "model/model_templates.h"
#include "panes/builder/layer_palette.h"
#include "panes/builder/layer_stack_model.h"
#include "panes/builder/model_builder.h"
#include "panes/train/train_commands.h"
#include "panes/train/train_dialog.h"
#include "data/dataset_catalog.h"
#include "model/model_catalog.h"
#include "widgets/message_bar.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLocale>
#include <QMimeData>
#include <QPushButton>
#include <QTabWidget>
#include <QTreeView>
#include <QUndoStack>

#include <gtest/gtest.h>

namespace mlwb::test {
namespace {

class BuilderTest : public UiTest {
protected:
    // Imports digits (64 features, 10 classes) and makes an MLP for it; returns the model's id.
    qint64 makeDigitsModel(MainWindow &window)
    {
        Project &project = *window.project();
        auto ds = DatasetCatalog(project.db())
                      .importCsv(datasetPath(QStringLiteral("digits.csv")),
                                 QStringLiteral("digits-real"), ImportOptions{});
        EXPECT_TRUE(ds.ok()) << qPrintable(ds.error());
        auto model = ModelCatalog(project.db())
                         .createFromTemplate(QStringLiteral("digits-mlp"),
                                             QStringLiteral("digits-real"), QStringLiteral("mlp"));
        EXPECT_TRUE(model.ok()) << qPrintable(model.error());
        project.refresh();
        return model.ok() ? *model : 0;
    }

    ModelBuilder *openBuilder(MainWindow &window, qint64 modelId)
    {
        EXPECT_TRUE(window.documents()->open({ItemKind::Model, modelId}));
        auto *builder =
            qobject_cast<ModelBuilder *>(window.documents()->document({ItemKind::Model, modelId}));
        // The data set's shapes arrive from a worker thread.
        if (builder)
            (void)QTest::qWaitFor([builder] { return !builder->isReadingDataSet(); }, 10000);
        EXPECT_TRUE(builder && !builder->isReadingDataSet());
        return builder;
    }

    static QString cell(LayerStackModel *model, const LayerPath &path, int column,
                        int role = Qt::DisplayRole)
    {
        return model->indexOf(path, column).data(role).toString();
    }

    static void doubleClickPalette(ModelBuilder *builder, const QString &type)
    {
        LayerPalette *palette = builder->palette();
        QTreeWidgetItem *item = palette->itemOf(type);
        ASSERT_NE(item, nullptr) << qPrintable(type);
        palette->scrollToItem(item);
        const QPoint at = palette->visualItemRect(item).center();
        ASSERT_TRUE(palette->viewport()->rect().contains(at));
        // A double-click is a press and release, then a second press with the double-click.
        QTest::mouseClick(palette->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(palette->viewport(), Qt::LeftButton, {}, at);
    }
};

TEST_F(BuilderTest, ModelTabIsTheBuilderWithShapesAndCounts)
{
    MainWindow &window = openWindow();
    const qint64 modelId = makeDigitsModel(window);
    ASSERT_GT(modelId, 0);
    ModelBuilder *builder = openBuilder(window, modelId);
    ASSERT_NE(builder, nullptr);
    LayerStackModel *model = builder->stackModel();
    ASSERT_NE(model, nullptr);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::Warning);

    ASSERT_EQ(model->rowCount(), 6); // Linear 256, ReLU, Dropout, Linear 128, ReLU, Linear 10
    EXPECT_EQ(cell(model, {0}, LayerStackModel::TypeColumn), QStringLiteral("Linear"));
    EXPECT_EQ(cell(model, {0}, LayerStackModel::ShapeColumn), QStringLiteral("[256]"));
    EXPECT_EQ(cell(model, {0}, LayerStackModel::CountColumn), QLocale().toString(64 * 256 + 256));
    EXPECT_EQ(cell(model, {5}, LayerStackModel::ShapeColumn), QStringLiteral("[10]"));
    EXPECT_TRUE(builder->summaryLabel()->text().contains(
        QLocale().toString(model->report().totalParameters)))
        << qPrintable(builder->summaryLabel()->text());
    EXPECT_TRUE(builder->summaryLabel()->text().contains(QStringLiteral("[10]")));
    EXPECT_FALSE(builder->saveButton()->isEnabled());
    EXPECT_TRUE(builder->trainButton()->isEnabled());
    // The versions and runs are the second tab.
    EXPECT_EQ(builder->tabs()->count(), 2);
}

TEST_F(BuilderTest, OpensWhenTheDataSetCannotBeRead)
{
    // The sample project's tables are stand-ins: the builder still shows and edits the layers.
    MainWindow &window = openWindow();
    ModelBuilder *builder = openBuilder(window, m_ids.models[1]);
    ASSERT_NE(builder, nullptr);
    LayerStackModel *model = builder->stackModel();
    ASSERT_NE(model, nullptr);
    EXPECT_TRUE(model->isEditable());
    EXPECT_GT(model->rowCount(), 0);
    EXPECT_TRUE(model->report().ok()) << qPrintable(model->report().error);
    EXPECT_EQ(builder->messageBar()->type(), MessageBar::Type::Information);
    EXPECT_TRUE(builder->messageBar()->text().contains(QStringLiteral("could not be read")));
    builder->addLayer(QStringLiteral("ReLU"));
    EXPECT_TRUE(model->isModified());
    window.activeUndoStack()->undo();
    EXPECT_FALSE(model->isModified());
}

TEST_F(BuilderTest, EveryEditIsUndoableAndRestoresTheExactSpec)
{
    MainWindow &window = openWindow();
    const qint64 modelId = makeDigitsModel(window);
    ASSERT_GT(modelId, 0);
    ModelBuilder *builder = openBuilder(window, modelId);
    ASSERT_NE(builder, nullptr);
    LayerStackModel *model = builder->stackModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::Warning);
    QUndoStack *undo = window.activeUndoStack();
    ASSERT_EQ(builder->undoStack(), undo);
    std::vector<ModelSpec> states{model->spec()};

    // Add from the palette after the selected layer.
    builder->selectLayer({0});
    ASSERT_NO_FATAL_FAILURE(doubleClickPalette(builder, QStringLiteral("BatchNorm1d")));
    MLWB_TRY_EQ(model->rowCount(), 7);
    EXPECT_EQ(model->spec().layers[1].type, QStringLiteral("BatchNorm1d"));
    EXPECT_EQ(cell(model, {1}, LayerStackModel::ShapeColumn), QStringLiteral("[256]"));
    EXPECT_EQ(cell(model, {1}, LayerStackModel::CountColumn), QLocale().toString(2 * 256));
    EXPECT_EQ(builder->selectedPath(), (LayerPath{1}));
    EXPECT_TRUE(builder->saveButton()->isEnabled());
    states.push_back(model->spec());

    // Settings edited in place: a smaller first layer changes the counts downstream.
    ASSERT_TRUE(model->setData(model->indexOf({0}, LayerStackModel::ParamsColumn),
                               QStringLiteral("out=32, bias=true")));
    EXPECT_EQ(cell(model, {0}, LayerStackModel::CountColumn), QLocale().toString(64 * 32 + 32));
    EXPECT_EQ(cell(model, {1}, LayerStackModel::ShapeColumn), QStringLiteral("[32]"));
    EXPECT_EQ(cell(model, {4}, LayerStackModel::CountColumn), QLocale().toString(32 * 128 + 128));
    states.push_back(model->spec());

    // An invalid layer: highlighted, with the message as tooltip and in the message line.
    ASSERT_TRUE(model->setData(model->indexOf({4}, LayerStackModel::ParamsColumn),
                               QStringLiteral("out=0")));
    const QString error = cell(model, {4}, LayerStackModel::TypeColumn, LayerStackModel::ErrorRole);
    EXPECT_TRUE(error.contains(QStringLiteral("layer 4 (Linear)"))) << qPrintable(error);
    EXPECT_EQ(cell(model, {4}, LayerStackModel::ParamsColumn, Qt::ToolTipRole), error);
    EXPECT_TRUE(model->indexOf({4}, 1).data(Qt::BackgroundRole).isValid());
    EXPECT_FALSE(model->indexOf({0}, 1).data(Qt::BackgroundRole).isValid());
    EXPECT_TRUE(builder->messageBar()->isVisible());
    EXPECT_EQ(builder->messageBar()->type(), MessageBar::Type::Error);
    EXPECT_EQ(builder->messageBar()->text(), model->report().error);
    if (!screenshotDir().isEmpty()) {
        window.resize(1400, 900);
        saveScreenshot(window, QStringLiteral("model-builder-error.png"));
    }
    states.push_back(model->spec());
    ASSERT_TRUE(model->setData(model->indexOf({4}, LayerStackModel::ParamsColumn),
                               QStringLiteral("out=128")));
    EXPECT_TRUE(cell(model, {4}, 1, LayerStackModel::ErrorRole).isEmpty());
    EXPECT_TRUE(builder->messageBar()->isHidden());
    states.push_back(model->spec());

    // Move down by button, up by key, and by drag and drop (the model's drop).
    builder->selectLayer({2}); // ReLU
    builder->moveSelected(1);
    EXPECT_EQ(model->spec().layers[3].type, QStringLiteral("ReLU"));
    EXPECT_EQ(builder->selectedPath(), (LayerPath{3}));
    states.push_back(model->spec());
    builder->stackView()->setFocus();
    QTest::keyClick(builder->stackView(), Qt::Key_Up, Qt::AltModifier);
    EXPECT_EQ(model->spec(), states[states.size() - 2]);
    states.push_back(model->spec());
    auto *drag = model->mimeData({model->indexOf({6}, 0)});
    ASSERT_NE(drag, nullptr);
    ASSERT_TRUE(model->dropMimeData(drag, Qt::MoveAction, 0, 0, QModelIndex()));
    delete drag;
    EXPECT_EQ(model->spec().layers[0].type, QStringLiteral("Linear"));
    EXPECT_EQ(model->spec().layers[0].params.value(QStringLiteral("out")).toInt(), 10);
    states.push_back(model->spec());
    // A palette drop at the end.
    QMimeData paletteDrop;
    paletteDrop.setData(QLatin1String(LayerStackModel::kLayerTypeMime), QByteArray("Sigmoid"));
    ASSERT_TRUE(model->dropMimeData(&paletteDrop, Qt::CopyAction, -1, -1, QModelIndex()));
    EXPECT_EQ(model->spec().layers.back().type, QStringLiteral("Sigmoid"));
    states.push_back(model->spec());

    // Del in the stack removes the selected layer (not the model from the project).
    builder->selectLayer({0});
    QTest::keyClick(builder->stackView(), Qt::Key_Delete);
    EXPECT_EQ(model->rowCount(), 7);
    EXPECT_TRUE(window.project()->models().get(modelId).ok());
    states.push_back(model->spec());

    // A template replaces the stack, sized for the data set.
    builder->applyTemplate(QStringLiteral("logistic"));
    auto logistic = ModelTemplates::make(QStringLiteral("logistic"), {64}, 10);
    ASSERT_TRUE(logistic.ok());
    EXPECT_EQ(model->spec(), *logistic);
    states.push_back(model->spec());

    // Undo every edit back to the stored version, then redo them all.
    for (size_t i = states.size() - 1; i > 0; --i) {
        ASSERT_TRUE(undo->canUndo());
        undo->undo();
        ASSERT_EQ(model->spec(), states[i - 1]) << "after undoing edit " << i;
    }
    EXPECT_FALSE(model->isModified());
    EXPECT_FALSE(builder->saveButton()->isEnabled());
    for (size_t i = 1; i < states.size(); ++i) {
        ASSERT_TRUE(undo->canRedo());
        undo->redo();
        ASSERT_EQ(model->spec(), states[i]) << "after redoing edit " << i;
    }
    // Undo reached through the window's action, as Ctrl+Z does.
    window.actions().undo->trigger();
    EXPECT_EQ(model->spec(), states[states.size() - 2]);
}

TEST_F(BuilderTest, LayersDropIntoAResidualBlock)
{
    MainWindow &window = openWindow();
    const qint64 modelId = makeDigitsModel(window);
    ModelBuilder *builder = openBuilder(window, modelId);
    ASSERT_NE(builder, nullptr);
    LayerStackModel *model = builder->stackModel();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::Warning);
    const ModelSpec stored = model->spec();

    // A Residual after the first ReLU ([256] in and out), then a Linear dropped onto it.
    QMimeData residual;
    residual.setData(QLatin1String(LayerStackModel::kLayerTypeMime), QByteArray("Residual"));
    ASSERT_TRUE(model->dropMimeData(&residual, Qt::CopyAction, 2, 0, QModelIndex()));
    ASSERT_EQ(model->spec().layers[2].type, QStringLiteral("Residual"));
    const ModelSpec withBlock = model->spec();
    QMimeData linear;
    linear.setData(QLatin1String(LayerStackModel::kLayerTypeMime), QByteArray("Linear"));
    const QModelIndex block = model->indexOf({2});
    ASSERT_TRUE(model->canDropMimeData(&linear, Qt::CopyAction, -1, -1, block));
    ASSERT_TRUE(model->dropMimeData(&linear, Qt::CopyAction, -1, -1, block));
    ASSERT_EQ(model->rowCount(block), 1);
    EXPECT_EQ(model->spec().layers[2].children.size(), 1u);
    // The body maps [256] to [64]: the block needs a projection, and says so.
    EXPECT_FALSE(cell(model, {2}, 0, LayerStackModel::ErrorRole).isEmpty() &&
                 cell(model, {2, 0}, 0, LayerStackModel::ErrorRole).isEmpty());
    ASSERT_TRUE(model->setData(model->indexOf({2, 0}, LayerStackModel::ParamsColumn),
                               QStringLiteral("out=256")));
    EXPECT_TRUE(model->report().ok()) << qPrintable(model->report().error);
    EXPECT_EQ(cell(model, {2, 0}, LayerStackModel::ShapeColumn), QStringLiteral("[256]"));
    // A row cannot be dropped into itself; a body layer can be dragged out of the block.
    auto *self = model->mimeData({block});
    EXPECT_FALSE(model->canDropMimeData(self, Qt::MoveAction, 0, 0, model->indexOf({2, 0})));
    delete self;
    auto *out = model->mimeData({model->indexOf({2, 0})});
    ASSERT_TRUE(model->dropMimeData(out, Qt::MoveAction, 0, 0, QModelIndex()));
    delete out;
    EXPECT_EQ(model->rowCount(model->indexOf({3})), 0);
    EXPECT_EQ(model->spec().layers[0].params.value(QStringLiteral("out")).toInt(), 256);

    QUndoStack *undo = window.activeUndoStack();
    while (undo->canUndo() && model->spec() != withBlock)
        undo->undo();
    EXPECT_EQ(model->spec(), withBlock);
    undo->undo();
    EXPECT_EQ(model->spec(), stored);
}

TEST_F(BuilderTest, DraftAndUndoOutliveTheTab)
{
    MainWindow &window = openWindow();
    const qint64 modelId = makeDigitsModel(window);
    ModelBuilder *builder = openBuilder(window, modelId);
    ASSERT_NE(builder, nullptr);
    const ModelSpec stored = builder->stackModel()->spec();
    builder->addLayer(QStringLiteral("Tanh"));
    const ModelSpec edited = builder->stackModel()->spec();
    ASSERT_NE(edited, stored);
    window.documents()->closeAll();
    MLWB_TRY_VERIFY(window.documents()->document({ItemKind::Model, modelId}) == nullptr);
    builder = openBuilder(window, modelId);
    ASSERT_NE(builder, nullptr);
    EXPECT_EQ(builder->stackModel()->spec(), edited);
    window.activeUndoStack()->undo();
    EXPECT_EQ(builder->stackModel()->spec(), stored);
}

// Save Version is not offered for a draft that cannot be saved; its tooltip says why.
TEST_F(BuilderTest, SaveVersionIsDisabledWhileTheModelIsInvalid)
{
    MainWindow &window = openWindow();
    const qint64 modelId = makeDigitsModel(window);
    ModelBuilder *builder = openBuilder(window, modelId);
    ASSERT_NE(builder, nullptr);
    LayerStackModel *model = builder->stackModel();
    QPushButton *save = builder->saveButton();

    // Ten outputs for digits' ten classes: valid, saveable.
    ASSERT_TRUE(model->setData(model->indexOf({0}, LayerStackModel::ParamsColumn),
                               QStringLiteral("out=200")));
    EXPECT_TRUE(save->isEnabled());
    EXPECT_EQ(save->toolTip(), ModelBuilder::tr("Store these layers as the model's next version"));

    // Seven outputs do not fit the data set's ten classes.
    ASSERT_TRUE(model->setData(model->indexOf({5}, LayerStackModel::ParamsColumn),
                               QStringLiteral("out=7")));
    EXPECT_FALSE(save->isEnabled());
    EXPECT_TRUE(save->toolTip().contains(QStringLiteral("does not fit the data set")))
        << qPrintable(save->toolTip());
    EXPECT_TRUE(save->toolTip().contains(QStringLiteral("10"))) << qPrintable(save->toolTip());
    window.activeUndoStack()->undo();
    EXPECT_TRUE(save->isEnabled());

    // A layer whose input does not fit (a Conv2d on flat features) makes the stack invalid.
    builder->selectLayer({0});
    builder->addLayer(QStringLiteral("Conv2d"));
    ASSERT_FALSE(model->report().ok());
    EXPECT_FALSE(save->isEnabled());
    EXPECT_TRUE(save->toolTip().contains(QStringLiteral("not valid"))) << qPrintable(save->toolTip());
    EXPECT_TRUE(save->toolTip().contains(model->report().error)) << qPrintable(save->toolTip());
    window.activeUndoStack()->undo();
    EXPECT_TRUE(save->isEnabled());
}

TEST_F(BuilderTest, SaveVersionThenTrainFromTheBuilder)
{
    MainWindow &window = openWindow();
    auto *commands = window.findChild<TrainCommands *>();
    ASSERT_NE(commands, nullptr);
    const qint64 modelId = makeDigitsModel(window);
    ModelBuilder *builder = openBuilder(window, modelId);
    ASSERT_NE(builder, nullptr);
    LayerStackModel *model = builder->stackModel();

    // A spec that does not fit the data set is not saved, and says why.
    ASSERT_TRUE(model->setData(model->indexOf({5}, LayerStackModel::ParamsColumn),
                               QStringLiteral("out=7")));
    EXPECT_EQ(builder->messageBar()->type(), MessageBar::Type::Warning);
    EXPECT_FALSE(builder->saveVersion());
    EXPECT_EQ(builder->messageBar()->type(), MessageBar::Type::Error);
    EXPECT_EQ(window.project()->models().versions(modelId)->size(), 1);
    window.activeUndoStack()->undo();

    // Save version stores the draft as version 2.
    builder->selectLayer({2});
    builder->removeSelected(); // the Dropout
    ASSERT_TRUE(builder->saveButton()->isEnabled());
    QTest::mouseClick(builder->saveButton(), Qt::LeftButton);
    auto versions = window.project()->models().versions(modelId);
    ASSERT_TRUE(versions.ok());
    ASSERT_EQ(versions->size(), 2);
    auto saved = ModelSpec::fromJson(versions->last().specJson);
    ASSERT_TRUE(saved.ok()) << qPrintable(saved.error());
    EXPECT_EQ(*saved, model->spec());
    EXPECT_FALSE(model->isModified());
    EXPECT_FALSE(builder->saveButton()->isEnabled());
    EXPECT_EQ(builder->messageBar()->type(), MessageBar::Type::Positive);

    // Train saves the changed layers as version 3 first, then trains it (1 epoch).
    builder->selectLayer({0});
    ASSERT_TRUE(model->setData(model->indexOf({0}, LayerStackModel::ParamsColumn),
                               QStringLiteral("out=64")));
    QTest::mouseClick(builder->trainButton(), Qt::LeftButton);
    EXPECT_EQ(window.project()->models().versions(modelId)->size(), 3);
    TrainDialog *dialog = commands->openDialog();
    ASSERT_NE(dialog, nullptr);
    dialog->setValue(QStringLiteral("epochs"), QStringLiteral("1"));
    dialog->setValue(QStringLiteral("threads"), QStringLiteral("1"));
    dialog->setValue(QStringLiteral("batch_size"), QStringLiteral("64"));
    ASSERT_TRUE(dialog->isValid()) << qPrintable(dialog->errorText());
    dialog->accept();
    qint64 runId = 0;
    (void)QTest::qWaitFor(
        [&] {
            auto runs = window.project()->runs().list(modelId);
            runId = runs.ok() && runs->size() == 1 ? runs->first().id : 0;
            return runId != 0;
        },
        60000);
    ASSERT_GT(runId, 0);
    EXPECT_TRUE(window.jobManager()->waitForAll(120000));
    window.project()->refresh();
    auto run = window.project()->runs().get(runId);
    ASSERT_TRUE(run.ok());
    EXPECT_EQ(run->status, RunStatus::Finished);
    EXPECT_EQ(run->modelVersion, 3);
}

// Undo follows the active tab: an edit in a background builder is never undone from another
// tab, and renames and deletes have the project's own stack.
TEST_F(BuilderTest, UndoFollowsTheActiveDocument)
{
    MainWindow &window = openWindow();
    const qint64 digits = makeDigitsModel(window);
    ModelBuilder *first = openBuilder(window, digits);
    ASSERT_NE(first, nullptr);
    first->addLayer(QStringLiteral("Tanh"));
    LayerStackModel *firstDraft = first->stackModel(); // outlives the tab
    const ModelSpec firstEdited = firstDraft->spec();

    ModelBuilder *second = openBuilder(window, m_ids.models[1]);
    ASSERT_NE(second, nullptr);
    ASSERT_NE(first->undoStack(), second->undoStack());
    const ModelSpec secondStored = second->stackModel()->spec();
    second->addLayer(QStringLiteral("ReLU"));
    EXPECT_EQ(window.activeUndoStack(), second->undoStack());
    window.actions().undo->trigger();
    EXPECT_EQ(second->stackModel()->spec(), secondStored);
    EXPECT_FALSE(window.actions().undo->isEnabled()) << "nothing left to undo in this tab";
    EXPECT_EQ(first->stackModel()->spec(), firstEdited) << "the background tab keeps its edit";

    window.renameItem({ItemKind::Model, digits}, QStringLiteral("digits-renamed"));
    EXPECT_EQ(window.undoStack()->count(), 1) << "a rename is a project-level edit";
    EXPECT_EQ(firstDraft->undoStack()->count(), 1);
    window.documents()->closeAll();
    EXPECT_EQ(window.activeUndoStack(), window.undoStack());
    window.actions().undo->trigger();
    MLWB_TRY_EQ(window.project()->models().get(digits)->name, QStringLiteral("digits-mlp"));
    EXPECT_EQ(firstDraft->spec(), firstEdited);
}

} // namespace
} // namespace mlwb::test
