// SPDX-License-Identifier: MIT
// `mlwb demo` (issue #13's last requirement): the demo project carries a week of monitoring of
// its local deployment, made by the agent's and the monitor's own code, with one drifted
// feature: the target and its monitor, a week of scrapes and samples, exactly one drift alert ever
// (petal width's drift, firing), no negative increase anywhere (the restart is a reset), and
// the CLI agrees: `mlwb monitor --once` exits 3, `mlwb alerts --json` lists that alert.

#include "cli_runner.h"

#include "monitor/monitor_baselines.h"
#include "monitor/monitor_reader.h"
#include "monitor/monitor_summary.h"
#include "store/alert_repository.h"
#include "store/database.h"
#include "store/deployment_repository.h"
#include "store/experiment_repository.h"
#include "store/metric_reader.h"
#include "store/run_repository.h"
#include "store/monitor_repository.h"
#include "store/monitor_sample_repository.h"
#include "store/package_repository.h"
#include "store/project_file.h"
#include "store/statement.h"
#include "store/target_repository.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

#include <gtest/gtest.h>

#include <limits>
#include <map>

using namespace mlwb;
using namespace mlwb::test;

namespace {

QString s(const char *text) { return QString::fromUtf8(text); }
constexpr qint64 kMinute = 60'000;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;

} // namespace

class CliDemoTest : public TempDirTest {
protected:
    void SetUp() override
    {
        TempDirTest::SetUp();
        qputenv("MLWB_CONFIG_DIR", QFile::encodeName(path(s("config"))));
        qputenv("MLWB_DATA_DIR", QFile::encodeName(path(s("data"))));
        qputenv("MLWB_KEYCHAIN", "off");
    }
};

TEST_F(CliDemoTest, TheDemoCarriesAWeekOfItsLocalDeploymentsMonitoringWithOneDriftedFeature)
{
    const QString demo = path(s("demo.mlwb"));
    QElapsedTimer clock;
    clock.start();
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const CliResult made = runCli({s("demo"), demo, s("--datasets"), datasetPath(QString())}, 900000);
    ASSERT_EQ(made.exitCode, 0) << made.err.constData();
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    std::printf("mlwb demo took %.1f s; the file is %.2f MB\n", double(clock.elapsed()) / 1000.0,
                double(QFileInfo(demo).size()) / 1e6);

    {
        auto project = ProjectFile::open(demo, {true, s("test"), 5000});
        ASSERT_OK(project);
        Database &db = (*project)->db();
        Result<TargetRecord> target = TargetRepository(db).find(s("local"));
        ASSERT_OK(target);
        EXPECT_EQ(target->url, s("http://127.0.0.1:8500"));
        Result<MonitorConfig> config = MonitorRepository(db).config(target->id);
        ASSERT_OK(config);
        EXPECT_EQ(config->source, s("agent"));
        auto deployments = DeploymentRepository(db).list(target->id);
        ASSERT_OK(deployments);
        ASSERT_EQ(deployments->size(), 1);
        EXPECT_EQ(deployments->first().model, s("iris-mlp"));
        EXPECT_EQ(deployments->first().version, s("1.0.0"));

        // A week of scrapes, every one answered, ending when the demo was made, one restart.
        MonitorSampleRepository samples(db);
        auto scrapes = samples.scrapes(target->id, 0, std::numeric_limits<qint64>::max());
        ASSERT_OK(scrapes);
        ASSERT_FALSE(scrapes->isEmpty());
        const qint64 endMs = scrapes->last().tMs;
        EXPECT_GE(endMs, before);
        EXPECT_LE(endMs, after);
        int failed = 0, resets = 0;
        for (const ScrapeRecord &r : *scrapes) {
            failed += !r.ok;
            resets += r.reset;
        }
        EXPECT_EQ(failed, 0);
        EXPECT_EQ(resets, 1);
        // The retention keeps successful polls for 24 h (older ones only where they reset).
        EXPECT_GE(scrapes->size(), 24 * 12);

        // Samples over the whole week: the first ones a week before the last.
        auto span = db.prepare(s("SELECT min(p.t_ms), max(p.t_ms), count(*) FROM monitor_sample p JOIN monitor_series r ON r.id = p.series_id "
                                 "WHERE r.target_id = ?1"));
        ASSERT_OK(span);
        span->bind(1, target->id);
        ASSERT_TRUE(span->step().value());
        const qint64 firstSampleMs = span->columnInt(0);
        EXPECT_EQ(span->columnInt(1), endMs);
        EXPECT_GE(endMs - firstSampleMs, 7 * kDay - 10 * kMinute);
        EXPECT_LE(endMs - firstSampleMs, 7 * kDay);
        std::printf("%lld samples\n", static_cast<long long>(span->columnInt(2)));
        // No increase below zero anywhere: the restart counted from zero, not as a drop.
        auto negative = db.prepare(s("SELECT count(*) FROM monitor_sample p JOIN monitor_series r ON r.id = p.series_id "
                                     "WHERE r.target_id = ?1 AND r.kind = 'delta' AND p.value < 0"));
        ASSERT_OK(negative);
        negative->bind(1, target->id);
        ASSERT_TRUE(negative->step().value());
        EXPECT_EQ(negative->columnInt(0), 0);

        // The week's traffic: thousands of requests a day, the two refusals (503) as its only errors.
        auto week = MonitorReader::view(db, target->id, endMs - 7 * kDay - kMinute, endMs, 7 * 24);
        ASSERT_OK(week);
        const MonitorView::Totals totals = week->totals(s("iris-mlp"));
        EXPECT_GT(totals.requests, 7 * 3000);
        EXPECT_EQ(totals.errors, 2);
        EXPECT_EQ(totals.byStatus.value(s("503")), 2);
        EXPECT_EQ(week->resets(), 1);
        for (double rps : week->throughput(s("iris-mlp")))
            EXPECT_FALSE(rps < 0);

        // Exactly one drift alert ever, petal width's, fired after the shift began and firing; the
        // only other alerts a quiet evening's no-traffic rule raised and cleared (the simulated
        // traffic is thin at night: a real lull, shown as such).
        Result<QList<AlertRuleRecord>> rules = AlertRepository(db).rules(target->id);
        ASSERT_OK(rules);
        int driftRules = 0;
        for (const AlertRuleRecord &r : *rules)
            driftRules += r.metric == s("drift") && r.origin == s("default");
        EXPECT_EQ(driftRules, 4);
        auto all = AlertRepository(db).history(target->id, 100);
        ASSERT_OK(all);
        QList<AlertRecord> driftAlerts;
        for (const AlertRecord &a : *all) {
            Result<AlertRuleRecord> r = AlertRepository(db).rule(a.ruleId);
            ASSERT_OK(r);
            if (r->metric == s("drift"))
                driftAlerts << a;
            else
                EXPECT_TRUE(r->metric == s("no_traffic_minutes") && a.clearedAt.isValid()) << a.message.toStdString();
        }
        auto alerts = &driftAlerts;
        ASSERT_EQ(alerts->size(), 1);
        const AlertRecord &alert = alerts->first();
        EXPECT_FALSE(alert.clearedAt.isValid());
        Result<AlertRuleRecord> rule = AlertRepository(db).rule(alert.ruleId);
        ASSERT_OK(rule);
        EXPECT_EQ(rule->metric, s("drift"));
        EXPECT_EQ(rule->feature, s("petal_width_cm"));
        EXPECT_GE(alert.firedAt.toMSecsSinceEpoch(), endMs - 2 * kDay);
        EXPECT_LE(alert.firedAt.toMSecsSinceEpoch(), endMs - kDay);

        // Over the last 24 h the pane's drift table: petal width red, every other feature green.
        PackageRepository packages(db);
        MonitorBaselines baselines(packages);
        auto day = MonitorReader::view(db, target->id, endMs - kDay, endMs, 96);
        ASSERT_OK(day);
        const MonitorSummary summary = MonitorSummary::compute(*day, baselines);
        ASSERT_EQ(summary.versions.size(), 1);
        ASSERT_EQ(summary.versions.first().features.size(), 4);
        for (const FeatureDrift::Figures &f : summary.versions.first().features)
            EXPECT_EQ(f.level, f.feature == s("petal_width_cm") ? FeatureDrift::Level::Red : FeatureDrift::Level::Green)
                << f.feature.toStdString() << ": " << FeatureDrift::name(f.statistic).toStdString() << " " << f.value;
    }

    // The CLI: an alert fires (exit 3; nothing answers on the local target's port, which is a
    // gap, not a reason to clear it), and the alert list names it.
    const CliResult once = runCli({s("monitor"), demo, s("--target"), s("local"), s("--once")});
    EXPECT_EQ(once.exitCode, 3) << once.out.constData() << once.err.constData();
    const CliResult listed = runCli({s("alerts"), demo, s("--json")});
    EXPECT_EQ(listed.exitCode, 3) << listed.err.constData();
    const QJsonArray firing = listed.json().value(s("alerts")).toArray();
    int drift = 0;
    for (const QJsonValue &a : firing)
        drift += a.toObject().value(s("message")).toString().contains(s("petal_width_cm drift"));
    EXPECT_EQ(drift, 1) << listed.out.constData();

    // Its one stored report (issue #14): the deployed run and the sweep's, rendered again as HTML.
    const CliResult reports = runCli({s("report"), demo, s("--list"), s("--json")});
    ASSERT_EQ(reports.exitCode, 0) << reports.err.constData();
    const QJsonArray stored = reports.json().value(s("reports")).toArray();
    ASSERT_EQ(stored.size(), 1);
    EXPECT_EQ(stored.at(0).toObject().value(s("name")).toString(), s("iris-mlp review"));
    EXPECT_EQ(stored.at(0).toObject().value(s("runs")).toArray().size(), 4) << "the packaged run and the sweep's three";
    const QString html = QFileInfo(demo).absolutePath() + s("/review.html");
    const CliResult rendered = runCli({s("report"), demo, s("--report"), s("iris-mlp review"), s("--format"), s("html"), s("-o"), html});
    ASSERT_EQ(rendered.exitCode, 0) << rendered.err.constData();
    QFile page(html);
    ASSERT_TRUE(page.open(QIODevice::ReadOnly));
    EXPECT_TRUE(page.readAll().contains("iris-mlp: the deployed run and the learning-rate sweep"));
    page.close();

    // Its experiment a notebook logged through the tracking endpoint (issue #15): two finished
    // runs of softmax regression, the faster learning rate ending with the lower validation loss.
    auto project = ProjectFile::open(demo, {true, s("test"), 5000});
    ASSERT_OK(project);
    auto experiment = ExperimentRepository((*project)->db()).find(s("iris-notebook"));
    ASSERT_OK(experiment);
    EXPECT_EQ(experiment->runCount, 2);
    auto runs = RunRepository((*project)->db()).listForExperiment(experiment->id);
    ASSERT_OK(runs);
    ASSERT_EQ(runs->size(), 2);
    std::map<QString, double> finalLoss;
    for (const RunRecord &r : std::as_const(*runs)) {
        EXPECT_TRUE(r.tracked);
        EXPECT_EQ(r.status, RunStatus::Finished) << r.name.toStdString();
        EXPECT_EQ(r.hyperparams.value(s("epochs")).toString(), s("60"));
        auto loss = MetricReader((*project)->db()).series(r.id, s("val_loss"));
        ASSERT_OK(loss);
        ASSERT_EQ(loss->size(), 60u);
        EXPECT_LT(loss->back().value, loss->front().value) << r.name.toStdString() << ": the loss falls";
        finalLoss[r.hyperparams.value(s("lr")).toString()] = loss->back().value;
        EXPECT_GT(r.summary.value(s("val_accuracy")).toDouble(), 0.6) << r.name.toStdString();
        EXPECT_TRUE(RunRepository((*project)->db()).artifact(r.id, s("weights.json")).ok());
    }
    EXPECT_LT(finalLoss[s("0.5")], finalLoss[s("0.05")]);
    const CliResult listed2 = runCli({s("runs"), demo});
    EXPECT_TRUE(listed2.out.contains("experiment iris-notebook")) << listed2.out.constData();
}
