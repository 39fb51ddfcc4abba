// SPDX-License-Identifier: MIT
// The Monitoring tab (issue #13) on a day of a real deployment's monitoring: the demo's history
// recorder (the agent's own serving code in-process, the monitor's own poller) over an iris
// package with petal width scaled all day. The tab's charts show what the store
// holds (compared against MonitorReader directly), the restart as a mark, the drift table
// exactly the shifted feature red, the firing alert listed; a lone slot between gaps is drawn
// as its point; the tab is named apart from the target's Deployment tab.
#include "ui_fixture.h"

#include "demo/demo_monitoring_history.h"
#include "mainwindow/document_area.h"
#include "monitor/monitor_reader.h"
#include "package/package_builder.h"
#include "package/package_catalog.h"
#include "panes/monitor/monitoring_branch.h"
#include "panes/monitor/monitoring_pane.h"
#include "store/database.h"
#include "train/training_session.h"
#include "data/dataset_catalog.h"
#include "model/model_catalog.h"

#include <QChart>
#include <QCategoryAxis>
#include <QChartView>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>

#include <gtest/gtest.h>

#include <cmath>

namespace mlwb::test {
namespace {

class MonitoringPaneTest : public UiTest {
protected:
    void SetUp() override
    {
        UiTest::SetUp();
        if (HasFatalFailure())
            return;
        qputenv("MLWB_CONFIG_DIR", path(QStringLiteral("config")).toUtf8());
    }
    void TearDown() override
    {
        UiTest::TearDown();
        qunsetenv("MLWB_CONFIG_DIR");
    }

    // A trained iris run packaged as iris-mon 1.0.0, and a day of its monitoring on "local".
    void prepare(Project &project)
    {
        ImportOptions options;
        options.target = QStringLiteral("species");
        auto d = DatasetCatalog(project.db()).importCsv(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris-m"), options);
        ASSERT_TRUE(d.ok()) << qPrintable(d.error());
        auto m = ModelCatalog(project.db()).createFromTemplate(QStringLiteral("iris-mon"), QStringLiteral("iris-m"), QStringLiteral("mlp"));
        ASSERT_TRUE(m.ok()) << qPrintable(m.error());
        TrainRequest r;
        r.modelName = QStringLiteral("iris-mon");
        r.config.epochs = 15;
        r.config.batchSize = 16;
        r.config.learningRate = 1e-2;
        r.config.seed = 7;
        r.config.threads = 2;
        r.ownerLease = project.file().leaseId();
        auto trained = TrainingSession::run(project.path(), r, nullptr);
        ASSERT_TRUE(trained.ok()) << qPrintable(trained.error());
        PackageBuilder::Request b;
        b.runId = trained->runId;
        b.name = QStringLiteral("iris-mon");
        b.version = QStringLiteral("1.0.0");
        auto package = PackageCatalog(project.db()).create(b, true);
        ASSERT_TRUE(package.ok()) << qPrintable(package.error());

        DemoMonitoringHistory::Options h;
        h.packageId = *package;
        h.dataset = QStringLiteral("iris-m");
        h.shiftedFeature = QStringLiteral("petal_width_cm");
        h.shiftFactor = 1.5;
        h.lengthMs = 24 * 3600'000LL;
        // The whole day shifted: the simulated traffic follows the clock (5 % of the peak at
        // night), so a shift of the last 6 h held from 4 % to 60 % of the day's rows, depending
        // on when the test ran, and KS at p < 0.05 against 90 reference rows needs about half.
        h.shiftForMs = h.lengthMs;
        h.endMs = QDateTime::currentMSecsSinceEpoch() - 60'000;
        auto outcome = DemoMonitoringHistory::record(project.db(), h, nullptr);
        ASSERT_TRUE(outcome.ok()) << qPrintable(outcome.error());
        m_history = *outcome;
        project.refresh();
    }

    static QString cellText(QTableWidget *t, int row, int column)
    {
        return t->item(row, column) ? t->item(row, column)->text() : QString();
    }

    DemoMonitoringHistory::Outcome m_history;
};

TEST_F(MonitoringPaneTest, ADayOfMonitoringShowsAsTheStoreHoldsIt)
{
    MainWindow &window = openWindow();
    Project *project = window.project();
    ASSERT_TRUE(project);
    prepare(*project);
    if (HasFatalFailure())
        return;
    ASSERT_GT(m_history.targetId, 0);

    ASSERT_TRUE(window.documents()->open({kMonitorKind, m_history.targetId}));
    auto *pane = qobject_cast<MonitoringPane *>(window.documents()->currentDocument());
    ASSERT_TRUE(pane);
    pane->setRangeIndex(2); // 24 h
    MLWB_TRY_VERIFY(!pane->loading() && !pane->data().slotEnds.empty() && pane->data().fromMs > 0 &&
                    pane->data().toMs - pane->data().fromMs == 24 * 3600'000LL);
    const MonitoringPane::Data &data = pane->data();
    ASSERT_TRUE(data.error.isEmpty()) << qPrintable(data.error);

    // Named apart from the target's own Deployment tab.
    auto *tabs = window.findChild<QTabWidget *>();
    ASSERT_TRUE(tabs);
    EXPECT_EQ(tabs->tabText(tabs->currentIndex()), QStringLiteral("local \u00b7 monitoring"));

    // The throughput line is the store's own figures, slot by slot (NaN: a break, not a zero).
    Result<MonitorView> view = MonitorReader::view(project->db(), m_history.targetId, data.fromMs, data.toMs, int(data.slotEnds.size()));
    ASSERT_TRUE(view.ok()) << qPrintable(view.error());
    const std::vector<double> expected = view->throughput();
    std::map<qint64, double> drawn;
    for (QAbstractSeries *s : pane->throughputChart()->chart()->series())
        if (auto *line = qobject_cast<QLineSeries *>(s); line && s->name() == QStringLiteral("requests/s"))
            for (const QPointF &p : line->points())
                drawn[qint64(p.x())] = p.y();
    int finite = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto it = drawn.find(data.slotEnds[i]);
        if (std::isfinite(expected[i])) {
            ++finite;
            ASSERT_NE(it, drawn.end()) << "slot " << i << " not drawn";
            EXPECT_NEAR(it->second, expected[i], 1e-9 * std::max(1.0, expected[i])) << "slot " << i;
        } else {
            EXPECT_EQ(it, drawn.end()) << "slot " << i << " is a gap, drawn as " << it->second;
        }
    }
    EXPECT_GT(finite, int(expected.size()) / 2);

    // The restart is a mark on the chart, never a negative rate.
    int restarts = 0;
    for (QAbstractSeries *s : pane->throughputChart()->chart()->series())
        if (auto *marks = qobject_cast<QScatterSeries *>(s); marks && s->name() == QStringLiteral("agent restart"))
            restarts += int(marks->count());
    EXPECT_EQ(restarts, m_history.resets);
    for (const auto &[t, v] : drawn)
        EXPECT_GE(v, 0.0);

    // Drift: of the inputs, exactly the shifted feature is red, the others green (the
    // predictions may move with it: they are judged apart, in the "(prediction)" row).
    QTableWidget *drift = pane->driftTable();
    QStringList red, green;
    for (int r = 0; r < drift->rowCount(); ++r) {
        if (cellText(drift, r, 0) == QStringLiteral("(prediction)"))
            continue;
        const int level = drift->item(r, 11) ? drift->item(r, 11)->data(Qt::UserRole).toInt() : -1;
        if (level == int(FeatureDrift::Level::Red))
            red << cellText(drift, r, 0);
        else if (level == int(FeatureDrift::Level::Green))
            green << cellText(drift, r, 0);
    }
    EXPECT_EQ(red, QStringList{QStringLiteral("petal_width_cm")});
    for (const char *f : {"sepal_length_cm", "sepal_width_cm", "petal_length_cm"})
        EXPECT_TRUE(green.contains(QLatin1String(f))) << f << " is not green: " << qPrintable(green.join(QLatin1String(", ")));

    // The firing alert is listed first, naming the feature.
    QTableWidget *alerts = pane->alertsTable();
    ASSERT_GE(alerts->rowCount(), 1);
    EXPECT_TRUE(cellText(alerts, 0, 3).contains(QStringLiteral("petal_width_cm"))) << qPrintable(cellText(alerts, 0, 3));
    EXPECT_TRUE(cellText(alerts, 0, 2).isEmpty() || cellText(alerts, 0, 2) == QStringLiteral("\u2013")) << "still firing";

    saveScreenshot(window, QStringLiteral("monitoring-pane-light.png"));
}

// A slot with traffic between two gaps is one point: a line of one point draws nothing, so the
// segment shows its marker.
TEST_F(MonitoringPaneTest, ALoneSlotBetweenGapsIsDrawnAsItsPoint)
{
    MainWindow &window = openWindow();
    Project *project = window.project();
    ASSERT_TRUE(project);
    TargetRecord t;
    t.name = QStringLiteral("edge");
    t.url = QStringLiteral("http://127.0.0.1:9");
    t.createdBy = QStringLiteral("alice@ws1");
    auto id = project->targets().add(t);
    ASSERT_TRUE(id.ok()) << qPrintable(id.error());
    MonitoringPane pane(*project, *id, nullptr, nullptr);
    MLWB_TRY_VERIFY(!pane.loading());
    MonitoringPane::Data d = pane.data();
    d.error.clear();
    d.fromMs = 1'000'000;
    d.toMs = d.fromMs + 10 * 60'000;
    d.slotEnds.clear();
    for (int i = 1; i <= 10; ++i)
        d.slotEnds.push_back(d.fromMs + i * 60'000);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    MonitoringPane::Data::Series s;
    s.rps = {nan, nan, 4.0, nan, 2.0, 3.0, nan, nan, nan, nan};
    s.errorRate = s.p50 = s.p95 = s.p99 = std::vector<double>(10, nan);
    d.byModel[QString()] = s;
    d.failures.emplace_back(d.fromMs + 4 * 60'000, QStringLiteral("no answer"));
    d.resets = {d.fromMs + 5 * 60'000};
    pane.show(d);
    // The restart and the failed poll are marks along the bottom, never values of the line.
    int restartMarks = 0, failedMarks = 0;
    for (QAbstractSeries *a : pane.throughputChart()->chart()->series()) {
        if (auto *marks = qobject_cast<QScatterSeries *>(a)) {
            if (a->name() == QStringLiteral("agent restart"))
                restartMarks += int(marks->count());
            if (a->name() == QStringLiteral("no answer"))
                failedMarks += int(marks->count());
        }
    }
    EXPECT_EQ(restartMarks, 1);
    EXPECT_EQ(failedMarks, 1);
    int lone = 0, lines = 0;
    for (QAbstractSeries *a : pane.throughputChart()->chart()->series()) {
        auto *line = qobject_cast<QLineSeries *>(a);
        if (!line || a->type() != QAbstractSeries::SeriesTypeLine || line->count() == 0)
            continue;
        ++lines;
        if (line->count() == 1) {
            ++lone;
            EXPECT_TRUE(line->pointsVisible()) << "a one-point segment must show its marker";
            EXPECT_DOUBLE_EQ(line->at(0).y(), 4.0);
        }
    }
    // The time axis names round clock times inside the range (10 minutes: every 5 minutes).
    auto *time = qobject_cast<QCategoryAxis *>(pane.throughputChart()->chart()->axes(Qt::Horizontal).value(0));
    ASSERT_TRUE(time);
    const QStringList labels = time->categoriesLabels();
    ASSERT_FALSE(labels.isEmpty());
    for (const QString &label : labels) {
        const double at = time->endValue(label);
        EXPECT_GT(at, double(d.fromMs));
        EXPECT_LT(at, double(d.toMs));
        EXPECT_EQ(QDateTime::fromMSecsSinceEpoch(qint64(at)).toString(QStringLiteral("hh:mm")), label);
        const qint64 local = qint64(at) + qint64(QDateTime::fromMSecsSinceEpoch(qint64(at)).offsetFromUtc()) * 1000;
        EXPECT_EQ(local % (5 * 60'000), 0) << qPrintable(label);
    }
    EXPECT_EQ(lines, 2) << "two segments: the lone slot and the two after the gap";
    EXPECT_EQ(lone, 1);
}

} // namespace
} // namespace mlwb::test
