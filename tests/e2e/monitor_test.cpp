// SPDX-License-Identifier: MIT
// The monitor end to end (issue #13) against real mlwb-agent processes on 127.0.0.1: a model of
// a data set with numeric and categorical features is packaged and deployed; inputs drawn from
// the training distribution raise no drift alert, shifted ones (one feature scaled, one
// category's share changed) raise exactly those features' alerts; a kill -9 and restart of the
// agent mid-feed is a reset, never a negative rate; an agent that stops answering is a gap, never
// zero traffic; Debian's prometheus server, started here and scraping the agent, is read through
// its query API to the same counts, and its histogram_quantile agrees with ours; `mlwb monitor
// --once` exits 3 while an alert fires.

#include "agent_harness.h"
#include "cli_runner.h"

#include "monitor/alert_evaluator.h"
#include "monitor/histogram_quantile.h"
#include "monitor/monitor_baselines.h"
#include "monitor/monitor_poller.h"
#include "monitor/monitor_reader.h"
#include "monitor/monitor_summary.h"
#include "monitor/prometheus_query.h"
#include "package/package_catalog.h"
#include "store/alert_repository.h"
#include "store/monitor_repository.h"
#include "store/monitor_sample_repository.h"
#include "store/package_repository.h"
#include "store/target_repository.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTcpServer>
#include <QTextStream>
#include <QThread>

#include <gtest/gtest.h>

#include <random>
#include <set>

using namespace mlwb;
using namespace mlwb::test;

namespace {

QString s(const char *text) { return QString::fromUtf8(text); }

// The shop data: x1 ~ N(0, 1), x2 ~ N(5, 2), colour red 50 %, green 30 %, blue 20 %; the label
// follows x1 and the colour. `shifted`: x2 scaled by 1.5, blue at 70 %.
struct Row {
    double x1, x2;
    int colour; // 0 red, 1 green, 2 blue
};
const char *kColours[] = {"red", "green", "blue"};

std::vector<Row> draw(int n, bool shifted, unsigned seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> n1(0, 1), n2(5, 2);
    std::discrete_distribution<int> colour = shifted ? std::discrete_distribution<int>{0.2, 0.1, 0.7} : std::discrete_distribution<int>{0.5, 0.3, 0.2};
    std::vector<Row> rows;
    for (int i = 0; i < n; ++i) {
        Row r{n1(rng), n2(rng), colour(rng)};
        if (shifted)
            r.x2 *= 1.5;
        rows.push_back(r);
    }
    return rows;
}

struct ShopModel {
    QString dir;
    QString projectPath;
    QString trustedKeys;
    QByteArray package; // shop-model 1.0.0, signed
    QStringList colourCodes; // the baseline's category order: code i is colourCodes[i]
    QString error;

    static const ShopModel &get()
    {
        static ShopModel m = build();
        return m;
    }

private:
    static ShopModel build()
    {
        ShopModel m;
        static QTemporaryDir tmp;
        m.dir = tmp.path();
        qputenv("MLWB_CONFIG_DIR", tmp.filePath(s("config")).toUtf8());
        const auto fail = [&](const QString &why) {
            m.error = why;
            return m;
        };
        QFile csv(tmp.filePath(s("shop.csv")));
        if (!csv.open(QIODevice::WriteOnly))
            return fail(s("cannot write shop.csv"));
        QTextStream out(&csv);
        out << "x1,x2,colour,label\n";
        for (const Row &r : draw(2000, false, 1))
            out << QString::number(r.x1, 'g', 9) << ',' << QString::number(r.x2, 'g', 9) << ',' << kColours[r.colour] << ','
                << ((r.x1 + (r.colour == 0 ? 0.8 : 0.0) > 0.4) ? "yes" : "no") << '\n';
        out.flush();
        csv.close();
        auto key = KeyStore().signingKey();
        if (!key)
            return fail(key.error());
        m.projectPath = tmp.filePath(s("shop.mlwb"));
        auto project = ProjectFile::create(m.projectPath);
        if (!project)
            return fail(project.error());
        ImportOptions options;
        options.target = s("label");
        if (auto id = DatasetCatalog((*project)->db()).importCsv(csv.fileName(), s("shop"), options); !id)
            return fail(id.error());
        if (auto id = ModelCatalog((*project)->db()).createFromTemplate(s("shop-model"), s("shop"), s("logistic")); !id)
            return fail(id.error());
        TrainRequest r;
        r.modelName = s("shop-model");
        r.config.epochs = 5;
        r.config.batchSize = 64;
        r.config.learningRate = 5e-2;
        r.config.seed = 3;
        r.config.threads = 1;
        r.ownerLease = (*project)->leaseId();
        auto trained = TrainingSession::run(m.projectPath, r, nullptr);
        if (!trained)
            return fail(trained.error());
        PackageBuilder::Request b;
        b.runId = trained->runId;
        b.name = s("shop-model");
        b.version = s("1.0.0");
        b.projectName = s("shop.mlwb");
        auto id = PackageCatalog((*project)->db()).create(b, true);
        if (!id)
            return fail(id.error());
        auto record = PackageRepository((*project)->db()).get(*id);
        if (!record)
            return fail(record.error());
        m.package = record->archive;
        auto opened = SealedPackage::open(m.package, s("shop"), {key->publicKey()}, true);
        if (!opened)
            return fail(opened.error());
        for (const QJsonValue &f : opened->baseline().value(s("features")).toArray())
            if (f[s("name")].toString() == s("colour"))
                for (const QJsonValue &c : f[s("categories")].toArray())
                    m.colourCodes << c.toString();
        if (m.colourCodes.size() != 3)
            return fail(s("the baseline has no three colours"));
        m.trustedKeys = tmp.filePath(s("trusted"));
        QDir().mkpath(m.trustedKeys);
        QFile pub(m.trustedKeys + s("/test.pub"));
        if (!pub.open(QIODevice::WriteOnly) || pub.write(key->publicKey().toText()) <= 0)
            return fail(s("cannot write the trusted key"));
        return m;
    }
};

// One request of `rows` for the agent, the features as the engine takes them (colour as its code).
QByteArray inferBody(const std::vector<Row> &rows, std::size_t from, std::size_t count, const QStringList &codes)
{
    QJsonArray data;
    for (std::size_t i = from; i < from + count && i < rows.size(); ++i) {
        data.append(rows[i].x1);
        data.append(rows[i].x2);
        data.append(double(codes.indexOf(QString::fromLatin1(kColours[rows[i].colour]))));
    }
    const QJsonObject input{{s("name"), s("INPUT__0")}, {s("shape"), QJsonArray{qint64(data.size() / 3), 3}}, {s("datatype"), s("FP32")},
                            {s("data"), data}};
    return QJsonDocument(QJsonObject{{s("inputs"), QJsonArray{input}}}).toJson(QJsonDocument::Compact);
}

} // namespace

class MonitorTest : public TempDirTest {
protected:
    void SetUp() override
    {
        TempDirTest::SetUp();
        const ShopModel &m = ShopModel::get();
        ASSERT_TRUE(m.error.isEmpty()) << m.error.toStdString();
        // Each test on its own copy of the project.
        projectPath = path(s("p.mlwb"));
        ASSERT_TRUE(QFile::copy(m.projectPath, projectPath));
        agent = std::make_unique<AgentProcess>(path(s("agent")), m.trustedKeys);
        ASSERT_TRUE(agent->start()) << agent->error().toStdString();
        auto up = agent->upload(m.package);
        ASSERT_TRUE(up && up->status == 200) << (up ? up->body.constData() : "no answer");
        auto file = ProjectFile::open(projectPath);
        ASSERT_TRUE(file) << file.error().toStdString();
        project = std::move(*file);
        TargetRecord t;
        t.name = s("shop");
        t.url = QStringLiteral("http://127.0.0.1:%1").arg(agent->port());
        t.createdBy = s("test@host");
        auto id = TargetRepository(project->db()).add(t);
        ASSERT_TRUE(id) << id.error().toStdString();
        target = *TargetRepository(project->db()).get(*id);
        auto c = MonitorRepository(project->db()).config(target.id);
        ASSERT_TRUE(c) << c.error().toStdString();
        config = *c;
        packages = std::make_unique<PackageRepository>(project->db());
        // The agent's /metrics on whatever port it has now (a restart takes another).
        poller = std::make_unique<MonitorPoller>(project->db(), *packages, target, config, [this]() -> Result<QByteArray> {
            auto r = call(agent->port(), "GET", "/metrics");
            if (!r || r->status != 200)
                return Error{s("no answer from the agent"), ErrorKind::Io};
            return r->body;
        });
    }

    void send(const std::vector<Row> &rows, std::size_t perRequest = 20)
    {
        const QStringList &codes = ShopModel::get().colourCodes;
        for (std::size_t i = 0; i < rows.size(); i += perRequest) {
            auto r = call(agent->port(), "POST", "/v2/models/shop-model/infer", inferBody(rows, i, perRequest, codes));
            ASSERT_TRUE(r && r->status == 200) << (r ? r->body.constData() : "no answer");
        }
    }

    MonitorPoller::Outcome poll()
    {
        // Polls a few ms apart at least, so each has its own time.
        QThread::msleep(20);
        Result<MonitorPoller::Outcome> o = poller->poll(QDateTime::currentMSecsSinceEpoch());
        EXPECT_TRUE(o) << (o ? "" : o.error().toStdString());
        return o ? *o : MonitorPoller::Outcome{};
    }

    MonitorView view(qint64 rangeMs = 3600'000, int slots = 60)
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch() + 1;
        Result<MonitorView> v = MonitorReader::view(project->db(), target.id, now - rangeMs, now, slots);
        EXPECT_TRUE(v) << (v ? "" : v.error().toStdString());
        return v ? std::move(*v) : MonitorView(0, 1, 1);
    }

    // The features whose drift alerts fire now.
    std::set<QString> driftAlerts()
    {
        std::set<QString> out;
        AlertRepository alerts(project->db());
        auto active = alerts.active(target.id);
        EXPECT_TRUE(active);
        auto rules = alerts.rules(target.id);
        EXPECT_TRUE(rules);
        for (const AlertRecord &a : *active)
            for (const AlertRuleRecord &r : *rules)
                if (r.id == a.ruleId && r.metric == s("drift"))
                    out.insert(r.feature);
        return out;
    }

    QString projectPath;
    std::unique_ptr<AgentProcess> agent;
    std::unique_ptr<ProjectFile> project;
    TargetRecord target;
    MonitorConfig config;
    std::unique_ptr<PackageRepository> packages;
    std::unique_ptr<MonitorPoller> poller;
};

TEST_F(MonitorTest, TrainingDistributionRaisesNoDriftShiftedRaisesExactlyThoseFeatures)
{
    MonitorPoller::Outcome first = poll();
    ASSERT_TRUE(first.ok) << first.error.toStdString();
    ASSERT_EQ(first.served.size(), 1);
    // The default rules came with the deployment: one drift rule per feature and the others.
    auto rules = AlertRepository(project->db()).rules(target.id);
    ASSERT_TRUE(rules);
    std::set<QString> ruled;
    for (const AlertRuleRecord &r : *rules)
        ruled.insert(r.metric == s("drift") ? r.feature : r.metric);
    EXPECT_EQ(ruled, (std::set<QString>{s("x1"), s("x2"), s("colour"), s("error_rate"), s("no_traffic_minutes"), s("unreachable_minutes")}))
        << "no latency rule: the package was never checked, so there is no figure to start from";

    send(draw(1500, false, 11));
    MonitorPoller::Outcome second = poll();
    ASSERT_TRUE(second.ok);
    EXPECT_GT(second.points, 0);
    EXPECT_TRUE(driftAlerts().empty());
    MonitorBaselines baselines(*packages);
    MonitorSummary summary = MonitorSummary::compute(view(), baselines);
    ASSERT_EQ(summary.versions.size(), 1);
    const MonitorSummary::Version &v = summary.versions[0];
    EXPECT_EQ(v.totals.rows, 1500);
    ASSERT_EQ(v.features.size(), 3) << v.baselineError.toStdString() << v.problems.join(u';').toStdString();
    for (const FeatureDrift::Figures &f : v.features) {
        EXPECT_EQ(f.rows, 1500) << f.feature.toStdString();
        EXPECT_NE(f.level, FeatureDrift::Level::Red) << f.feature.toStdString() << " " << f.value;
        EXPECT_NE(f.level, FeatureDrift::Level::NotEnoughData) << f.feature.toStdString();
    }

    send(draw(1500, true, 12));
    MonitorPoller::Outcome third = poll();
    ASSERT_TRUE(third.ok);
    EXPECT_EQ(driftAlerts(), (std::set<QString>{s("x2"), s("colour")}));
    int fired = 0;
    for (const AlertEvaluator::Change &c : third.alertChanges)
        fired += c.fired;
    EXPECT_EQ(fired, 2);

    // The CLI sees the same, and exits 3 while the alerts fire.
    agent->kill(); // --once must not add traffic figures of its own; a dead agent only adds a gap
    poller.reset(); // the file has one writer at a time: the CLI's turn
    packages.reset();
    project.reset();
    auto once = runCli({s("monitor"), projectPath, s("--target"), s("shop"), s("--once"), s("--json"), s("--range"), s("1h")}, 120000);
    EXPECT_EQ(once.exitCode, 3) << once.err.constData();
    const QJsonArray alerts = once.json()[s("alerts")].toArray();
    EXPECT_EQ(alerts.size(), 2) << once.out.constData();
    auto listed = runCli({s("alerts"), projectPath, s("--json")}, 60000);
    EXPECT_EQ(listed.exitCode, 3);
    EXPECT_EQ(listed.json()[s("alerts")].toArray().size(), 2);
}

TEST_F(MonitorTest, AnAgentRestartIsAResetNotANegativeRate)
{
    poll();
    send(draw(1000, false, 21), 20); // 50 requests
    ASSERT_TRUE(poll().ok);
    agent->kill();
    ASSERT_TRUE(agent->start()) << agent->error().toStdString(); // the same state: the model comes back
    send(draw(600, false, 22), 20); // 30 requests
    MonitorPoller::Outcome after = poll();
    ASSERT_TRUE(after.ok);
    EXPECT_TRUE(after.reset);
    const MonitorView v = view();
    EXPECT_EQ(v.resets(), 1);
    EXPECT_EQ(v.totals(s("shop-model")).requests, 80) << "every request counted once, none negative";
    for (double rps : v.throughput())
        EXPECT_TRUE(std::isnan(rps) || rps >= 0) << rps;
    auto samples = MonitorSampleRepository(project->db()).series(target.id);
    ASSERT_TRUE(samples);
    for (const MonitorSeriesRecord &series : *samples) {
        if (series.kind != MonitorSeriesKind::Delta || series.name.endsWith(s("_sum")))
            continue; // a histogram's sum goes down with negative values
        auto points = MonitorSampleRepository(project->db()).read(series.id, 0, std::numeric_limits<qint64>::max());
        ASSERT_TRUE(points);
        for (const MonitorPoint &p : *points)
            EXPECT_TRUE(std::isnan(p.value) || p.value >= 0) << series.name.toStdString() << series.labels.toStdString() << " " << p.value;
    }
}

TEST_F(MonitorTest, AnUnreachableTargetIsAGapNotZeroTraffic)
{
    poll();
    send(draw(400, false, 31));
    ASSERT_TRUE(poll().ok);
    agent->kill();
    QThread::msleep(1100);
    MonitorPoller::Outcome down = poll();
    EXPECT_FALSE(down.ok);
    EXPECT_FALSE(down.error.isEmpty());
    QThread::msleep(1100);
    EXPECT_FALSE(poll().ok);
    const qint64 now = QDateTime::currentMSecsSinceEpoch() + 1;
    // Slots of a second: the ones after the kill have no coverage, so no rate, not zero.
    Result<MonitorView> v = MonitorReader::view(project->db(), target.id, now - 4000, now, 4);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->failedPolls(), 2);
    const std::vector<double> rps = v->throughput();
    EXPECT_TRUE(std::isnan(rps.back())) << rps.back();
    EXPECT_TRUE(std::isnan(v->errorRate().back()));
}

// Debian's prometheus server scrapes the agent every second; the monitor reads the same counts
// through its query API, and our quantile over its buckets equals its histogram_quantile.
TEST_F(MonitorTest, PrometheusScrapesTheAgentAndTheMonitorReadsTheSameThroughItsApi)
{
    // A free port for Prometheus.
    QTcpServer probe;
    ASSERT_TRUE(probe.listen(QHostAddress::LocalHost, 0));
    const int promPort = probe.serverPort();
    probe.close();
    QFile yml(path(s("prometheus.yml")));
    ASSERT_TRUE(yml.open(QIODevice::WriteOnly));
    yml.write(QStringLiteral("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: shop\n    static_configs:\n      - targets: ['127.0.0.1:%1']\n")
                  .arg(agent->port())
                  .toUtf8());
    yml.close();
    QProcess prometheus;
    prometheus.setProcessChannelMode(QProcess::MergedChannels);
    prometheus.start(s("/usr/bin/prometheus"), {s("--config.file=") + yml.fileName(), s("--storage.tsdb.path=") + path(s("tsdb")),
                                               QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(promPort)});
    ASSERT_TRUE(prometheus.waitForStarted(20000)) << "prometheus (Debian's prometheus package) is required";
    const auto stop = qScopeGuard([&] {
        prometheus.terminate();
        if (!prometheus.waitForFinished(20000))
            prometheus.kill();
    });
    // Ready, and the agent scraped at least once.
    bool ready = false;
    for (int i = 0; i < 300 && !ready; ++i) {
        QThread::msleep(200);
        auto r = call(promPort, "GET", "/api/v1/query?query=up%7Bjob%3D%22shop%22%7D");
        ready = r && r->status == 200 && r->body.contains("\"value\":[") && r->body.contains(",\"1\"]");
    }
    ASSERT_TRUE(ready) << prometheus.readAll().constData();

    MonitorConfig c = config;
    c.source = s("prometheus");
    c.prometheusUrl = QStringLiteral("http://127.0.0.1:%1").arg(promPort);
    c.prometheusJob = s("shop");
    c.intervalMs = 1000;
    ASSERT_TRUE(MonitorRepository(project->db()).setConfig(c));
    MonitorPoller viaPrometheus(project->db(), *packages, target, c, {});
    ASSERT_TRUE(viaPrometheus.poll(QDateTime::currentMSecsSinceEpoch()));
    send(draw(1200, false, 41), 20); // 60 requests
    // Two scrapes after the traffic, so Prometheus has it.
    QThread::msleep(2600);
    Result<MonitorPoller::Outcome> o = viaPrometheus.poll(QDateTime::currentMSecsSinceEpoch());
    ASSERT_TRUE(o) << o.error().toStdString();
    ASSERT_TRUE(o->ok) << o->error.toStdString();
    const MonitorView v = view();
    EXPECT_EQ(v.totals(s("shop-model")).requests, 60);
    EXPECT_EQ(v.totals(s("shop-model")).rows, 1200);

    // Our quantile over the buckets Prometheus holds equals its own histogram_quantile.
    auto q = call(promPort, "GET",
                  "/api/v1/query?query=histogram_quantile(0.99%2C%20sum%20by%20(le)%20(mlwb_agent_request_duration_seconds_bucket%7Bmodel%3D%22shop-model%22%7D))");
    ASSERT_TRUE(q && q->status == 200);
    const QJsonArray result = q->json()[s("data")][s("result")].toArray();
    ASSERT_EQ(result.size(), 1) << q->body.constData();
    const double theirs = result[0][s("value")].toArray()[1].toString().toDouble();
    auto buckets = call(promPort, "GET", "/api/v1/query?query=sum%20by%20(le)%20(mlwb_agent_request_duration_seconds_bucket%7Bmodel%3D%22shop-model%22%7D)");
    ASSERT_TRUE(buckets && buckets->status == 200);
    std::map<double, double> byLe;
    for (const QJsonValue &r : buckets->json()[s("data")][s("result")].toArray()) {
        const QString le = r[s("metric")][s("le")].toString();
        byLe[le == s("+Inf") ? std::numeric_limits<double>::infinity() : le.toDouble()] = r[s("value")].toArray()[1].toString().toDouble();
    }
    std::vector<double> bounds, cumulative;
    for (const auto &[le, count] : byLe) {
        if (std::isfinite(le))
            bounds.push_back(le);
        cumulative.push_back(count);
    }
    EXPECT_NEAR(HistogramQuantile::quantile(0.99, bounds, cumulative), theirs, 1e-12 * std::max(1.0, theirs));
}
