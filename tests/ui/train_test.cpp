// SPDX-License-Identifier: MIT
// The train area in the window: Train on a model through the hook with the dialog's values, the
// run appears and its tab opens, the job ends; inline validation in the dialog; Stop interrupts
// the run. (How long the event loop stalls while a job trains is measured by bench_ui.)
#include "ui_fixture.h"

#include "charts/confusion_matrix_view.h"
#include "charts/curve_chart_view.h"
#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "panes/explorer/explorer_pane.h"
#include "widgets/message_bar.h"
#include "panes/run/evaluation_view.h"
#include "panes/run/run_pane.h"
#include "panes/train/new_model_dialog.h"
#include "panes/train/train_commands.h"
#include "panes/train/train_dialog.h"
#include "data/dataset_catalog.h"
#include "model/model_catalog.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QFile>
#include <QStandardItemModel>
#include <QToolButton>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QTableWidget>
#include <QTreeView>

#include <gtest/gtest.h>

namespace mlwb::test {
namespace {

class TrainTest : public UiTest {
protected:
    // Imports iris and makes an MLP for it; returns the model's id.
    qint64 makeIrisModel(MainWindow &window)
    {
        Project &project = *window.project();
        DatasetCatalog datasets(project.db());
        auto ds = datasets.importCsv(datasetPath(QStringLiteral("iris.csv")),
                                     QStringLiteral("iris-train"), ImportOptions{});
        EXPECT_TRUE(ds.ok()) << qPrintable(ds.error());
        ModelCatalog models(project.db());
        auto model = models.createFromTemplate(QStringLiteral("iris-train-mlp"),
                                               QStringLiteral("iris-train"), QStringLiteral("mlp"));
        EXPECT_TRUE(model.ok()) << qPrintable(model.error());
        project.refresh();
        return model.ok() ? *model : 0;
    }

    // Triggers Train on the model and accepts the dialog with a tiny configuration.
    void train(MainWindow &window, qint64 modelId, TrainCommands &commands)
    {
        const QList<ItemRef> selection{{ItemKind::Model, modelId}};
        ASSERT_TRUE(window.canRunCommand(QStringLiteral("train.run"), selection));
        window.runCommand(QStringLiteral("train.run"), selection);
        TrainDialog *dialog = commands.openDialog();
        ASSERT_NE(dialog, nullptr);
        dialog->setValue(QStringLiteral("epochs"), QStringLiteral("2"));
        dialog->setValue(QStringLiteral("threads"), QStringLiteral("1"));
        dialog->setValue(QStringLiteral("batch_size"), QStringLiteral("16"));
        ASSERT_TRUE(dialog->isValid()) << qPrintable(dialog->errorText());
        dialog->accept();
    }

    // Waits until the job of this model's only run has ended; returns the run's id.
    qint64 waitForOnlyRun(MainWindow &window, qint64 modelId)
    {
        qint64 runId = 0;
        (void)QTest::qWaitFor([&] { return (runId = onlyRunOf(window, modelId)) != 0; }, 60000);
        EXPECT_TRUE(window.jobManager()->waitForAll(180000));
        window.project()->refresh();
        return runId;
    }

    qint64 onlyRunOf(MainWindow &window, qint64 modelId)
    {
        auto runs = window.project()->runs().list(modelId);
        return runs.ok() && runs->size() == 1 ? runs->first().id : 0;
    }

    bool finished(MainWindow &window, qint64 runId)
    {
        auto run = window.project()->runs().get(runId);
        return run.ok() && run->status == RunStatus::Finished;
    }
};

TEST_F(TrainTest, DialogShowsValidationErrorsInline)
{
    TrainDialog dialog(QStringLiteral("m"));
    EXPECT_TRUE(dialog.isValid());
    EXPECT_EQ(dialog.value(QStringLiteral("optimizer")), QStringLiteral("adam"));
    dialog.setValue(QStringLiteral("lr"), QStringLiteral("-1"));
    EXPECT_FALSE(dialog.isValid());
    EXPECT_TRUE(dialog.errorText().contains(QStringLiteral("lr")))
        << qPrintable(dialog.errorText());
    dialog.setValue(QStringLiteral("lr"), QStringLiteral("0.01"));
    dialog.setValue(QStringLiteral("epochs"), QStringLiteral("many"));
    EXPECT_FALSE(dialog.isValid());
    EXPECT_TRUE(dialog.errorText().contains(QStringLiteral("epochs")));
    dialog.setValue(QStringLiteral("epochs"), QStringLiteral("3"));
    EXPECT_TRUE(dialog.isValid());
    EXPECT_EQ(dialog.config().epochs, 3);
    EXPECT_DOUBLE_EQ(dialog.config().learningRate, 0.01);
}

TEST_F(TrainTest, TheTrainDialogGrowsForAnInlineErrorAndShrinksAfterIt)
{
    TrainDialog dialog(QStringLiteral("m"));
    dialog.show();
    QApplication::processEvents();
    const int before = dialog.height();
    auto noOverlap = [&dialog] {
        // Every visible child fits inside the dialog: an error row pushed nothing out of it.
        for (const QWidget *w : dialog.findChildren<QWidget *>())
            if (w->isVisible() && w->parentWidget() == &dialog && w->geometry().bottom() > dialog.height())
                return false;
        return dialog.height() >= dialog.minimumSizeHint().height();
    };
    dialog.setValue(QStringLiteral("lr"), QStringLiteral("-1"));
    EXPECT_FALSE(dialog.isValid());
    MLWB_TRY_VERIFY(dialog.height() > before); // it grew for the error
    EXPECT_TRUE(noOverlap());
    dialog.setValue(QStringLiteral("lr"), QStringLiteral("0.01"));
    EXPECT_TRUE(dialog.isValid());
    MLWB_TRY_EQ(dialog.height(), before); // and shrank back: no gap
}

TEST_F(TrainTest, NewModelFromTemplateOnADataset)
{
    MainWindow &window = openWindow();
    auto *commands = window.findChild<TrainCommands *>();
    ASSERT_NE(commands, nullptr);
    DatasetCatalog datasets(window.project()->db());
    auto ds = datasets.importCsv(datasetPath(QStringLiteral("iris.csv")),
                                 QStringLiteral("iris-train"), ImportOptions{});
    ASSERT_TRUE(ds.ok()) << qPrintable(ds.error());
    window.project()->refresh();
    MLWB_TRY_VERIFY(tree().indexOf({ItemKind::Dataset, *ds}).isValid());
    window.explorer()->select({ItemKind::Dataset, *ds});
    ASSERT_NE(commands->newModelAction(), nullptr);
    MLWB_TRY_VERIFY(commands->newModelAction()->isVisible());
    commands->newModelAction()->trigger();
    NewModelDialog *dialog = commands->openNewModelDialog();
    ASSERT_NE(dialog, nullptr);
    dialog->templateCombo()->setCurrentText(QStringLiteral("mlp"));
    dialog->nameEdit()->setText(QStringLiteral("iris-from-template"));
    dialog->accept();
    EXPECT_TRUE(dialog->errorText().isEmpty()) << qPrintable(dialog->errorText());
    const qint64 modelId = dialog->createdModelId();
    ASSERT_GT(modelId, 0);
    MLWB_TRY_VERIFY(tree().indexOf({ItemKind::Model, modelId}).isValid());
    EXPECT_EQ(nameOf(ItemKind::Model, modelId), QStringLiteral("iris-from-template"));
    // A new model opens in its tab.
    MLWB_TRY_EQ(window.documents()->currentRef(), (ItemRef{ItemKind::Model, modelId}));
}

TEST_F(TrainTest, TrainFromHookCreatesRunOpensItsTabAndFinishes)
{
    MainWindow &window = openWindow();
    auto *commands = window.findChild<TrainCommands *>();
    ASSERT_NE(commands, nullptr);
    const qint64 modelId = makeIrisModel(window);
    ASSERT_GT(modelId, 0);
    EXPECT_TRUE(window.commandAction(QStringLiteral("train.run"))->isVisible());

    ASSERT_NO_FATAL_FAILURE(train(window, modelId, *commands));
    qint64 runId = 0;
    (void)QTest::qWaitFor([&] { return (runId = onlyRunOf(window, modelId)) != 0; }, 60000);
    ASSERT_GT(runId, 0);
    MLWB_TRY_VERIFY(window.documents()->document({ItemKind::Run, runId}) != nullptr);
    MLWB_TRY_VERIFY(tree().indexOf({ItemKind::Run, runId}).isValid());
    EXPECT_GT(commands->jobOfRun(runId), 0);
    (void)QTest::qWaitFor([&] { return finished(window, runId); }, 180000);
    ASSERT_TRUE(finished(window, runId));
    EXPECT_TRUE(window.jobManager()->waitForAll(30000));
    const JobState job = window.jobManager()->job(commands->jobOfRun(runId));
    EXPECT_EQ(job.status, JobState::Status::Finished) << qPrintable(job.error);
    EXPECT_FALSE(window.canRunCommand(QStringLiteral("train.stop"), {{ItemKind::Run, runId}}));

    // The run's tab shows the evaluation on the test split.
    auto *pane = qobject_cast<RunPane *>(window.documents()->document({ItemKind::Run, runId}));
    ASSERT_NE(pane, nullptr);
    MLWB_TRY_VERIFY(pane->evaluation()->hasReport());
    EvaluationView *eval = pane->evaluation();
    EXPECT_GT(eval->metricsTable()->rowCount(), 0);
    EXPECT_EQ(eval->perClassTable()->rowCount(), 3);
    ASSERT_EQ(eval->confusionMatrix()->matrix().size(), 3u);
    qint64 total = 0;
    for (const auto &row : eval->confusionMatrix()->matrix())
        for (qint64 v : row)
            total += v;
    EXPECT_GT(total, 0);
    for (CurveChartView *chart : {eval->rocChart(), eval->prChart()}) {
        ASSERT_EQ(chart->curveCount(), 3);
        for (int i = 0; i < chart->curveCount(); ++i) {
            EXPECT_GT(chart->curve(i)->count(), 1);
            EXPECT_LE(chart->curve(i)->count(), EvaluationView::kMaxCurvePoints);
        }
    }

    if (!screenshotDir().isEmpty()) {
        window.resize(1400, 900);
        saveScreenshot(window, QStringLiteral("run-pane.png"));
    }
}

// Stop lands in the middle of training, after epoch 1 of 2000: a Stop that did nothing would let
// the job finish and the run end "finished", and fail here.
TEST_F(TrainTest, StopInterruptsTheRunInTheJobAndInTheFile)
{
    MainWindow &window = openWindow();
    auto *commands = window.findChild<TrainCommands *>();
    ASSERT_NE(commands, nullptr);
    const qint64 modelId = makeIrisModel(window);
    ASSERT_GT(modelId, 0);
    const QList<ItemRef> selection{{ItemKind::Model, modelId}};
    window.runCommand(QStringLiteral("train.run"), selection);
    TrainDialog *dialog = commands->openDialog();
    ASSERT_NE(dialog, nullptr);
    dialog->setValue(QStringLiteral("epochs"), QStringLiteral("2000"));
    dialog->setValue(QStringLiteral("threads"), QStringLiteral("1"));
    dialog->accept();
    qint64 runId = 0;
    (void)QTest::qWaitFor([&] { return (runId = onlyRunOf(window, modelId)) != 0; }, 60000);
    ASSERT_GT(runId, 0);
    MLWB_TRY_VERIFY(commands->jobOfRun(runId) > 0);
    const int jobId = commands->jobOfRun(runId);
    // Stop once an epoch has ended (and been checkpointed): the run is training, not loading.
    (void)QTest::qWaitFor(
        [&] {
            auto epochs = window.project()->metrics().series(runId, QStringLiteral("epoch"));
            return epochs.ok() && !epochs->empty();
        },
        60000);
    const QList<ItemRef> run{{ItemKind::Run, runId}};
    ASSERT_TRUE(window.canRunCommand(QStringLiteral("train.stop"), run));
    // The toolbar's Stop and Ctrl+. follow the active tab (the run training there), whatever
    // the explorer has selected.
    ASSERT_EQ(window.documents()->currentRef(), run.first());
    window.explorer()->select({ItemKind::Model, modelId});
    window.documents()->currentDocument()->setFocus();
    QAction *stop = window.commandAction(QStringLiteral("train.stop"));
    ASSERT_NE(stop, nullptr);
    MLWB_TRY_VERIFY(stop->isEnabled());
    stop->trigger();
    ASSERT_TRUE(window.jobManager()->waitForAll(60000));

    const JobState job = window.jobManager()->job(jobId);
    EXPECT_EQ(job.status, JobState::Status::Canceled) << qPrintable(job.message);
    EXPECT_FALSE(window.canRunCommand(QStringLiteral("train.stop"), run));
    auto stored = window.project()->runs().get(runId);
    ASSERT_TRUE(stored.ok()) << qPrintable(stored.error());
    EXPECT_EQ(stored->status, RunStatus::Interrupted) << qPrintable(stored->message);
    const int epochsRun = stored->summary.value(QStringLiteral("epochs_run")).toInt();
    EXPECT_GE(epochsRun, 1);
    EXPECT_LT(epochsRun, 2000);
    // Resumable: its latest checkpoint is there.
    auto latest = window.project()->runs().checkpoint(runId, QStringLiteral("latest"));
    ASSERT_TRUE(latest.ok()) << qPrintable(latest.error());
    EXPECT_EQ(latest->epoch, epochsRun);
}

TEST_F(TrainTest, TheDialogOffersEveryHyperparameterWithTheAdvancedOnesFolded)
{
    TrainDialog dialog(QStringLiteral("m"));
    QStringList all = TrainDialog::formKeys() + TrainDialog::advancedKeys();
    all.sort();
    QStringList known = TrainingConfig::keys();
    known.sort();
    EXPECT_EQ(all, known);
    EXPECT_FALSE(dialog.isAdvancedShown());
    // Advanced keys are folded away until asked for, and set like the others.
    auto *decay = dialog.findChild<QWidget *>(QStringLiteral("weight_decay"));
    ASSERT_NE(decay, nullptr);
    EXPECT_TRUE(decay->isHidden() || !decay->isVisibleTo(&dialog));
    dialog.setAdvancedShown(true);
    EXPECT_TRUE(decay->isVisibleTo(&dialog));
    dialog.setValue(QStringLiteral("weight_decay"), QStringLiteral("0.01"));
    dialog.setValue(QStringLiteral("nesterov"), QStringLiteral("true"));
    // Nesterov needs sgd: the message stands under the field that it names.
    EXPECT_FALSE(dialog.isValid());
    EXPECT_TRUE(dialog.errorText().contains(QStringLiteral("nesterov"))) << qPrintable(dialog.errorText());
    dialog.setValue(QStringLiteral("optimizer"), QStringLiteral("sgd"));
    dialog.setValue(QStringLiteral("loss"), QStringLiteral("cross_entropy"));
    ASSERT_TRUE(dialog.isValid()) << qPrintable(dialog.errorText());
    EXPECT_DOUBLE_EQ(dialog.config().weightDecay, 0.01);
    EXPECT_TRUE(dialog.config().nesterov);
    EXPECT_EQ(dialog.config().loss, QStringLiteral("cross_entropy"));
    // Unfolding and folding again fit the dialog to its contents.
    dialog.setAdvancedShown(false);
    dialog.show();
    QApplication::processEvents();
    const int folded = dialog.height();
    dialog.setAdvancedShown(true);
    MLWB_TRY_VERIFY(dialog.height() > folded);
    dialog.setAdvancedShown(false);
    MLWB_TRY_EQ(dialog.height(), folded);
    // An error in a folded section unfolds it, so the reason OK is disabled is visible.
    dialog.setAdvancedShown(false);
    dialog.setValue(QStringLiteral("grad_clip"), QStringLiteral("lots"));
    EXPECT_FALSE(dialog.isValid());
    EXPECT_TRUE(dialog.isAdvancedShown());
    EXPECT_TRUE(dialog.errorText().contains(QStringLiteral("grad_clip")));
}

// Train with a run name and settings, then Train again from the run: the dialog opens with the
// run's settings and version; the new run trains with them.
TEST_F(TrainTest, TrainAgainOpensWithTheRunsSettingsAndTheRunNameIsStored)
{
    MainWindow &window = openWindow();
    auto *commands = window.findChild<TrainCommands *>();
    ASSERT_NE(commands, nullptr);
    const qint64 modelId = makeIrisModel(window);
    ASSERT_GT(modelId, 0);
    window.runCommand(QStringLiteral("train.run"), {{ItemKind::Model, modelId}});
    TrainDialog *dialog = commands->openDialog();
    ASSERT_NE(dialog, nullptr);
    EXPECT_EQ(dialog->version(), 1);
    dialog->setRunName(QStringLiteral("sgd cosine"));
    dialog->setValue(QStringLiteral("epochs"), QStringLiteral("2"));
    dialog->setValue(QStringLiteral("threads"), QStringLiteral("1"));
    dialog->setValue(QStringLiteral("batch_size"), QStringLiteral("16"));
    dialog->setValue(QStringLiteral("lr"), QStringLiteral("0.005"));
    dialog->setValue(QStringLiteral("optimizer"), QStringLiteral("sgd"));
    dialog->setValue(QStringLiteral("schedule"), QStringLiteral("cosine"));
    dialog->setValue(QStringLiteral("weight_decay"), QStringLiteral("0.001"));
    ASSERT_TRUE(dialog->isValid()) << qPrintable(dialog->errorText());
    dialog->accept();
    const qint64 runId = waitForOnlyRun(window, modelId);
    ASSERT_GT(runId, 0);
    auto first = window.project()->runs().get(runId);
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first->status, RunStatus::Finished) << qPrintable(first->message);
    EXPECT_EQ(first->name, QStringLiteral("sgd cosine"));
    MLWB_TRY_VERIFY(nameOf(ItemKind::Run, runId).startsWith(QStringLiteral("sgd cosine")));

    // Train again from the run.
    ASSERT_TRUE(window.runCommand(QStringLiteral("train.run"), {{ItemKind::Run, runId}}));
    dialog = commands->openDialog();
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->windowTitle().contains(QStringLiteral("again"))) << qPrintable(dialog->windowTitle());
    EXPECT_EQ(dialog->value(QStringLiteral("epochs")), QStringLiteral("2"));
    EXPECT_EQ(dialog->value(QStringLiteral("batch_size")), QStringLiteral("16"));
    EXPECT_EQ(dialog->value(QStringLiteral("lr")), QStringLiteral("0.005"));
    EXPECT_EQ(dialog->value(QStringLiteral("optimizer")), QStringLiteral("sgd"));
    EXPECT_EQ(dialog->value(QStringLiteral("schedule")), QStringLiteral("cosine"));
    EXPECT_EQ(dialog->value(QStringLiteral("weight_decay")), QStringLiteral("0.001"));
    EXPECT_EQ(dialog->value(QStringLiteral("threads")), QStringLiteral("1"));
    EXPECT_EQ(dialog->version(), first->modelVersion);
    ASSERT_TRUE(dialog->isValid()) << qPrintable(dialog->errorText());
    EXPECT_EQ(dialog->config().toJson(), first->hyperparams);
    dialog->reject();
}

// Resume continues an interrupted run (the same run, from its checkpoint) to its last epoch.
TEST_F(TrainTest, ResumeContinuesAnInterruptedRun)
{
    MainWindow &window = openWindow();
    auto *commands = window.findChild<TrainCommands *>();
    ASSERT_NE(commands, nullptr);
    const qint64 modelId = makeIrisModel(window);
    ASSERT_GT(modelId, 0);
    window.runCommand(QStringLiteral("train.run"), {{ItemKind::Model, modelId}});
    TrainDialog *dialog = commands->openDialog();
    ASSERT_NE(dialog, nullptr);
    const int epochs = 40;
    dialog->setValue(QStringLiteral("epochs"), QString::number(epochs));
    dialog->setValue(QStringLiteral("batch_size"), QStringLiteral("2"));
    dialog->setValue(QStringLiteral("threads"), QStringLiteral("1"));
    dialog->accept();
    qint64 runId = 0;
    (void)QTest::qWaitFor([&] { return (runId = onlyRunOf(window, modelId)) != 0; }, 60000);
    ASSERT_GT(runId, 0);
    MLWB_TRY_VERIFY(commands->jobOfRun(runId) > 0);
    const QList<ItemRef> run{{ItemKind::Run, runId}};
    EXPECT_FALSE(window.canRunCommand(QStringLiteral("train.resume"), run)); // it trains
    (void)QTest::qWaitFor(
        [&] {
            auto e = window.project()->metrics().series(runId, QStringLiteral("epoch"));
            return e.ok() && !e->empty();
        },
        60000);
    window.runCommand(QStringLiteral("train.stop"), run);
    ASSERT_TRUE(window.jobManager()->waitForAll(60000));
    window.project()->refresh();
    auto stopped = window.project()->runs().get(runId);
    ASSERT_TRUE(stopped.ok());
    ASSERT_EQ(stopped->status, RunStatus::Interrupted) << "trained to the end before Stop";
    const int before = stopped->summary.value(QStringLiteral("epochs_run")).toInt();
    EXPECT_LT(before, epochs);

    // Resume is in the run's context menu (enabled for it) and on the run's tab.
    window.explorer()->select(run.first());
    QAction *resume = window.commandAction(QStringLiteral("train.resume"));
    ASSERT_NE(resume, nullptr);
    MLWB_TRY_VERIFY(resume->isEnabled());
    // The explorer's menu offers what applies to an interrupted run: Resume and Train again,
    // not Stop nor Export.
    auto *tree = window.explorer()->findChild<QTreeView *>();
    ASSERT_NE(tree, nullptr);
    tree->setFocus();
    QAction *stopAction = window.commandAction(QStringLiteral("train.stop"));
    QAction *exportAction = window.commandAction(QStringLiteral("run.exportTorchScript"));
    QAction *trainAction = window.commandAction(QStringLiteral("train.run"));
    MLWB_TRY_VERIFY(window.explorer()->menuActions().contains(resume));
    EXPECT_TRUE(window.explorer()->menuActions().contains(trainAction));
    EXPECT_FALSE(window.explorer()->menuActions().contains(stopAction));
    EXPECT_FALSE(window.explorer()->menuActions().contains(exportAction));
    ASSERT_TRUE(window.documents()->open(run.first()));
    auto *pane = qobject_cast<RunPane *>(window.documents()->document(run.first()));
    ASSERT_NE(pane, nullptr);
    MLWB_TRY_VERIFY(pane->resumeButton()->isVisible());
    if (!screenshotDir().isEmpty()) {
        window.resize(1400, 900);
        saveScreenshot(window, QStringLiteral("run-interrupted.png"));
    }
    QTest::mouseClick(pane->resumeButton(), Qt::LeftButton);
    MLWB_TRY_VERIFY(commands->jobOfRun(runId) > 0);
    ASSERT_TRUE(window.jobManager()->waitForAll(180000));
    window.project()->refresh();
    auto resumed = window.project()->runs().get(runId);
    ASSERT_TRUE(resumed.ok());
    EXPECT_EQ(resumed->status, RunStatus::Finished) << qPrintable(resumed->message);
    EXPECT_EQ(resumed->summary.value(QStringLiteral("epochs_run")).toInt(), epochs);
    EXPECT_EQ(window.project()->runs().list(modelId)->size(), 1); // the same run, no new one
    EXPECT_FALSE(window.canRunCommand(QStringLiteral("train.resume"), run)); // finished now
    MLWB_TRY_VERIFY(!pane->resumeButton()->isVisible());
    // Finished: Export applies, Resume no longer.
    window.explorer()->select(run.first());
    tree->setFocus();
    MLWB_TRY_VERIFY(window.explorer()->menuActions().contains(exportAction));
    EXPECT_FALSE(window.explorer()->menuActions().contains(resume));
}

// Export TorchScript writes the trained model and says where, with an Open Folder action.
TEST_F(TrainTest, ExportTorchScriptWritesTheFileAndNamesIt)
{
    MainWindow &window = openWindow();
    auto *commands = window.findChild<TrainCommands *>();
    ASSERT_NE(commands, nullptr);
    const qint64 modelId = makeIrisModel(window);
    ASSERT_GT(modelId, 0);
    ASSERT_NO_FATAL_FAILURE(train(window, modelId, *commands));
    const qint64 runId = waitForOnlyRun(window, modelId);
    ASSERT_TRUE(finished(window, runId));
    const QList<ItemRef> run{{ItemKind::Run, runId}};
    ASSERT_TRUE(window.canRunCommand(QStringLiteral("run.exportTorchScript"), run));
    const QString target = path(QStringLiteral("exported.pt"));
    ASSERT_TRUE(window.runCommand(QStringLiteral("run.exportTorchScript"), run, target));
    QFile file(target);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    EXPECT_GT(bytes.size(), 1000);
    EXPECT_TRUE(bytes.startsWith("PK")); // a TorchScript archive is a zip file
    MessageBar *bar = window.messageBar();
    EXPECT_EQ(bar->type(), MessageBar::Type::Positive);
    EXPECT_TRUE(bar->text().contains(QDir::toNativeSeparators(target))) << qPrintable(bar->text());
    QStringList buttons;
    for (QAbstractButton *b : bar->findChildren<QAbstractButton *>())
        if (b->isVisibleTo(bar))
            buttons << b->text();
    EXPECT_TRUE(buttons.contains(QStringLiteral("Open Folder"))) << qPrintable(buttons.join(u','));
    // Not offered for a run that has no trained model yet.
    EXPECT_FALSE(window.canRunCommand(QStringLiteral("run.exportTorchScript"), {{ItemKind::Model, modelId}}));
}

// New Model: a template that cannot fit the data set is disabled with the reason; the name
// follows the template until typed; the title fits.
TEST_F(TrainTest, NewModelOffersOnlyFittingTemplatesAndNamesFollowThem)
{
    MainWindow &window = openWindow();
    DatasetCatalog datasets(window.project()->db());
    auto ds = datasets.importCsv(datasetPath(QStringLiteral("iris.csv")),
                                 QStringLiteral("iris-train"), ImportOptions{});
    ASSERT_TRUE(ds.ok()) << qPrintable(ds.error());
    window.project()->refresh();
    NewModelDialog dialog(*window.project(), *ds);
    dialog.show();
    MLWB_TRY_VERIFY(!dialog.isReadingDataSet());
    EXPECT_FALSE(dialog.fittingTemplates().contains(QStringLiteral("cnn")));
    EXPECT_TRUE(dialog.fittingTemplates().contains(QStringLiteral("mlp")));
    EXPECT_TRUE(dialog.unfitText().contains(QStringLiteral("cnn"))) << qPrintable(dialog.unfitText());
    EXPECT_TRUE(dialog.unfitText().contains(QStringLiteral("image"))) << qPrintable(dialog.unfitText());
    QComboBox *combo = dialog.templateCombo();
    const int cnn = combo->findData(QStringLiteral("cnn"));
    ASSERT_GE(cnn, 0);
    auto *items = qobject_cast<QStandardItemModel *>(combo->model());
    ASSERT_NE(items, nullptr);
    EXPECT_FALSE(items->item(cnn)->isEnabled());

    EXPECT_EQ(dialog.nameEdit()->text(), QStringLiteral("iris-train-mlp"));
    combo->setCurrentIndex(combo->findData(QStringLiteral("logistic")));
    EXPECT_EQ(dialog.nameEdit()->text(), QStringLiteral("iris-train-logistic"));
    dialog.nameEdit()->setFocus();
    dialog.nameEdit()->selectAll();
    QTest::keyClicks(dialog.nameEdit(), QStringLiteral("my-model"));
    combo->setCurrentIndex(combo->findData(QStringLiteral("mlp")));
    EXPECT_EQ(dialog.nameEdit()->text(), QStringLiteral("my-model"));

    EXPECT_GE(dialog.width(), dialog.fontMetrics().horizontalAdvance(dialog.windowTitle()));
    EXPECT_EQ(dialog.windowTitle(), QStringLiteral("New Model for \u201ciris-train\u201d"));
}

} // namespace
} // namespace mlwb::test
