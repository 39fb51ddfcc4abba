// SPDX-License-Identifier: MIT
// The compare tab: overlaid curves of one metric per run (min/max decimation, consistent
// colours, EMA, step/epoch/wall-time axis, log scale, hover values, legend hiding, PNG/SVG/CSV
// export), parallel coordinates, scatter, confusion matrices, the final metrics table and the
// hyperparameter table with "only differences".
#include "ui_fixture.h"

#include "charts/confusion_matrix_view.h"
#include "charts/metric_chart_view.h"
#include "common/format.h"
#include "mainwindow/document_area.h"
#include "panes/compare/compare_view.h"
#include "panes/compare/confusion_matrices_view.h"
#include "panes/compare/hyperparameter_scatter_view.h"
#include "panes/compare/parallel_coordinates_view.h"
#include "mainwindow/main_window.h"
#include "store/run_repository.h"
#include "store/sweep_repository.h"
#include "store/project.h"
#include "widgets/frozen_column_table.h"
#include "widgets/message_bar.h"
#include "store/evaluation_repository.h"
#include "store/metric_logger.h"

#include <QAbstractAxis>
#include <QLogValueAxis>
#include <QApplication>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QMenu>
#include <QScrollBar>
#include <QTableView>
#include <QToolButton>
#include <QValueAxis>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSvgRenderer>
#include <QTabWidget>
#include <QTableWidget>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace mlwb::test {
namespace {

// Long enough (more than 64 steps per pixel column) to be read from the block summaries.
constexpr int kSpikeSteps = 150000;
constexpr int kSpikeStep = 123457;
constexpr double kSpike = 1000.0;

class CompareTest : public UiTest {
protected:
    CompareView *openCompare(const QList<qint64> &runIds)
    {
        MainWindow &window = openWindow();
        window.resize(1200, 800);
        QList<ItemRef> refs;
        for (qint64 id : runIds)
            refs.append({ItemKind::Run, id});
        window.runCommand(QStringLiteral("compare.runs"), refs);
        auto *view = qobject_cast<CompareView *>(window.documents()->tabs()->currentWidget());
        if (view)
            (void)QTest::qWaitForWindowExposed(view->window());
        return view;
    }

    // Per-epoch "epoch" series for two runs (20 and 40 steps per epoch), a long series with one
    // spike for the first, and evaluations with confusion matrices for two runs.
    void addEpochsSpikesAndEvaluations()
    {
        auto file = ProjectFile::open(m_path);
        ASSERT_TRUE(file.ok()) << qPrintable(file.error());
        {
            auto logger = MetricLogger::open(m_path);
            ASSERT_TRUE(logger.ok()) << qPrintable(logger.error());
            for (int e = 1; e <= 10; ++e)
                (*logger)->log(m_ids.runs[0], QStringLiteral("epoch"), 20 * e, e);
            for (int e = 1; e <= 5; ++e)
                (*logger)->log(m_ids.runs[2], QStringLiteral("epoch"), 40 * e, e);
            const MetricLogger::Key spiky = (*logger)->key(QStringLiteral("spiky"));
            for (int s = 0; s < kSpikeSteps; ++s) {
                const double v = s == kSpikeStep ? kSpike : 1.0 + 0.001 * (s % 7);
                (*logger)->log(m_ids.runs[0], spiky, s, v, 1000.0 + s * 0.01);
                if (s < 5000)
                    (*logger)->log(m_ids.runs[2], spiky, s, 2.0, 1000.0 + s * 0.02);
            }
            ASSERT_TRUE((*logger)->flush().ok());
        }
        EvaluationRepository evaluations((*file)->db());
        auto matrix = [](int k, int diagonal) {
            QJsonArray rows;
            for (int i = 0; i < k; ++i) {
                QJsonArray row;
                for (int j = 0; j < k; ++j)
                    row.append(i == j ? diagonal + i : (i + j) % 3);
                rows.append(row);
            }
            return rows;
        };
        auto perClass = [](const QStringList &names) {
            QJsonArray out;
            for (const QString &n : names)
                out.append(QJsonObject{{QStringLiteral("name"), n}});
            return out;
        };
        EvaluationRecord iris;
        iris.runId = m_ids.runs[0];
        iris.datasetId = m_ids.datasets[0];
        iris.split = QStringLiteral("test");
        iris.report = {{QStringLiteral("kind"), QStringLiteral("classification")},
                       {QStringLiteral("per_class"),
                        perClass({QStringLiteral("setosa"), QStringLiteral("versicolor"),
                                  QStringLiteral("virginica")})},
                       {QStringLiteral("confusion_matrix"), matrix(3, 10)}};
        ASSERT_TRUE(evaluations.save(iris).ok());
        EvaluationRecord digits;
        digits.runId = m_ids.runs[2];
        digits.datasetId = m_ids.datasets[1];
        digits.split = QStringLiteral("validation");
        QStringList digitNames;
        for (int d = 0; d < 10; ++d)
            digitNames << QString::number(d);
        digits.report = {{QStringLiteral("kind"), QStringLiteral("classification")},
                         {QStringLiteral("classes"), QJsonArray::fromStringList(digitNames)},
                         {QStringLiteral("confusion_matrix"), matrix(10, 25)}};
        ASSERT_TRUE(evaluations.save(digits).ok());
    }
};

int visibleRows(QTableWidget *table)
{
    int n = 0;
    for (int r = 0; r < table->rowCount(); ++r)
        n += table->isRowHidden(r) ? 0 : 1;
    return n;
}

const CompareChartView::Curve *curveOf(CompareView *view, qint64 runId)
{
    for (const CompareChartView::Curve &c : view->chart()->curves())
        if (c.runId == runId)
            return &c;
    return nullptr;
}


int rowOf(QTableWidget *table, qint64 runId)
{
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0) && table->item(r, 0)->data(Qt::UserRole).toLongLong() == runId)
            return r;
    return -1;
}

QStringList headerTexts(QTableWidget *table, bool visibleOnly)
{
    QStringList out;
    for (int c = 0; c < table->columnCount(); ++c)
        if (!visibleOnly || !table->isColumnHidden(c))
            out << table->horizontalHeaderItem(c)->text();
    return out;
}

TEST_F(CompareTest, RunNamesFollowARename)
{
    CompareView *view = openCompare({m_ids.runs[0], m_ids.runs[2]});
    ASSERT_NE(view, nullptr);
    MainWindow *window = m_window.get();
    ASSERT_NE(window, nullptr);
    window->renameItem({ItemKind::Run, m_ids.runs[0]}, QStringLiteral("baseline-lr0.01"));
    QTableWidget *summary = view->summaryTable();
    MLWB_TRY_EQ(summary->item(rowOf(summary, m_ids.runs[0]), 0)->text(),
                QStringLiteral("baseline-lr0.01"));
    EXPECT_EQ(view->hyperparameterTable()->horizontalHeaderItem(1)->text(),
              QStringLiteral("baseline-lr0.01"));
    view->setMetricKey(QStringLiteral("train/loss"));
    const CompareChartView::Curve *curve = curveOf(view, m_ids.runs[0]);
    ASSERT_NE(curve, nullptr);
    EXPECT_EQ(curve->name, QStringLiteral("baseline-lr0.01"));
}

TEST_F(CompareTest, MetricsTableLeadsWithTheMainMetricKeepsTheRunColumnAndPicksColumns)
{
    {
        auto file = ProjectFile::open(m_path);
        ASSERT_TRUE(file.ok());
        RunRepository runs((*file)->db());
        for (qint64 id : {m_ids.runs[0], m_ids.runs[2]})
            ASSERT_TRUE(runs.setSummary(id, QJsonObject{{QStringLiteral("epochs_run"), 30},
                                                        {QStringLiteral("test/accuracy"), 0.97},
                                                        {QStringLiteral("test/loss"), 0.08},
                                                        {QStringLiteral("val/f1_macro"), 0.95},
                                                        {QStringLiteral("parameters"), 4867},
                                                        {QStringLiteral("val/accuracy"), 0.96}})
                            .ok());
    }
    CompareView *view = openCompare({m_ids.runs[0], m_ids.runs[2]});
    ASSERT_NE(view, nullptr);
    QTableWidget *summary = view->summaryTable();
    // The main metric first (validation before test), the loss next, the rest, bookkeeping last.
    EXPECT_EQ(view->summaryColumns(),
              (QStringList{QStringLiteral("val/accuracy"), QStringLiteral("test/accuracy"),
                           QStringLiteral("test/loss"), QStringLiteral("val/f1_macro"),
                           QStringLiteral("epochs_run"), QStringLiteral("parameters")}));
    // Bookkeeping columns wait in the picker.
    EXPECT_EQ(headerTexts(summary, true),
              (QStringList{QStringLiteral("Run"), QStringLiteral("Status"),
                           QStringLiteral("val/accuracy"), QStringLiteral("test/accuracy"),
                           QStringLiteral("test/loss"), QStringLiteral("val/f1_macro")}));
    QMenu *menu = view->columnMenu();
    QAction *parameters = nullptr, *loss = nullptr;
    for (QAction *a : menu->actions()) {
        if (a->text() == QStringLiteral("parameters"))
            parameters = a;
        if (a->text() == QStringLiteral("test/loss"))
            loss = a;
    }
    ASSERT_NE(parameters, nullptr);
    ASSERT_NE(loss, nullptr);
    EXPECT_FALSE(parameters->isChecked());
    EXPECT_TRUE(loss->isChecked());
    parameters->setChecked(true);
    loss->setChecked(false);
    EXPECT_TRUE(view->isSummaryColumnVisible(QStringLiteral("parameters")));
    EXPECT_EQ(headerTexts(summary, true),
              (QStringList{QStringLiteral("Run"), QStringLiteral("Status"),
                           QStringLiteral("val/accuracy"), QStringLiteral("test/accuracy"),
                           QStringLiteral("val/f1_macro"), QStringLiteral("parameters")}));
    // The choice survives a reload.
    view->reload();
    EXPECT_FALSE(view->isSummaryColumnVisible(QStringLiteral("test/loss")));

    // The Run column stays in place when the table scrolls sideways.
    auto *table = qobject_cast<FrozenColumnTable *>(summary);
    ASSERT_NE(table, nullptr);
    summary->resize(260, 200);
    for (int c = 2; c < summary->columnCount(); ++c)
        summary->setColumnWidth(c, 160);
    QTableView *frozen = table->frozenView();
    EXPECT_TRUE(frozen->isVisible());
    EXPECT_FALSE(frozen->isColumnHidden(0));
    for (int c = 1; c < summary->columnCount(); ++c)
        EXPECT_TRUE(frozen->isColumnHidden(c)) << c;
    EXPECT_EQ(frozen->model(), summary->model());
    summary->horizontalScrollBar()->setValue(summary->horizontalScrollBar()->maximum());
    EXPECT_GT(summary->horizontalScrollBar()->value(), 0);
    EXPECT_EQ(frozen->geometry().left(), summary->frameWidth());
    EXPECT_EQ(frozen->columnWidth(0), summary->columnWidth(0));
    EXPECT_EQ(frozen->model()->index(0, 0).data().toString(), summary->item(0, 0)->text());
}

TEST_F(CompareTest, ExportsConfirmWithThePathAndOpenFolder)
{
    CompareView *view = openCompare({m_ids.runs[0], m_ids.runs[2]});
    ASSERT_NE(view, nullptr);
    const QString dir = path(QStringLiteral("plots"));
    ASSERT_TRUE(QDir().mkpath(dir));
    const QString png = QDir(dir).filePath(QStringLiteral("loss.png"));
    ASSERT_TRUE(view->exportCurrentChart(png));
    EXPECT_TRUE(QImage(png).width() > 0);
    EXPECT_EQ(view->messageBar()->text(),
              QStringLiteral("Exported loss.png to %1.").arg(QDir::toNativeSeparators(dir)));
    EXPECT_EQ(view->messageBar()->type(), MessageBar::Type::Positive);
    EXPECT_FALSE(view->messageBar()->autoHides()) << "it offers an action";
    EXPECT_EQ(view->openFolderAction()->text(), QStringLiteral("Open folder"));
    EXPECT_EQ(view->lastExportFolder(), dir);
    EXPECT_NE(view->messageBar()->findChild<QToolButton *>(QString(), Qt::FindChildrenRecursively),
              nullptr);

    // The parallel coordinates and the scatter export the same way.
    view->tabs()->setCurrentIndex(CompareView::ParallelTab);
    const QString svg = QDir(dir).filePath(QStringLiteral("parallel.svg"));
    ASSERT_TRUE(view->exportCurrentChart(svg));
    EXPECT_TRUE(QSvgRenderer(svg).isValid());
    EXPECT_EQ(view->messageBar()->text(),
              QStringLiteral("Exported parallel.svg to %1.").arg(QDir::toNativeSeparators(dir)));
    view->tabs()->setCurrentIndex(CompareView::ScatterTab);
    ASSERT_TRUE(view->exportCurrentChart(QDir(dir).filePath(QStringLiteral("scatter.png"))));

    // The table as CSV, its shown columns.
    const QString csv = QDir(dir).filePath(QStringLiteral("final.csv"));
    ASSERT_TRUE(view->exportSummaryCsv(csv));
    QFile f(csv);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(f.readAll()).split(u'\n', Qt::SkipEmptyParts);
    ASSERT_EQ(lines.size(), 3);
    EXPECT_TRUE(lines[0].startsWith(QStringLiteral("Run,Status,test/accuracy"))) << qPrintable(lines[0]);
    EXPECT_EQ(view->messageBar()->text(),
              QStringLiteral("Exported final.csv to %1.").arg(QDir::toNativeSeparators(dir)));

    // A failure says so, in the bar.
    EXPECT_FALSE(view->exportSummaryCsv(QDir(dir).filePath(QStringLiteral("missing/x.csv"))));
    EXPECT_EQ(view->messageBar()->type(), MessageBar::Type::Error);
}

TEST_F(CompareTest, FocusMetricMarksTheBestRun)
{
    CompareView *view = openCompare({m_ids.runs[0], m_ids.runs[1], m_ids.runs[2]});
    ASSERT_NE(view, nullptr);
    view->setFocusMetric(QStringLiteral("test/accuracy"));
    // adam-1e-3 (0.9722) beats baseline (0.9667); the failed run has none.
    EXPECT_EQ(view->bestRunId(), m_ids.runs[2]);
    QTableWidget *summary = view->summaryTable();
    EXPECT_EQ(summary->item(0, 0)->data(Qt::UserRole).toLongLong(), m_ids.runs[2])
        << "sorted best first";
    EXPECT_EQ(summary->item(0, 1)->text(), QStringLiteral("finished, best by test/accuracy"));
    EXPECT_TRUE(summary->item(0, 0)->font().bold());
    EXPECT_FALSE(summary->item(1, 0)->font().bold());
    EXPECT_EQ(view->parallelCoordinates()->isVisible(), false);
    view->tabs()->setCurrentIndex(CompareView::ParallelTab);
    int best = 0;
    for (const ParallelCoordinatesView::Line &l : view->parallelCoordinates()->lines())
        best += l.best ? 1 : 0;
    EXPECT_EQ(best, 1);
    EXPECT_EQ(view->parallelCoordinates()->axes().last().key, QStringLiteral("test/accuracy"));
    view->tabs()->setCurrentIndex(CompareView::CurvesTab);
    view->setMetricKey(QStringLiteral("train/loss"));
    const CompareChartView::Curve *curve = curveOf(view, m_ids.runs[2]);
    ASSERT_NE(curve, nullptr);
    EXPECT_TRUE(curve->best);
    EXPECT_EQ(curve->name, QStringLiteral("adam-1e-3 (best)"));
    EXPECT_GT(view->chart()->seriesOf(m_ids.runs[2])->pen().widthF(),
              view->chart()->seriesOf(m_ids.runs[0])->pen().widthF());
    // Lower is better for a loss.
    view->setFocusMetric(QStringLiteral("test/loss"));
    EXPECT_EQ(view->bestRunId(), m_ids.runs[2]); // 0.05 < 0.08
}

TEST_F(CompareTest, CurvesAxesEndOnRoundNumbersAndAccuracyStaysBelowOne)
{
    CompareView *view = openCompare({m_ids.runs[0], m_ids.runs[2]});
    ASSERT_NE(view, nullptr);
    view->setMetricKey(QStringLiteral("val/accuracy"));
    auto *y = qobject_cast<QValueAxis *>(view->chart()->chart()->axes(Qt::Vertical).value(0));
    auto *x = qobject_cast<QValueAxis *>(view->chart()->chart()->axes(Qt::Horizontal).value(0));
    ASSERT_NE(y, nullptr);
    ASSERT_NE(x, nullptr);
    EXPECT_LE(y->max(), 1.0);
    double lastX = 0;
    for (const CompareChartView::Curve &c : view->chart()->curves())
        lastX = std::max(lastX, c.x.back());
    EXPECT_DOUBLE_EQ(x->max(), lastX) << "no empty tail after the last step";
    const double step = y->max() - y->min();
    EXPECT_GT(step, 0);
    // Ends on multiples of the tick step.
    const double interval = (y->max() - y->min()) / (y->tickCount() - 1);
    EXPECT_NEAR(std::remainder(y->min(), interval), 0.0, 1e-9);
    EXPECT_NEAR(std::remainder(y->max(), interval), 0.0, 1e-9);
}

TEST_F(CompareTest, ASweepsTabJudgesByTheSweepsMetric)
{
    MainWindow &w = openWindow();
    Project &project = *w.project();
    const qint64 modelId = m_ids.models[0];
    auto version = project.models().latestVersion(modelId);
    ASSERT_TRUE(version.ok()) << qPrintable(version.error());
    SweepRecord sweep;
    sweep.name = QStringLiteral("lr-search");
    sweep.modelId = modelId;
    sweep.strategy = QStringLiteral("grid");
    sweep.spec = QJsonObject{{QStringLiteral("metric"), QStringLiteral("val_loss")}};
    auto sweepId = SweepRepository(project.db()).create(sweep);
    ASSERT_TRUE(sweepId.ok()) << qPrintable(sweepId.error());
    QList<qint64> trials;
    // The second trial has the lower validation loss but the first the higher accuracy: the
    // sweep's metric decides.
    const std::pair<double, double> results[] = {{0.40, 0.97}, {0.20, 0.93}, {0.30, 0.95}};
    for (const auto &[loss, accuracy] : results) {
        RunRecord r;
        r.modelVersionId = version->id;
        r.datasetId = m_ids.datasets[0];
        r.sweepId = *sweepId;
        r.hyperparams = QJsonObject{{QStringLiteral("lr"), 0.001 * (trials.size() + 1)}};
        auto id = project.runs().create(r);
        ASSERT_TRUE(id.ok()) << qPrintable(id.error());
        ASSERT_TRUE(project.runs()
                        .setSummary(*id, {{QStringLiteral("val_loss"), loss},
                                          {QStringLiteral("val_accuracy"), accuracy}})
                        .ok());
        ASSERT_TRUE(project.runs().setStatus(*id, RunStatus::Finished).ok());
        trials << *id;
    }
    project.refresh();
    ASSERT_TRUE(w.documents()->open({ItemKind::Sweep, *sweepId}));
    auto *view = qobject_cast<CompareView *>(w.documents()->tabs()->currentWidget());
    ASSERT_NE(view, nullptr);
    EXPECT_EQ(view->focusMetric(), QStringLiteral("val_loss"));
    EXPECT_EQ(view->bestRunId(), trials[1]);
    view->tabs()->setCurrentIndex(CompareView::ParallelTab);
    EXPECT_EQ(view->parallelCoordinates()->axes().last().key, QStringLiteral("val_loss"));
    EXPECT_EQ(view->summaryTable()->item(0, 0)->data(Qt::UserRole).toLongLong(), trials[1])
        << "sorted by the sweep's metric, best first (lowest loss)";
    // The learning rate spans less than two decades, and still gets a log axis.
    ASSERT_GE(view->parallelCoordinates()->axes().size(), 2);
    EXPECT_EQ(view->parallelCoordinates()->axes().first().key, QStringLiteral("lr"));
    EXPECT_TRUE(view->parallelCoordinates()->axes().first().log);
}

TEST_F(CompareTest, CompareHookOpensTabWithCurvesAndTables)
{
    MainWindow &window = openWindow();
    window.resize(1200, 800);
    const QList<ItemRef> runs{{ItemKind::Run, m_ids.runs[0]}, {ItemKind::Run, m_ids.runs[2]}};
    ASSERT_NE(window.commands().find(QStringLiteral("compare.runs")), nullptr);
    EXPECT_FALSE(window.canRunCommand(QStringLiteral("compare.runs"), {runs.first()}));
    ASSERT_TRUE(window.canRunCommand(QStringLiteral("compare.runs"), runs));
    window.runCommand(QStringLiteral("compare.runs"), runs);
    auto *view = qobject_cast<CompareView *>(window.documents()->tabs()->currentWidget());
    ASSERT_NE(view, nullptr);
    EXPECT_EQ(view->runIds(), (QList<qint64>{m_ids.runs[0], m_ids.runs[2]}));
    EXPECT_EQ(view->metricKey(), QStringLiteral("val/loss"));
    EXPECT_GE(view->keyCombo()->findText(QStringLiteral("train/loss")), 0);
    EXPECT_EQ(view->tabs()->count(), 4);
    EXPECT_EQ(view->tabs()->currentIndex(), int(CompareView::CurvesTab));

    view->setMetricKey(QStringLiteral("train/loss"));
    auto series = view->series();
    ASSERT_EQ(series.size(), 2);
    for (int i = 0; i < 2; ++i) {
        const CompareChartView::Curve *curve = curveOf(view, runs[i].id);
        ASSERT_NE(curve, nullptr);
        EXPECT_GT(curve->x.size(), 1u);
        EXPECT_LE(int(curve->x.size()), view->bucketCount());
        EXPECT_LE(curve->x.size(), 200u);
        // Two points at most per bucket: its minimum and maximum.
        EXPECT_LE(series[i]->count(), 2 * int(curve->x.size()));
        EXPECT_EQ(series[i]->color(), CompareView::colorOf(runs[i].id));
    }
    EXPECT_NE(series[0]->color(), series[1]->color());

    // Smoothing keeps the buckets and flattens the curve; the raw min/max stays, faded.
    const std::vector<double> raw = curveOf(view, runs[0].id)->value;
    view->setSmoothing(90);
    series = view->series();
    ASSERT_EQ(series.size(), 2);
    const CompareChartView::Curve *smoothed = curveOf(view, runs[0].id);
    ASSERT_EQ(smoothed->value.size(), raw.size());
    EXPECT_EQ(smoothed->value[0], raw[0]);
    bool differs = false;
    for (size_t i = 1; i < raw.size(); ++i)
        differs = differs || smoothed->value[i] != raw[i];
    EXPECT_TRUE(differs);
    EXPECT_EQ(series[0]->count(), qsizetype(raw.size()));
    EXPECT_EQ(view->chart()->chart()->series().size(), 4); // two lines, two faded traces
    view->setXAxis(CompareView::XAxis::WallTime);
    EXPECT_EQ(view->series().size(), 2);

    if (!screenshotDir().isEmpty()) {
        window.resize(1400, 900);
        view->setXAxis(CompareView::XAxis::Step);
        view->setSmoothing(60);
        saveScreenshot(window, QStringLiteral("compare-pane.png"));
    }

    // Final metrics per run, sortable.
    QTableWidget *summary = view->summaryTable();
    ASSERT_EQ(summary->rowCount(), 2);
    int accuracyColumn = -1;
    for (int c = 0; c < summary->columnCount(); ++c)
        if (summary->horizontalHeaderItem(c)->text() == QStringLiteral("test/accuracy"))
            accuracyColumn = c;
    ASSERT_GE(accuracyColumn, 0);
    summary->sortByColumn(accuracyColumn, Qt::DescendingOrder);
    EXPECT_EQ(summary->item(0, 0)->text(), QStringLiteral("adam-1e-3"));
    EXPECT_DOUBLE_EQ(summary->item(0, accuracyColumn)->data(Qt::DisplayRole).toDouble(), 0.9722);
    summary->sortByColumn(accuracyColumn, Qt::AscendingOrder);
    EXPECT_EQ(summary->item(0, 0)->text(), QStringLiteral("baseline"));

    // Hyperparameters: learning_rate and epochs differ, optimizer and batch_size do not.
    QTableWidget *hyper = view->hyperparameterTable();
    EXPECT_EQ(hyper->rowCount(), 4);
    ASSERT_TRUE(view->onlyDifferences()->isChecked());
    EXPECT_EQ(visibleRows(hyper), 2);
    view->onlyDifferences()->setChecked(false);
    EXPECT_EQ(visibleRows(hyper), 4);
}

TEST_F(CompareTest, MinMaxDecimationKeepsEverySpike)
{
    addEpochsSpikesAndEvaluations();
    CompareView *view = openCompare({m_ids.runs[0], m_ids.runs[2]});
    ASSERT_NE(view, nullptr);
    // A bucket of at most two 64-step blocks needs a chart about 1,200 columns wide beside the
    // docks (which keep their width: the document area never pushes them aside).
    m_window->resize(1900, 800);
    QTest::qWait(50);
    view->setMetricKey(QStringLiteral("spiky"));
    const CompareChartView::Curve *curve = curveOf(view, m_ids.runs[0]);
    ASSERT_NE(curve, nullptr);
    EXPECT_LE(int(curve->x.size()), view->bucketCount());
    QLineSeries *line = view->chart()->seriesOf(m_ids.runs[0]);
    ASSERT_NE(line, nullptr);
    EXPECT_LE(line->count(), 2 * view->bucketCount());
    double top = 0;
    qsizetype atTop = -1;
    for (qsizetype i = 0; i < line->count(); ++i)
        if (line->at(i).y() > top) {
            top = line->at(i).y();
            atTop = i;
        }
    EXPECT_EQ(top, kSpike); // the one point in 150,000 is drawn
    ASSERT_GE(atTop, 0);
    // The spike is drawn in its bucket: one pixel column's steps, rounded out to whole blocks
    // of 64 (two blocks when the plot is wide enough for that; here it is ~700 px for 150,000
    // steps, so a bucket spans about 220).
    EXPECT_NEAR(line->at(atTop).x(), kSpikeStep, double(kSpikeSteps) / double(curve->x.size()) + 2 * 64);
    EXPECT_GE(2 * int(curve->x.size()), view->bucketCount() - 2); // one bucket per 1-2 columns
}

// A diverged run: its curve is drawn up to where it stopped being finite, an infinite spike is
// drawn at the plot's edge (not dropped with its bucket), and the chart names where it began.
TEST_F(CompareTest, DivergedRunIsDrawnAndNamedNotDropped)
{
    constexpr int kSteps = 30000, kInfStep = 10000, kNanFrom = 20000;
    {
        auto logger = MetricLogger::open(m_path);
        ASSERT_TRUE(logger.ok()) << qPrintable(logger.error());
        const MetricLogger::Key k = (*logger)->key(QStringLiteral("diverging"));
        for (int s = 0; s < kSteps; ++s) {
            double v = 1.0 + 0.001 * (s % 7);
            if (s == kInfStep)
                v = std::numeric_limits<double>::infinity();
            else if (s >= kNanFrom)
                v = std::numeric_limits<double>::quiet_NaN();
            (*logger)->log(m_ids.runs[0], k, s, v, 1000.0 + s * 0.01);
            if (s < 5000)
                (*logger)->log(m_ids.runs[2], k, s, 2.0, 1000.0 + s * 0.02);
        }
        ASSERT_TRUE((*logger)->flush().ok());
    }
    CompareView *view = openCompare({m_ids.runs[0], m_ids.runs[2]});
    ASSERT_NE(view, nullptr);
    view->setMetricKey(QStringLiteral("diverging"));
    const CompareChartView::Curve *curve = curveOf(view, m_ids.runs[0]);
    ASSERT_NE(curve, nullptr);
    ASSERT_FALSE(curve->x.empty());
    // The bucket holding the infinity is kept, and the curve goes on to where NaN begins.
    bool infKept = false;
    for (size_t i = 0; i < curve->x.size(); ++i)
        infKept |= std::isinf(curve->max[i]) && std::fabs(curve->x[i] - kInfStep) <= 2 * 64;
    EXPECT_TRUE(infKept);
    EXPECT_GE(curve->x.back(), kNanFrom - 2 * 64);
    EXPECT_LT(curve->x.back(), kNanFrom + 2 * 64) << "nothing drawn where every point is NaN";
    QLineSeries *line = view->chart()->seriesOf(m_ids.runs[0]);
    ASSERT_NE(line, nullptr);
    double top = 0;
    for (qsizetype i = 0; i < line->count(); ++i) {
        ASSERT_TRUE(std::isfinite(line->at(i).y())) << "point " << i;
        top = std::max(top, line->at(i).y());
    }
    EXPECT_DOUBLE_EQ(top, 2.0) << "the infinity is drawn at the top of the finite range";
    ASSERT_EQ(view->chart()->nonFiniteNotes().size(), 1);
    const QString runName = view->chart()->curves().front().runId == m_ids.runs[0]
                                ? view->chart()->curves().front().name
                                : view->chart()->curves().back().name;
    EXPECT_EQ(view->chart()->nonFiniteNotes().front(),
              QStringLiteral("%1: inf from step %2").arg(runName).arg(kInfStep));
    EXPECT_TRUE(view->chart()->chart()->title().contains(QStringLiteral("inf from step 10000")))
        << qPrintable(view->chart()->chart()->title());
}

TEST_F(CompareTest, EpochAxisLogScaleHoverAndLegend)
{
    addEpochsSpikesAndEvaluations();
    CompareView *view = openCompare({m_ids.runs[0], m_ids.runs[2], m_ids.runs[3]});
    ASSERT_NE(view, nullptr);
    view->setMetricKey(QStringLiteral("train/loss"));
    const CompareChartView::Curve *byStep = curveOf(view, m_ids.runs[0]);
    ASSERT_NE(byStep, nullptr);
    EXPECT_EQ(byStep->x.back(), 199.0);
    EXPECT_EQ(view->chart()->curves().size(), 3);

    // Epoch axis: steps mapped through each run's "epoch" series; a run without one is named.
    view->setXAxis(CompareView::XAxis::Epoch);
    ASSERT_EQ(view->chart()->curves().size(), 2);
    const CompareChartView::Curve *run0 = curveOf(view, m_ids.runs[0]);
    const CompareChartView::Curve *run2 = curveOf(view, m_ids.runs[2]);
    ASSERT_TRUE(run0 && run2);
    EXPECT_TRUE(nearlyEqual(run0->x.back(), 199.0 / 20.0));
    EXPECT_TRUE(nearlyEqual(run2->x.back(), 199.0 / 40.0));
    EXPECT_TRUE(nearlyEqual(run0->x[run0->x.size() / 2], double(run0->x.size() / 2) / 20.0));
    ASSERT_EQ(view->chart()->notes().size(), 1);
    EXPECT_TRUE(view->chart()->notes().first().contains(QStringLiteral("adam-3e-3")));
    auto *x = qobject_cast<QAbstractAxis *>(view->chart()->chart()->axes(Qt::Horizontal).value(0));
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(x->titleText(), QStringLiteral("Epoch"));

    // Log scale.
    auto yType = [view] { return view->chart()->chart()->axes(Qt::Vertical).value(0)->type(); };
    EXPECT_EQ(yType(), QAbstractAxis::AxisTypeValue);
    view->setLogScale(true);
    EXPECT_EQ(yType(), QAbstractAxis::AxisTypeLogValue);
    EXPECT_EQ(view->series().size(), 2);
    view->setLogScale(false);
    EXPECT_EQ(yType(), QAbstractAxis::AxisTypeValue);

    // Hover: every visible run's value at the nearest bucket, and a marker under the cursor.
    view->setXAxis(CompareView::XAxis::Step);
    const auto values = view->chart()->valuesAt(100.4);
    ASSERT_EQ(values.size(), 3);
    for (const CompareChartView::HoverValue &v : values) {
        const CompareChartView::Curve *c = curveOf(view, v.runId);
        ASSERT_NE(c, nullptr);
        const auto i = size_t(std::find(c->x.begin(), c->x.end(), v.x) - c->x.begin());
        ASSERT_LT(i, c->x.size());
        EXPECT_EQ(v.value, c->value[i]);
        EXPECT_LE(v.min, v.value);
        EXPECT_GE(v.max, v.value);
    }
    EXPECT_EQ(values[0].x, 100.0);
    CompareChartView *chart = view->chart();
    const QPoint centre =
        chart->mapFromScene(chart->chart()->mapToScene(chart->chart()->plotArea().center()));
    QTest::mouseMove(chart->viewport(), centre);
    MLWB_TRY_VERIFY(chart->isHoverMarkerVisible());

    // A click on a legend marker hides the run everywhere, a second one shows it again.
    QLineSeries *line = chart->seriesOf(m_ids.runs[0]);
    ASSERT_NE(line, nullptr);
    const QList<QLegendMarker *> markers = chart->chart()->legend()->markers(line);
    ASSERT_EQ(markers.size(), 1);
    Q_EMIT markers.first()->clicked();
    EXPECT_FALSE(chart->isRunVisible(m_ids.runs[0]));
    EXPECT_FALSE(line->isVisible());
    EXPECT_TRUE(markers.first()->isVisible()); // stays in the legend, dimmed
    EXPECT_EQ(view->series().size(), 2);
    EXPECT_EQ(chart->valuesAt(100).size(), 2);
    view->tabs()->setCurrentIndex(CompareView::ParallelTab); // filled when shown
    EXPECT_EQ(view->parallelCoordinates()->lines().size(), 2);
    view->tabs()->setCurrentIndex(CompareView::CurvesTab);
    QTableWidget *summary = view->summaryTable();
    for (int row = 0; row < summary->rowCount(); ++row)
        if (summary->item(row, 0)->data(Qt::UserRole).toLongLong() == m_ids.runs[0])
            EXPECT_EQ(summary->item(row, 0)->checkState(), Qt::Unchecked);
    Q_EMIT markers.first()->clicked();
    EXPECT_TRUE(chart->isRunVisible(m_ids.runs[0]));
    EXPECT_EQ(view->series().size(), 3);

    // The table's check box does the same.
    for (int row = 0; row < summary->rowCount(); ++row)
        if (summary->item(row, 0)->data(Qt::UserRole).toLongLong() == m_ids.runs[2])
            summary->item(row, 0)->setCheckState(Qt::Unchecked);
    EXPECT_FALSE(chart->isRunVisible(m_ids.runs[2]));
    EXPECT_EQ(view->series().size(), 2);
}

TEST_F(CompareTest, ExportsPngSvgAndCsv)
{
    CompareView *view = openCompare({m_ids.runs[0], m_ids.runs[2]});
    ASSERT_NE(view, nullptr);
    view->setMetricKey(QStringLiteral("train/loss"));
    CompareChartView *chart = view->chart();

    const QString png = path(QStringLiteral("chart.png"));
    QString error;
    ASSERT_TRUE(chart->exportPng(png, &error)) << qPrintable(error);
    const QImage image(png);
    ASSERT_FALSE(image.isNull());
    EXPECT_EQ(image.size(), chart->size() * 2);

    const QString svg = path(QStringLiteral("chart.svg"));
    ASSERT_TRUE(chart->exportSvg(svg, &error)) << qPrintable(error);
    QFile svgFile(svg);
    ASSERT_TRUE(svgFile.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&svgFile);
    int paths = 0;
    bool sawSvg = false;
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement) {
            sawSvg = sawSvg || xml.name() == u"svg";
            paths += xml.name() == u"path" || xml.name() == u"polyline" ? 1 : 0;
        }
    }
    EXPECT_FALSE(xml.hasError()) << qPrintable(xml.errorString());
    EXPECT_TRUE(sawSvg);
    EXPECT_GT(paths, 2);
    EXPECT_TRUE(QSvgRenderer(svg).isValid());

    const QString csv = path(QStringLiteral("chart.csv"));
    ASSERT_TRUE(chart->exportCsv(csv, &error)) << qPrintable(error);
    auto readCsv = [&csv] {
        QFile f(csv);
        EXPECT_TRUE(f.open(QIODevice::ReadOnly | QIODevice::Text));
        return QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    };
    QStringList lines = readCsv();
    ASSERT_FALSE(lines.isEmpty());
    EXPECT_EQ(lines.first(), QStringLiteral("run_id,run,step,train/loss,min,max"));
    QHash<qint64, int> rows;
    for (int i = 1; i < lines.size(); ++i) {
        const QStringList f = lines[i].split(QLatin1Char(','));
        ASSERT_EQ(f.size(), 6) << qPrintable(lines[i]);
        rows[f[0].toLongLong()] += 1;
        bool ok = false;
        const double value = f[3].toDouble(&ok);
        ASSERT_TRUE(ok);
        EXPECT_LE(f[4].toDouble(), value);
        EXPECT_GE(f[5].toDouble(), value);
    }
    ASSERT_EQ(rows.size(), 2);
    for (const CompareChartView::Curve &c : chart->curves())
        EXPECT_EQ(rows.value(c.runId), int(c.x.size()));
    EXPECT_TRUE(lines[1].startsWith(QStringLiteral("%1,baseline,0,").arg(m_ids.runs[0])));

    // Hidden runs are not plotted, so not exported.
    chart->setRunVisible(m_ids.runs[0], false);
    ASSERT_TRUE(chart->exportCsv(csv, &error));
    lines = readCsv();
    for (int i = 1; i < lines.size(); ++i)
        EXPECT_TRUE(lines[i].startsWith(QString::number(m_ids.runs[2]) + QLatin1Char(',')));

    EXPECT_FALSE(chart->exportCsv(path(QStringLiteral("missing/dir/chart.csv")), &error));
    EXPECT_FALSE(error.isEmpty());
}

TEST_F(CompareTest, ParallelCoordinatesAndScatter)
{
    const QList<qint64> runs{m_ids.runs[0], m_ids.runs[1], m_ids.runs[2], m_ids.runs[3]};
    CompareView *view = openCompare(runs);
    ASSERT_NE(view, nullptr);
    view->tabs()->setCurrentIndex(CompareView::ParallelTab);

    // One axis per differing hyperparameter, then the metric; one polyline per run.
    ParallelCoordinatesView *pc = view->parallelCoordinates();
    view->setParallelMetric(QStringLiteral("test/accuracy"));
    ASSERT_EQ(pc->axes().size(), 3);
    EXPECT_EQ(pc->axes()[0].key, QStringLiteral("epochs"));
    EXPECT_EQ(pc->axes()[1].key, QStringLiteral("learning_rate"));
    EXPECT_EQ(pc->axes()[2].key, QStringLiteral("test/accuracy"));
    EXPECT_TRUE(pc->axes()[1].log); // 0.001 .. 0.5
    EXPECT_FALSE(pc->axes()[0].log);
    ASSERT_EQ(pc->lines().size(), 4);
    const ParallelCoordinatesView::Line &baseline = pc->lines()[0];
    EXPECT_EQ(baseline.runId, m_ids.runs[0]);
    EXPECT_EQ(baseline.color, CompareView::colorOf(m_ids.runs[0]));
    EXPECT_EQ(baseline.values, (QList<double>{60, 0.01, 0.9667}));
    EXPECT_TRUE(std::isnan(pc->lines()[1].values[2])); // the failed run has no test accuracy
    // The log axis spans whole decades, 0.001 to 1, labelled at each power of ten.
    EXPECT_DOUBLE_EQ(ParallelCoordinatesView::position(pc->axes()[1], 0.001), 0.0);
    EXPECT_NEAR(ParallelCoordinatesView::position(pc->axes()[1], 0.5), std::log10(500.0) / 3,
                1e-12);
    EXPECT_EQ(pc->ticks(1), (QList<double>{0.001, 0.01, 0.1, 1.0}));
    EXPECT_EQ(pc->ticks(0), (QList<double>{20, 30, 40, 50, 60}));
    EXPECT_DOUBLE_EQ(ParallelCoordinatesView::position(pc->axes()[0], 20), 0.0);
    EXPECT_DOUBLE_EQ(ParallelCoordinatesView::position(pc->axes()[0], 60), 1.0);
    // The widget paints and finds a line under the cursor at one of its vertices.
    pc->resize(800, 400);
    EXPECT_FALSE(pc->grab().isNull());
    view->setParallelMetric(QStringLiteral("val/loss"));
    ASSERT_EQ(pc->axes().size(), 3);
    for (const ParallelCoordinatesView::Line &l : pc->lines())
        EXPECT_TRUE(std::isfinite(l.values[2])); // every run logged val/loss

    // Scatter: x = hyperparameter, y = final metric, one point per run that has both.
    view->tabs()->setCurrentIndex(CompareView::ScatterTab);
    HyperparameterScatterView *scatter = view->scatter();
    view->setScatterHyperparameter(QStringLiteral("learning_rate"));
    view->setScatterMetric(QStringLiteral("test/accuracy"));
    ASSERT_EQ(scatter->points().size(), 2);
    EXPECT_EQ(scatter->drawnPointCount(), 2);
    EXPECT_EQ(scatter->points()[0].runId, m_ids.runs[0]);
    EXPECT_DOUBLE_EQ(scatter->points()[0].x, 0.01);
    EXPECT_DOUBLE_EQ(scatter->points()[0].y, 0.9667);
    EXPECT_DOUBLE_EQ(scatter->points()[1].x, 0.001);
    EXPECT_DOUBLE_EQ(scatter->points()[1].y, 0.9722);
    EXPECT_EQ(scatter->chart()->axes(Qt::Horizontal).value(0)->type(),
              QAbstractAxis::AxisTypeLogValue);
    view->setScatterMetric(QStringLiteral("val/loss"));
    EXPECT_EQ(scatter->points().size(), 4);
    EXPECT_EQ(scatter->drawnPointCount(), 4);
    {
        // Whole decades with room for the outermost markers; a loss axis starts at zero.
        auto *lx = qobject_cast<QLogValueAxis *>(scatter->chart()->axes(Qt::Horizontal).value(0));
        auto *vy = qobject_cast<QValueAxis *>(scatter->chart()->axes(Qt::Vertical).value(0));
        ASSERT_NE(lx, nullptr);
        ASSERT_NE(vy, nullptr);
        EXPECT_DOUBLE_EQ(lx->min(), 1e-4);
        EXPECT_DOUBLE_EQ(lx->max(), 1.0);
        EXPECT_DOUBLE_EQ(vy->min(), 0.0);
        for (const HyperparameterScatterView::Point &p : scatter->points()) {
            EXPECT_GT(p.x, lx->min());
            EXPECT_LT(p.x, lx->max());
            EXPECT_LT(p.y, vy->max());
        }
    }
    if (!screenshotDir().isEmpty()) {
        view->window()->resize(1400, 900);
        view->setScatterHyperparameter(QStringLiteral("learning_rate"));
        saveScreenshot(*view->window(), QStringLiteral("compare-scatter.png"), 200);
        view->tabs()->setCurrentIndex(CompareView::ParallelTab);
        saveScreenshot(*view->window(), QStringLiteral("compare-parallel.png"), 200);
        view->tabs()->setCurrentIndex(CompareView::ScatterTab);
        view->setScatterMetric(QStringLiteral("val/loss"));
    }
    // A categorical hyperparameter: one category, every run on it.
    view->setScatterHyperparameter(QStringLiteral("optimizer"));
    ASSERT_TRUE(scatter->xAxisSpec().isCategorical());
    EXPECT_EQ(scatter->xAxisSpec().categories, QStringList{QStringLiteral("adam")});
    EXPECT_EQ(scatter->points().size(), 4);
    for (const HyperparameterScatterView::Point &p : scatter->points())
        EXPECT_EQ(p.x, 0.0);
    EXPECT_EQ(scatter->chart()->axes(Qt::Horizontal).value(0)->type(),
              QAbstractAxis::AxisTypeCategory);
}

TEST_F(CompareTest, ConfusionMatricesSideBySide)
{
    addEpochsSpikesAndEvaluations();
    CompareView *view = openCompare({m_ids.runs[0], m_ids.runs[2], m_ids.runs[3]});
    ASSERT_NE(view, nullptr);
    view->tabs()->setCurrentIndex(CompareView::ConfusionTab);
    ConfusionMatricesView *cm = view->confusionMatrices();
    ASSERT_EQ(cm->matrices().size(), 2);
    EXPECT_EQ(cm->matrices()[0].runId, m_ids.runs[0]);
    EXPECT_EQ(cm->matrices()[0].split, QStringLiteral("test"));
    EXPECT_EQ(cm->matrices()[0].classes.size(), 3);
    EXPECT_EQ(cm->matrices()[0].counts[1][1], 11);
    EXPECT_EQ(cm->matrices()[1].split, QStringLiteral("validation"));
    EXPECT_EQ(cm->matrices()[1].classes.size(), 10);
    EXPECT_EQ(cm->matrices()[1].counts.size(), 10u);
    EXPECT_EQ(cm->missing(), QStringList{QStringLiteral("adam-3e-3")});
    const auto views = cm->findChildren<ConfusionMatrixView *>();
    ASSERT_EQ(views.size(), 2);
    EXPECT_EQ(views[0]->matrix()[0][0], 10);
}

// The run tab's chart: a NaN tail draws nothing, an infinity is drawn at the plot's edge, and
// a marker and the title say where the series stopped being finite.
TEST(MetricChartViewTest, MarksWhereTheSeriesStopsBeingFinite)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<MetricBucket> buckets;
    for (int b = 0; b < 10; ++b) {
        MetricBucket m;
        m.firstStep = b * 100;
        m.lastStep = b * 100 + 99;
        m.count = 100;
        m.min = 0.5;
        m.max = 1.0;
        m.last = 0.75;
        if (b == 8) { // finite up to step 811, then NaN
            m.nanCount = 88;
            m.firstNonFiniteStep = 812;
            m.firstNonFinite = nan;
            m.last = nan;
        } else if (b == 9) {
            m.nanCount = 100;
            m.min = m.max = m.last = nan;
            m.firstNonFiniteStep = 900;
            m.firstNonFinite = nan;
        } else if (b == 3) {
            m.max = inf;
            m.firstNonFiniteStep = 350;
            m.firstNonFinite = inf;
        }
        buckets.push_back(m);
    }
    MetricChartView view(QStringLiteral("loss"));
    view.resize(600, 300);
    view.setBuckets(buckets);
    EXPECT_EQ(view.nonFiniteNote(), QStringLiteral("inf from step 350"));
    EXPECT_EQ(view.chart()->title(), QStringLiteral("loss \u2013 inf from step 350"));
    const QList<QPointF> marks = view.nonFiniteMarks();
    ASSERT_EQ(marks.size(), 2) << "one marker where each non-finite stretch begins";
    EXPECT_DOUBLE_EQ(marks[0].x(), 350);
    EXPECT_DOUBLE_EQ(marks[1].x(), 812);
    const QList<QPointF> points = view.points();
    ASSERT_EQ(points.size(), 9) << "the all-NaN bucket draws nothing";
    for (const QPointF &p : points)
        EXPECT_TRUE(std::isfinite(p.y()));
    EXPECT_DOUBLE_EQ(points[8].y(), 1.0) << "a NaN last value is drawn at the bucket's max";

    buckets.erase(buckets.begin() + 3);
    buckets.resize(7);
    view.setBuckets(buckets);
    EXPECT_TRUE(view.nonFiniteNote().isEmpty());
    EXPECT_EQ(view.chart()->title(), QStringLiteral("loss"));
    EXPECT_TRUE(view.nonFiniteMarks().isEmpty());
}

TEST(MetricChartViewTest, HoverShowsTheNearestDataPointNotTheCursor)
{
    std::vector<MetricBucket> buckets;
    for (int b = 0; b < 10; ++b) {
        MetricBucket m;
        m.firstStep = b * 100;
        m.lastStep = b * 100 + 99;
        m.count = 100;
        m.min = 0.1 * b;
        m.max = 0.1 * b + 0.05;
        m.last = 0.1 * b + 0.02; // the drawn value at step b*100+99
        buckets.push_back(m);
    }
    MetricChartView view(QStringLiteral("val_accuracy"));
    view.resize(600, 300);
    view.show();
    view.setBuckets(buckets);
    QApplication::processEvents();
    const QList<QPointF> points = view.points();
    ASSERT_EQ(points.size(), 10);

    // Beside the 4th point in x, and far from the line in y (near the top of the plot).
    QChart *chart = view.chart();
    const QPointF on = chart->mapToPosition(points[3]);
    const QRectF plot = chart->plotArea();
    const QPoint pos = view.mapFromScene(chart->mapToScene(QPointF(on.x() + 3, plot.top() + 5)));
    const QString text = view.hoverText(pos);
    EXPECT_EQ(text, QStringLiteral("val_accuracy at %1: %2")
                        .arg(view.scale().describe(points[3].x()), Format::metric(points[3].y())))
        << qPrintable(text);
    EXPECT_TRUE(text.endsWith(QStringLiteral(": 0.32"))) << qPrintable(text);

    // Outside the plot: nothing.
    EXPECT_TRUE(view.hoverText(view.mapFromScene(chart->mapToScene(QPointF(plot.left() - 20, on.y())))).isEmpty());
}

} // namespace
} // namespace mlwb::test
