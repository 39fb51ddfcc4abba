// SPDX-License-Identifier: MIT
// The whole path an engineer takes in the window, through the real widgets: import digits.csv
// with the import dialog, make a model from a template, shape it into an MLP in the model
// builder, train it twice for two epochs from the builder's Train button, watch the runs finish
// with their charts, and compare the two runs (curves and final-metrics table).

#include "ui_fixture.h"

#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "panes/builder/model_builder.h"
#include "panes/compare/compare_view.h"
#include "panes/dataset/import_dataset_dialog.h"
#include "panes/explorer/explorer_pane.h"
#include "panes/run/evaluation_view.h"
#include "panes/run/run_overview.h"
#include "panes/run/run_pane.h"
#include "charts/curve_chart_view.h"
#include "charts/metric_chart_view.h"
#include "panes/train/new_model_dialog.h"
#include "panes/train/train_commands.h"
#include "panes/train/train_dialog.h"
#include "widgets/message_bar.h"

#include <QAction>
#include <QChartView>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>

namespace mlwb::test {
namespace {

using WorkflowTest = UiTest;

TEST_F(WorkflowTest, ImportBuildTrainTwiceAndCompare)
{
    MainWindow &w = openWindow();
    auto *commands = w.findChild<TrainCommands *>();
    ASSERT_NE(commands, nullptr);

    // 1. Import digits.csv through the dialog; the job runs, the data set appears.
    ImportDatasetDialog import(w, datasetPath(QStringLiteral("digits.csv")), &w);
    ASSERT_TRUE(import.previewOk()) << qPrintable(import.messageBar()->text());
    EXPECT_EQ(import.targetCombo()->currentText(), QStringLiteral("digit"));
    import.nameEdit()->setText(QStringLiteral("digits-ui"));
    QPushButton *ok = import.buttons()->button(QDialogButtonBox::Ok);
    ASSERT_TRUE(ok->isEnabled()) << qPrintable(ok->toolTip());
    ok->click();
    ASSERT_TRUE(w.jobManager()->waitForAll(60000));
    auto dataset = w.project()->datasets().byName(QStringLiteral("digits-ui"));
    ASSERT_TRUE(dataset.ok()) << qPrintable(dataset.error());
    EXPECT_EQ(dataset->rowCount, 1797);
    MLWB_TRY_VERIFY(indexOf(ItemKind::Dataset, dataset->id).isValid());

    // 2. A model from the data set's context action (logistic regression to start with).
    w.explorer()->select({ItemKind::Dataset, dataset->id});
    MLWB_TRY_VERIFY(commands->newModelAction()->isVisible());
    commands->newModelAction()->trigger();
    NewModelDialog *newModel = commands->openNewModelDialog();
    ASSERT_NE(newModel, nullptr);
    newModel->templateCombo()->setCurrentText(QStringLiteral("logistic"));
    newModel->nameEdit()->setText(QStringLiteral("digits-net"));
    newModel->accept();
    ASSERT_TRUE(newModel->errorText().isEmpty()) << qPrintable(newModel->errorText());
    const qint64 modelId = newModel->createdModelId();
    ASSERT_GT(modelId, 0);

    // 3. The model builder: turn it into an MLP, see the shapes, save the version.
    ASSERT_TRUE(w.documents()->open({ItemKind::Model, modelId}));
    auto *builder = qobject_cast<ModelBuilder *>(w.documents()->tabs()->currentWidget());
    ASSERT_NE(builder, nullptr);
    builder->applyTemplate(QStringLiteral("mlp"));
    LayerStackModel *stack = builder->stackModel();
    ASSERT_GE(stack->rowCount(), 5);
    EXPECT_TRUE(builder->summaryLabel()->text().contains(QStringLiteral("50,826"))
                || builder->summaryLabel()->text().contains(QStringLiteral("50826")))
        << qPrintable(builder->summaryLabel()->text());
    ASSERT_TRUE(builder->saveVersion()) << qPrintable(builder->messageBar()->text());
    auto versions = w.project()->models().versions(modelId);
    ASSERT_TRUE(versions.ok()) << qPrintable(versions.error());
    EXPECT_EQ(versions->size(), 2);
    EXPECT_TRUE(versions->last().specJson.contains("\"Dropout\"")) << versions->last().specJson.constData();

    // 4. Train from the builder: the window's dialog opens; two epochs, twice (two learning
    //    rates), each run's tab opens and fills with curves.
    QList<qint64> runs;
    for (const char *lr : {"0.001", "0.003"}) {
        builder->trainButton()->click();
        TrainDialog *dialog = commands->openDialog();
        ASSERT_NE(dialog, nullptr);
        dialog->setValue(QStringLiteral("epochs"), QStringLiteral("2"));
        dialog->setValue(QStringLiteral("lr"), QString::fromLatin1(lr));
        dialog->setValue(QStringLiteral("threads"), QStringLiteral("1"));
        ASSERT_TRUE(dialog->isValid()) << qPrintable(dialog->errorText());
        dialog->accept();
        ASSERT_TRUE(w.jobManager()->waitForAll(120000));
        auto list = w.project()->runs().list(modelId);
        ASSERT_TRUE(list.ok());
        ASSERT_EQ(list->size(), runs.size() + 1);
        qint64 newest = 0;
        for (const RunRecord &r : *list)
            newest = std::max(newest, r.id);
        runs << newest;
        auto run = w.project()->runs().get(newest);
        ASSERT_TRUE(run.ok());
        EXPECT_EQ(run->status, RunStatus::Finished) << qPrintable(run->message);
        // The run's tab is open: the loss curve in the Training tab, and the evaluation (the
        // tab a watched run switches to when it ends) with its confusion matrix and curves.
        auto *pane = qobject_cast<RunPane *>(w.documents()->tabs()->currentWidget());
        ASSERT_NE(pane, nullptr);
        MLWB_TRY_VERIFY(pane->evaluation()->hasReport());
        EXPECT_GT(pane->evaluation()->rocChart()->curveCount(), 0);
        EXPECT_GT(pane->evaluation()->prChart()->curveCount(), 0);
        for (int i = 0; i < pane->tabs()->count(); ++i) {
            QWidget *page = pane->tabs()->widget(i);
            if (page == pane->overview() || page->isAncestorOf(pane->overview()))
                pane->tabs()->setCurrentIndex(i); // Training
        }
        MLWB_TRY_VERIFY(pane->overview()->chart(QStringLiteral("loss")) != nullptr);
        MLWB_TRY_VERIFY(pane->overview()->chart(QStringLiteral("loss"))->pointCount() > 0);
        ASSERT_TRUE(w.documents()->open({ItemKind::Model, modelId}));
    }

    // 5. Compare the two runs: one curve per run for the chosen key, and the final metrics.
    QList<ItemRef> selection;
    for (qint64 id : runs)
        selection << ItemRef{ItemKind::Run, id};
    ASSERT_TRUE(w.canRunCommand(QStringLiteral("compare.runs"), selection));
    w.runCommand(QStringLiteral("compare.runs"), selection);
    auto *compare = qobject_cast<CompareView *>(w.documents()->tabs()->currentWidget());
    ASSERT_NE(compare, nullptr);
    compare->setMetricKey(QStringLiteral("loss"));
    MLWB_TRY_EQ(compare->series().size(), 2);
    for (QLineSeries *s : compare->series())
        EXPECT_GT(s->count(), 0) << qPrintable(s->name());

    QTableWidget *table = compare->summaryTable();
    ASSERT_EQ(table->rowCount(), 2);
    int accuracyColumn = -1;
    for (int c = 0; c < table->columnCount(); ++c) {
        if (table->horizontalHeaderItem(c)->text() == u"test_accuracy")
            accuracyColumn = c;
    }
    ASSERT_GE(accuracyColumn, 0);
    for (int r = 0; r < 2; ++r) {
        const double shown = table->item(r, accuracyColumn)->data(Qt::EditRole).toDouble();
        EXPECT_GT(shown, 0.8) << "two epochs of an MLP on digits";
    }
}

} // namespace
} // namespace mlwb::test
