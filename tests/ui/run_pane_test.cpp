// SPDX-License-Identifier: MIT
// The run tab: precision-recall curves and the reliability diagram drawn from the stored report,
// the x axis of the live charts (step, epoch, wall time), empty states that say what comes next,
// the reflowing chart grid, and Stop on a running run's tab cancelling its job.
#include "ui_fixture.h"
#include "widgets/message_bar.h"

#include "charts/chart_grid.h"
#include "charts/confusion_matrix_view.h"
#include "charts/curve_chart_view.h"
#include "charts/metric_chart_view.h"
#include "eval/classification_evaluator.h"
#include "eval/regression_evaluator.h"
#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "panes/run/evaluation_view.h"
#include "panes/run/run_job_bar.h"
#include "panes/run/run_overview.h"
#include "panes/run/run_pane.h"
#include "panes/train/train_commands.h"
#include "panes/train/train_dialog.h"
#include "store/evaluation_repository.h"
#include "store/metric_logger.h"
#include "data/dataset_catalog.h"
#include "model/model_catalog.h"

#include <QDockWidget>
#include <QChart>
#include <QLegend>
#include <QComboBox>
#include <QJsonArray>
#include <QLineSeries>
#include <QScatterSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QValueAxis>

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace mlwb::test {
namespace {

class RunPaneTest : public UiTest {
protected:
    qint64 runWithStatus(RunStatus status)
    {
        auto file = ProjectFile::open(m_path);
        EXPECT_TRUE(file.ok());
        RunRepository runs((*file)->db());
        for (qint64 id : std::as_const(m_ids.runs)) {
            auto run = runs.get(id);
            if (run.ok() && run->status == status)
                return id;
        }
        return 0;
    }

    // Stores a three-class report with noisy but informative probabilities for a finished run.
    QJsonObject storeReport(qint64 runId)
    {
        auto file = ProjectFile::open(m_path);
        EXPECT_TRUE(file.ok());
        auto run = RunRepository((*file)->db()).get(runId);
        EXPECT_TRUE(run.ok());
        std::mt19937 rng(3);
        std::uniform_real_distribution<float> u(0.0f, 1.0f);
        std::vector<float> probabilities;
        std::vector<qint64> labels;
        for (int i = 0; i < 150; ++i) {
            const qint64 label = i % 3;
            float p[3] = {u(rng), u(rng), u(rng)};
            p[label] += 1.2f * u(rng);
            const float sum = p[0] + p[1] + p[2];
            for (float v : p)
                probabilities.push_back(v / sum);
            labels.push_back(label);
        }
        auto report = ClassificationEvaluator::evaluate(
            probabilities, labels,
            {QStringLiteral("setosa"), QStringLiteral("versicolor"), QStringLiteral("virginica")});
        EXPECT_TRUE(report.ok()) << qPrintable(report.error());
        EvaluationRecord record;
        record.runId = runId;
        record.datasetId = run->datasetId;
        record.split = QStringLiteral("test");
        record.report = report->toJson();
        EXPECT_TRUE(EvaluationRepository((*file)->db()).save(record).ok());
        return record.report;
    }

    RunPane *openRun(MainWindow &window, qint64 runId)
    {
        EXPECT_TRUE(window.documents()->open({ItemKind::Run, runId}));
        return qobject_cast<RunPane *>(window.documents()->document({ItemKind::Run, runId}));
    }

    static QString formatted(const QJsonValue &v) { return QString::number(v.toDouble(), 'f', 4); }
};

TEST_F(RunPaneTest, PrecisionRecallAndCalibrationComeFromTheStoredReport)
{
    const qint64 runId = runWithStatus(RunStatus::Finished);
    ASSERT_GT(runId, 0);
    const QJsonObject report = storeReport(runId);
    MainWindow &window = openWindow();
    RunPane *pane = openRun(window, runId);
    ASSERT_NE(pane, nullptr);
    EvaluationView *eval = pane->evaluation();
    ASSERT_TRUE(eval->hasReport());
    EXPECT_EQ(pane->tabs()->currentIndex(), 1) << "a finished run opens on its evaluation";

    // One PR curve per class, with the stored points and its average precision in the legend.
    const QJsonArray classes = report.value(QStringLiteral("per_class")).toArray();
    CurveChartView *pr = eval->prChart();
    ASSERT_EQ(pr->curveCount(), classes.size());
    EXPECT_EQ(pr->reference(), nullptr);
    for (int i = 0; i < classes.size(); ++i) {
        const QJsonObject c = classes.at(i).toObject();
        const QJsonObject stored = c.value(QStringLiteral("pr")).toObject();
        const QJsonArray recall = stored.value(QStringLiteral("recall")).toArray();
        const QJsonArray precision = stored.value(QStringLiteral("precision")).toArray();
        QLineSeries *series = pr->curve(i);
        ASSERT_EQ(series->count(), recall.size());
        for (int j = 0; j < recall.size(); ++j) {
            EXPECT_DOUBLE_EQ(series->at(j).x(), recall.at(j).toDouble());
            EXPECT_DOUBLE_EQ(series->at(j).y(), precision.at(j).toDouble());
        }
        EXPECT_TRUE(series->name().startsWith(c.value(QStringLiteral("name")).toString()));
        EXPECT_TRUE(series->name().contains(
            QStringLiteral("AP %1").arg(formatted(c.value(QStringLiteral("average_precision"))))))
            << qPrintable(series->name());
    }
    EXPECT_EQ(eval->perClassTable()->rowCount(), classes.size());
    EXPECT_EQ(eval->perClassTable()->item(0, 6)->text(),
              formatted(classes.at(0).toObject().value(QStringLiteral("average_precision"))));

    // The reliability diagram: the diagonal, and one point per non-empty bin.
    const QJsonObject cal = report.value(QStringLiteral("calibration")).toObject();
    const QJsonArray count = cal.value(QStringLiteral("count")).toArray();
    const QJsonArray confidence = cal.value(QStringLiteral("confidence")).toArray();
    const QJsonArray accuracy = cal.value(QStringLiteral("accuracy")).toArray();
    QList<QPointF> bins;
    for (int b = 0; b < count.size(); ++b)
        if (count.at(b).toDouble() > 0)
            bins.append({confidence.at(b).toDouble(), accuracy.at(b).toDouble()});
    ASSERT_GT(bins.size(), 1);
    CurveChartView *calibration = eval->calibrationChart();
    ASSERT_EQ(calibration->curveCount(), 1);
    ASSERT_NE(calibration->reference(), nullptr);
    EXPECT_EQ(calibration->reference()->points(), (QList<QPointF>{{0, 0}, {1, 1}}));
    EXPECT_EQ(calibration->curve(0)->points(), bins);
    const QString ece =
        formatted(report.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("ece")));
    EXPECT_TRUE(calibration->chart()->title().contains(QStringLiteral("ECE ") + ece))
        << qPrintable(calibration->chart()->title());
    EXPECT_TRUE(calibration->curve(0)->name().contains(ece));

    // ROC: one curve per class beside the chance diagonal.
    EXPECT_EQ(eval->rocChart()->curveCount(), classes.size());
    EXPECT_NE(eval->rocChart()->reference(), nullptr);
    EXPECT_TRUE(eval->residualChart()->isHidden());
    EXPECT_EQ(ConfusionMatrixView::columnAxisTitle(), QStringLiteral("Predicted"));
    EXPECT_EQ(ConfusionMatrixView::rowAxisTitle(), QStringLiteral("Actual"));
    if (!screenshotDir().isEmpty()) {
        window.resize(1400, 900);
        saveScreenshot(window, QStringLiteral("run-evaluation.png"), 500);
        // The charts below the fold, as laid out in the grid.
        saveScreenshot(*eval->rocChart(), QStringLiteral("run-evaluation-roc.png"), 0);
        saveScreenshot(*eval->calibrationChart(), QStringLiteral("run-evaluation-calibration.png"), 0);
        saveScreenshot(*eval->prChart(), QStringLiteral("run-evaluation-pr.png"), 0);
    }
    // In a narrow window the legend moves below the plot, where neither its names nor the
    // calibration's axis title are cut; wide, it goes back beside the plot.
    // The docks keep their widths (the centre never squeezes them): without the side docks the
    // centre of a 900 px window gives the charts a narrow width.
    for (QDockWidget *dock : window.projectDocks())
        dock->hide();
    window.resize(900, 900);
    MLWB_TRY_VERIFY(eval->rocChart()->width() < 480);
    // Two entries fit in a row below; four AUC names do not, and go inside the plot's empty
    // lower right.
    EXPECT_EQ(eval->calibrationChart()->legendAlignment(), Qt::AlignBottom);
    EXPECT_FALSE(eval->calibrationChart()->isLegendInside());
    EXPECT_TRUE(eval->rocChart()->isLegendInside());
    QChart *roc = eval->rocChart()->chart();
    // Inside the plot, not cut at the chart's edge, once the layout has settled.
    MLWB_TRY_VERIFY(roc->plotArea().contains(roc->legend()->geometry()));
    const QRectF plot = roc->plotArea();
    const QRectF legend = roc->legend()->geometry();
    EXPECT_GT(legend.center().x(), plot.center().x());
    EXPECT_GT(legend.center().y(), plot.center().y());
    saveScreenshot(*eval->rocChart(), QStringLiteral("run-evaluation-roc-narrow.png"), 100);
    saveScreenshot(*eval->calibrationChart(), QStringLiteral("run-evaluation-calibration-narrow.png"), 100);
    window.resize(1800, 900);
    MLWB_TRY_VERIFY(eval->rocChart()->width() > 700);
    EXPECT_EQ(eval->rocChart()->legendAlignment(), Qt::AlignRight);
    EXPECT_FALSE(eval->rocChart()->isLegendInside());
}

TEST_F(RunPaneTest, ResidualsHaveAZeroLineAndStayInsideThePlot)
{
    const qint64 runId = runWithStatus(RunStatus::Finished);
    ASSERT_GT(runId, 0);
    {
        auto file = ProjectFile::open(m_path);
        ASSERT_TRUE(file.ok());
        auto run = RunRepository((*file)->db()).get(runId);
        ASSERT_TRUE(run.ok());
        std::vector<double> predictions, targets;
        for (int i = 0; i < 80; ++i) {
            predictions.push_back(50.0 + 3.1 * i);
            targets.push_back(50.0 + 3.1 * i + ((i * 37) % 41 - 20) * 1.7);
        }
        auto report = RegressionEvaluator::evaluate(std::span<const double>(predictions),
                                                    std::span<const double>(targets));
        ASSERT_TRUE(report.ok()) << qPrintable(report.error());
        EvaluationRecord record;
        record.runId = runId;
        record.datasetId = run->datasetId;
        record.split = QStringLiteral("test");
        record.report = report->toJson();
        ASSERT_TRUE(EvaluationRepository((*file)->db()).save(record).ok());
    }
    MainWindow &window = openWindow();
    RunPane *pane = openRun(window, runId);
    ASSERT_NE(pane, nullptr);
    EvaluationView *eval = pane->evaluation();
    ASSERT_TRUE(eval->hasReport());
    QChartView *residuals = eval->residualChart();
    ASSERT_FALSE(residuals->isHidden());
    QLineSeries *zero = nullptr;
    QScatterSeries *points = nullptr;
    for (QAbstractSeries *s : residuals->chart()->series()) {
        if (auto *l = qobject_cast<QLineSeries *>(s); l && s->objectName() == u"zeroLine")
            zero = l;
        if (auto *sc = qobject_cast<QScatterSeries *>(s))
            points = sc;
    }
    ASSERT_NE(zero, nullptr) << "a y = 0 line";
    ASSERT_NE(points, nullptr);
    auto *x = qobject_cast<QValueAxis *>(residuals->chart()->axes(Qt::Horizontal).value(0));
    auto *y = qobject_cast<QValueAxis *>(residuals->chart()->axes(Qt::Vertical).value(0));
    ASSERT_NE(x, nullptr);
    ASSERT_NE(y, nullptr);
    ASSERT_EQ(zero->count(), 2);
    EXPECT_EQ(zero->at(0), QPointF(x->min(), 0));
    EXPECT_EQ(zero->at(1), QPointF(x->max(), 0));
    ASSERT_EQ(points->count(), 80);
    // Every point strictly inside the axes, so no marker is cut at the plot's edge.
    for (const QPointF &p : points->points()) {
        EXPECT_GT(p.x(), x->min());
        EXPECT_LT(p.x(), x->max());
        EXPECT_GT(p.y(), y->min());
        EXPECT_LT(p.y(), y->max());
    }
    // Round ends: predictions 50..294.9 -> 0..300 by 50 or similar whole steps.
    const double step = (x->max() - x->min()) / (x->tickCount() - 1);
    EXPECT_NEAR(std::remainder(x->min(), step), 0.0, 1e-9);
    EXPECT_NEAR(std::remainder(x->max(), step), 0.0, 1e-9);
    if (!screenshotDir().isEmpty()) {
        window.resize(1400, 900);
        saveScreenshot(window, QStringLiteral("run-residuals.png"), 500);
    }
}

TEST_F(RunPaneTest, ChartsSwitchBetweenStepEpochAndWallTime)
{
    const qint64 runId = runWithStatus(RunStatus::Finished);
    ASSERT_GT(runId, 0);
    {
        auto logger = MetricLogger::open(m_path);
        ASSERT_TRUE(logger.ok());
        // 50 steps per epoch, one point every half second from t = 1e9 s.
        const MetricLogger::Key probe = (*logger)->key(QStringLiteral("probe"));
        const MetricLogger::Key epoch = (*logger)->key(QStringLiteral("epoch"));
        for (int s = 0; s < 100; ++s)
            (*logger)->log(runId, probe, s, 1.0 / (1 + s), 1e9 + 0.5 * s);
        (*logger)->log(runId, epoch, 50, 1.0, 1e9 + 25.0);
        (*logger)->log(runId, epoch, 100, 2.0, 1e9 + 50.0);
        ASSERT_TRUE((*logger)->flush().ok());
    }
    MainWindow &window = openWindow();
    RunPane *pane = openRun(window, runId);
    ASSERT_NE(pane, nullptr);
    RunOverview *overview = pane->overview();
    MetricChartView *chart = overview->chart(QStringLiteral("probe"));
    ASSERT_NE(chart, nullptr);
    EXPECT_EQ(overview->chart(QStringLiteral("epoch")), nullptr) << "epoch is an axis, not a chart";
    ASSERT_GT(chart->pointCount(), 1);
    EXPECT_EQ(overview->xAxis(), MetricChartView::XAxis::Step);
    EXPECT_DOUBLE_EQ(chart->points().last().x(), 99.0);

    QComboBox *axis = overview->xAxisCombo();
    axis->setCurrentIndex(axis->findData(int(MetricChartView::XAxis::Epoch)));
    EXPECT_EQ(chart->scale().axis, MetricChartView::XAxis::Epoch);
    EXPECT_NEAR(chart->points().last().x(), 99.0 / 50.0, 1e-9);
    EXPECT_NEAR(chart->scale().x(25, 0), 0.5, 1e-9);
    EXPECT_NEAR(chart->scale().x(125, 0), 2.5, 1e-9) << "past the last epoch at its pace";
    auto *x = qobject_cast<QValueAxis *>(chart->chart()->axes(Qt::Horizontal).value(0));
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(x->titleText(), QStringLiteral("epoch"));

    overview->setXAxis(MetricChartView::XAxis::WallTime);
    const double origin = overview->snapshot().wallOrigin;
    EXPECT_LE(origin, 1e9);
    EXPECT_NEAR(chart->points().last().x(), 1e9 + 49.5 - origin, 1e-6);
    EXPECT_TRUE(x->titleText().contains(QStringLiteral("wall time")));
    // Every chart shares the scale.
    for (MetricChartView *c : overview->charts())
        EXPECT_EQ(c->scale().axis, MetricChartView::XAxis::WallTime) << qPrintable(c->key());

    if (!screenshotDir().isEmpty()) {
        overview->setXAxis(MetricChartView::XAxis::Epoch);
        pane->tabs()->setCurrentIndex(0);
        window.resize(1400, 900);
        saveScreenshot(window, QStringLiteral("run-training.png"), 500);
    }
}

TEST_F(RunPaneTest, ChartsLeadWithLossAndPairTrainWithValidation)
{
    const qint64 runId = runWithStatus(RunStatus::Queued); // no series of its own yet
    ASSERT_GT(runId, 0);
    {
        auto logger = MetricLogger::open(m_path);
        ASSERT_TRUE(logger.ok());
        // What the trainer logs, per step and per epoch; the accuracy reaches 1.0.
        for (int s = 0; s < 300; ++s) {
            (*logger)->log(runId, QStringLiteral("loss"), s, 1.1 / (1 + 0.02 * s));
            (*logger)->log(runId, QStringLiteral("lr"), s, 0.01);
        }
        for (int e = 1; e <= 3; ++e) {
            const qint64 step = e * 100 - 1;
            (*logger)->log(runId, QStringLiteral("epoch"), step, e);
            (*logger)->log(runId, QStringLiteral("epoch_lr"), step, 0.01);
            (*logger)->log(runId, QStringLiteral("train_loss"), step, 0.9 / e);
            (*logger)->log(runId, QStringLiteral("val_loss"), step, 1.0 / e);
            (*logger)->log(runId, QStringLiteral("train_accuracy"), step, 0.6 + 0.1 * e);
            (*logger)->log(runId, QStringLiteral("val_accuracy"), step, e == 3 ? 1.0 : 0.5 * e);
        }
        ASSERT_TRUE((*logger)->flush().ok());
    }
    MainWindow &window = openWindow();
    RunPane *pane = openRun(window, runId);
    ASSERT_NE(pane, nullptr);
    RunOverview *overview = pane->overview();
    QStringList titles;
    for (MetricChartView *c : overview->charts())
        titles << c->key();
    // Loss first, the main metric next, bookkeeping last; never alphabetical.
    EXPECT_EQ(titles, (QStringList{QStringLiteral("loss"), QStringLiteral("accuracy"),
                                   QStringLiteral("epoch_lr"), QStringLiteral("lr")}));
    MetricChartView *accuracy = overview->chart(QStringLiteral("val_accuracy"));
    ASSERT_NE(accuracy, nullptr);
    EXPECT_EQ(accuracy, overview->chart(QStringLiteral("train_accuracy")))
        << "train and validation of one metric share a chart";
    EXPECT_EQ(accuracy->keys(),
              (QStringList{QStringLiteral("train_accuracy"), QStringLiteral("val_accuracy")}));
    EXPECT_TRUE(accuracy->chart()->legend()->isVisible());
    EXPECT_EQ(accuracy->points(QStringLiteral("val_accuracy")).size(), 3);
    EXPECT_EQ(overview->chart(QStringLiteral("loss"))->keys(),
              (QStringList{QStringLiteral("loss"), QStringLiteral("train_loss"),
                           QStringLiteral("val_loss")}));

    // Round axis ends; an accuracy never above 1.0; the x axis ends at the last step.
    EXPECT_DOUBLE_EQ(accuracy->yAxis()->max(), 1.0);
    EXPECT_DOUBLE_EQ(accuracy->yAxis()->min(), 0.4);
    MetricChartView *loss = overview->chart(QStringLiteral("loss"));
    EXPECT_DOUBLE_EQ(loss->yAxis()->min(), 0.0);
    EXPECT_DOUBLE_EQ(loss->yAxis()->max(), 1.25);
    EXPECT_DOUBLE_EQ(loss->xAxis()->max(), 299.0);
    EXPECT_DOUBLE_EQ(loss->xAxis()->tickInterval(), 100.0);

    // The latest values in the same order.
    QTableWidget *table = overview->metricsTable();
    QStringList rows;
    for (int r = 0; r < table->rowCount(); ++r)
        rows << table->item(r, 0)->text();
    EXPECT_EQ(rows, (QStringList{QStringLiteral("loss"), QStringLiteral("train_loss"),
                                 QStringLiteral("val_loss"), QStringLiteral("train_accuracy"),
                                 QStringLiteral("val_accuracy"), QStringLiteral("epoch"),
                                 QStringLiteral("epoch_lr"), QStringLiteral("lr")}));
    if (!screenshotDir().isEmpty()) {
        window.resize(1400, 900);
        saveScreenshot(window, QStringLiteral("run-charts-grouped.png"), 500);
    }
}

TEST_F(RunPaneTest, EmptyStatesSayWhatComesNext)
{
    const qint64 queued = runWithStatus(RunStatus::Queued);
    const qint64 failed = runWithStatus(RunStatus::Failed);
    const qint64 finished = runWithStatus(RunStatus::Finished);
    ASSERT_GT(queued, 0);
    ASSERT_GT(failed, 0);
    MainWindow &window = openWindow();
    RunPane *pane = openRun(window, queued);
    ASSERT_NE(pane, nullptr);
    EXPECT_FALSE(pane->evaluation()->hasReport());
    EXPECT_EQ(pane->tabs()->currentIndex(), 0);
    EXPECT_TRUE(pane->evaluationPlaceholder().contains(QStringLiteral("when training finishes")));
    EXPECT_TRUE(pane->jobBar()->isHidden()) << "no job of this process trains it";
    pane = openRun(window, failed);
    ASSERT_NE(pane, nullptr);
    EXPECT_TRUE(pane->evaluationPlaceholder().contains(QStringLiteral("Run > Train")));
    pane = openRun(window, finished);
    ASSERT_NE(pane, nullptr);
    EXPECT_TRUE(pane->evaluationPlaceholder().contains(QStringLiteral("mlwb eval")));
}

TEST_F(RunPaneTest, ChartGridReflowsWithItsWidth)
{
    ChartGrid grid(300);
    for (int i = 0; i < 4; ++i) {
        auto *w = new QWidget;
        w->setMinimumSize(100, 100);
        grid.addChart(w);
    }
    grid.resize(1000, 600);
    grid.show();
    MLWB_TRY_EQ(grid.columnCount(), 3);
    EXPECT_EQ(grid.charts().at(3)->geometry().top() > grid.charts().at(0)->geometry().top(), true);
    grid.resize(400, 600);
    MLWB_TRY_EQ(grid.columnCount(), 1);
    grid.charts().at(1)->hide();
    grid.reflow();
    EXPECT_EQ(grid.charts().size(), 4);
}

TEST_F(RunPaneTest, StopOnTheRunsTabCancelsItsJob)
{
    MainWindow &window = openWindow();
    auto *commands = window.findChild<TrainCommands *>();
    ASSERT_NE(commands, nullptr);
    Project &project = *window.project();
    auto ds = DatasetCatalog(project.db())
                  .importCsv(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris-stop"),
                             ImportOptions{});
    ASSERT_TRUE(ds.ok()) << qPrintable(ds.error());
    auto model = ModelCatalog(project.db())
                     .createFromTemplate(QStringLiteral("iris-stop-mlp"),
                                         QStringLiteral("iris-stop"), QStringLiteral("mlp"));
    ASSERT_TRUE(model.ok()) << qPrintable(model.error());
    project.refresh();

    window.runCommand(QStringLiteral("train.run"), {{ItemKind::Model, *model}});
    TrainDialog *dialog = commands->openDialog();
    ASSERT_NE(dialog, nullptr);
    dialog->setValue(QStringLiteral("epochs"), QStringLiteral("2000"));
    dialog->setValue(QStringLiteral("threads"), QStringLiteral("1"));
    dialog->accept();
    qint64 runId = 0;
    (void)QTest::qWaitFor(
        [&] {
            auto runs = project.runs().list(*model);
            return runs.ok() && !runs->isEmpty() && (runId = runs->first().id) != 0;
        },
        60000);
    ASSERT_GT(runId, 0);
    MLWB_TRY_VERIFY(window.documents()->document({ItemKind::Run, runId}) != nullptr);
    auto *pane = qobject_cast<RunPane *>(window.documents()->document({ItemKind::Run, runId}));
    ASSERT_NE(pane, nullptr);
    RunJobBar *bar = pane->jobBar();
    MLWB_TRY_VERIFY(bar->isVisibleTo(pane));
    EXPECT_EQ(bar->jobId(), commands->jobOfRun(runId));
    EXPECT_TRUE(bar->stopButton()->isEnabled());
    EXPECT_GE(bar->progressBar()->value(), 0);
    EXPECT_EQ(pane->tabs()->currentIndex(), 0) << "a running run shows its training";

    // Stop once the first epoch has been logged: mid-training, 1999 epochs before its end.
    (void)QTest::qWaitFor(
        [&] {
            auto epochs = project.metrics().series(runId, QStringLiteral("epoch"));
            return epochs.ok() && !epochs->empty();
        },
        60000);
    ASSERT_TRUE(bar->stopButton()->isEnabled());
    bar->stopButton()->click();
    EXPECT_FALSE(bar->stopButton()->isEnabled() && bar->isVisibleTo(pane));
    ASSERT_TRUE(window.jobManager()->waitForAll(60000));
    const JobState job = window.jobManager()->job(commands->jobOfRun(runId));
    EXPECT_EQ(job.status, JobState::Status::Canceled) << qPrintable(job.message);
    QCoreApplication::processEvents(); // the job's result reaches the window
    EXPECT_FALSE(window.messageBar()->isVisible() && window.messageBar()->type() == MessageBar::Type::Error)
        << "a Stop is not an error: " << qPrintable(window.messageBar()->text());
    auto stored = project.runs().get(runId);
    ASSERT_TRUE(stored.ok()) << qPrintable(stored.error());
    EXPECT_EQ(stored->status, RunStatus::Interrupted) << qPrintable(stored->message);
    EXPECT_LT(stored->summary.value(QStringLiteral("epochs_run")).toInt(), 2000);
    MLWB_TRY_VERIFY(!bar->isVisibleTo(pane));
    EXPECT_FALSE(window.canRunCommand(QStringLiteral("train.stop"), {{ItemKind::Run, runId}}));
}

} // namespace
} // namespace mlwb::test
