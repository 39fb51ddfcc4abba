// SPDX-License-Identifier: MIT
#include "monitor/alert_evaluator.h"
#include "monitor/histogram_quantile.h"
#include "monitor/metric_snapshot.h"
#include "monitor/monitor_view.h"
#include "monitor/prometheus_query.h"

#include <QCoreApplication>
#include <QUrl>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>

#include <cmath>
#include <limits>

using namespace mlwb;

namespace {

const double kInf = std::numeric_limits<double>::infinity();

MetricSnapshot snap(const char *text, qint64 t)
{
    Result<MetricSnapshot> s = MetricSnapshot::fromText(QByteArray(text), QStringLiteral("test"), t);
    EXPECT_TRUE(s) << (s ? "" : s.error().toStdString());
    return s ? *s : MetricSnapshot();
}

double change(const MetricSnapshot::Diff &d, const QString &name, const QString &labels)
{
    for (const MetricSnapshot::Change &c : d.changes) {
        if (c.key.name == name && c.key.labels == labels)
            return c.value;
    }
    ADD_FAILURE() << "no change for " << name.toStdString() << labels.toStdString();
    return std::nan("");
}

const char *kFirst = R"(# TYPE mlwb_agent_requests_total counter
mlwb_agent_requests_total{version="1.0.0",model="iris",status="200"} 10
# TYPE mlwb_agent_queue_depth gauge
mlwb_agent_queue_depth{model="iris"} 3
# TYPE mlwb_agent_start_time_seconds gauge
mlwb_agent_start_time_seconds 1000
# TYPE other_total counter
other_total 5
)";

} // namespace

TEST(MetricSnapshot, KeysAreTheNameAndTheLabelsSortedByName)
{
    const MetricSnapshot s = snap(kFirst, 0);
    const MetricSnapshot::Value *v =
        s.value({QStringLiteral("mlwb_agent_requests_total"), QStringLiteral("{model=\"iris\",status=\"200\",version=\"1.0.0\"}")});
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->value, 10);
    EXPECT_EQ(v->kind, MetricSnapshot::Kind::Delta);
    EXPECT_EQ(s.value({QStringLiteral("mlwb_agent_queue_depth"), QStringLiteral("{model=\"iris\"}")})->kind,
              MetricSnapshot::Kind::Gauge);
    EXPECT_EQ(s.value({QStringLiteral("other_total"), QString()}), nullptr) << "only the agent's families";
    EXPECT_EQ(s.startTime(), 1000);
}

TEST(MetricSnapshot, DiffGivesIncreasesAndGaugeLevels)
{
    const MetricSnapshot a = snap(kFirst, 10'000);
    const MetricSnapshot b = snap(R"(# TYPE mlwb_agent_requests_total counter
mlwb_agent_requests_total{model="iris",status="200",version="1.0.0"} 25
mlwb_agent_requests_total{model="iris",status="400",version="1.0.0"} 2
# TYPE mlwb_agent_queue_depth gauge
mlwb_agent_queue_depth{model="iris"} 1
# TYPE mlwb_agent_start_time_seconds gauge
mlwb_agent_start_time_seconds 1000
)",
                                  25'000);
    const MetricSnapshot::Diff d = MetricSnapshot::diff(a, b);
    EXPECT_FALSE(d.reset);
    EXPECT_EQ(d.spanMs, 15'000);
    EXPECT_EQ(d.tMs, 25'000);
    const QString r = QStringLiteral("mlwb_agent_requests_total");
    EXPECT_EQ(change(d, r, QStringLiteral("{model=\"iris\",status=\"200\",version=\"1.0.0\"}")), 15);
    EXPECT_EQ(change(d, r, QStringLiteral("{model=\"iris\",status=\"400\",version=\"1.0.0\"}")), 2) << "new series count from 0";
    EXPECT_EQ(change(d, QStringLiteral("mlwb_agent_queue_depth"), QStringLiteral("{model=\"iris\"}")), 1);
}

TEST(MetricSnapshot, ARestartIsAResetNeverANegativeIncrease)
{
    const MetricSnapshot a = snap(kFirst, 10'000);
    // New start time: everything counted since the restart is the increase, even when higher.
    const MetricSnapshot b = snap(R"(# TYPE mlwb_agent_requests_total counter
mlwb_agent_requests_total{model="iris",status="200",version="1.0.0"} 12
# TYPE mlwb_agent_start_time_seconds gauge
mlwb_agent_start_time_seconds 2000
)",
                                  25'000);
    MetricSnapshot::Diff d = MetricSnapshot::diff(a, b);
    EXPECT_TRUE(d.reset);
    const QString key = QStringLiteral("{model=\"iris\",status=\"200\",version=\"1.0.0\"}");
    EXPECT_EQ(change(d, QStringLiteral("mlwb_agent_requests_total"), key), 12);

    // Same start time (restarted twice in a second, or none given) but a counter went down.
    const MetricSnapshot c = snap(R"(# TYPE mlwb_agent_requests_total counter
mlwb_agent_requests_total{model="iris",status="200",version="1.0.0"} 4
)",
                                  40'000);
    d = MetricSnapshot::diff(b, c);
    EXPECT_TRUE(d.reset);
    EXPECT_EQ(change(d, QStringLiteral("mlwb_agent_requests_total"), key), 4);
}

TEST(MetricSnapshot, MalformedTextIsAnErrorNamingTheLine)
{
    Result<MetricSnapshot> s = MetricSnapshot::fromText(QByteArray("# TYPE a counter\na{ 1\n"), QStringLiteral("agent x"), 0);
    ASSERT_FALSE(s);
    EXPECT_TRUE(s.error().contains(QStringLiteral("agent x:2"))) << s.error().toStdString();
}

TEST(HistogramQuantile, InterpolatesInsideTheBucketAsPrometheusDoes)
{
    const std::vector<double> bounds{0.1, 0.2, 0.4};
    const std::vector<double> cumulative{10, 20, 20, 20};
    EXPECT_DOUBLE_EQ(HistogramQuantile::quantile(0.5, bounds, cumulative), 0.1);
    EXPECT_DOUBLE_EQ(HistogramQuantile::quantile(0.75, bounds, cumulative), 0.15);
    EXPECT_DOUBLE_EQ(HistogramQuantile::quantile(0.25, bounds, cumulative), 0.05) << "from 0 in the first bucket";
    // Rank in +Inf: the highest finite bound.
    EXPECT_DOUBLE_EQ(HistogramQuantile::quantile(0.99, bounds, std::vector<double>{0, 0, 1, 100}), 0.4);
    EXPECT_TRUE(std::isnan(HistogramQuantile::quantile(0.5, bounds, std::vector<double>{0, 0, 0, 0})));
    EXPECT_TRUE(std::isnan(HistogramQuantile::quantile(0.5, bounds, std::vector<double>{1, 2})));
}

TEST(MonitorView, ParsesCanonicalLabelsBack)
{
    const MonitorView::Labels l = MonitorView::parseLabels(QStringLiteral("{a=\"x\",b=\"q\\\"uo,te\\\\\",c=\"\"}"));
    ASSERT_EQ(l.size(), 3);
    EXPECT_EQ(l[1].second, QStringLiteral("q\"uo,te\\"));
    EXPECT_EQ(l[2].second, QString());
    EXPECT_TRUE(MonitorView::parseLabels(QStringLiteral("{a=x}")).isEmpty());
    const QString canonical = MetricSnapshot::canonicalLabels({{QStringLiteral("z"), QStringLiteral("1")}, {QStringLiteral("a"), QStringLiteral("\"\n")}});
    const MonitorView::Labels back = MonitorView::parseLabels(canonical);
    ASSERT_EQ(back.size(), 2);
    EXPECT_EQ(back[0].first, QStringLiteral("a"));
    EXPECT_EQ(back[0].second, QStringLiteral("\"\n"));
}

TEST(MonitorView, RatesDivideByCoveredTimeAndGapsAreNaNNotZero)
{
    // 4 slots of 60 s; polls every 15 s in slots 0 and 1, none in slot 2 (unreachable), slot 3 idle.
    MonitorView view(0, 240'000, 4);
    QList<MonitorView::Point> ok, errors;
    for (qint64 t = 15'000; t <= 120'000; t += 15'000) {
        ok.append({t, 15'000, 30});   // 2 requests/s
        errors.append({t, 15'000, 3}); // 10 % errors
    }
    for (qint64 t = 195'000; t <= 240'000; t += 15'000)
        ok.append({t, 15'000, 0});
    view.addSeries(QStringLiteral("mlwb_agent_requests_total"), QStringLiteral("{model=\"iris\",status=\"200\",version=\"1\"}"),
                   MetricSnapshot::Kind::Delta, ok);
    view.addSeries(QStringLiteral("mlwb_agent_request_errors_total"), QStringLiteral("{model=\"iris\",status=\"500\",version=\"1\"}"),
                   MetricSnapshot::Kind::Delta, errors);
    const std::vector<double> rps = view.throughput(QStringLiteral("iris"));
    ASSERT_EQ(rps.size(), 4u);
    EXPECT_DOUBLE_EQ(rps[0], 2.0);
    EXPECT_DOUBLE_EQ(rps[1], 2.0);
    EXPECT_TRUE(std::isnan(rps[2])) << "a gap is not zero traffic";
    EXPECT_DOUBLE_EQ(rps[3], 0.0) << "covered time without requests is zero traffic";
    const std::vector<double> er = view.errorRate(QStringLiteral("iris"));
    EXPECT_DOUBLE_EQ(er[0], 0.1);
    EXPECT_TRUE(std::isnan(er[2]));
    EXPECT_TRUE(std::isnan(er[3])) << "no requests: no error rate";
    const MonitorView::Totals t = view.totals(QStringLiteral("iris"));
    EXPECT_DOUBLE_EQ(t.requests, 240);
    EXPECT_DOUBLE_EQ(t.coveredSeconds, 180);
    EXPECT_DOUBLE_EQ(t.errorRate, 24.0 / 240.0);
    EXPECT_EQ(view.models(), QStringList{QStringLiteral("iris")});
}

TEST(MonitorView, LatencyQuantilesFromSummedBuckets)
{
    MonitorView view(0, 60'000, 1);
    const auto bucket = [&](const char *le, double count) {
        view.addSeries(QStringLiteral("mlwb_agent_request_duration_seconds_bucket"),
                       MetricSnapshot::canonicalLabels({{QStringLiteral("model"), QStringLiteral("m")},
                                                        {QStringLiteral("version"), QStringLiteral("1")},
                                                        {QStringLiteral("le"), QString::fromLatin1(le)}}),
                       MetricSnapshot::Kind::Delta, {{30'000, 30'000, count / 2}, {60'000, 30'000, count / 2}});
    };
    bucket("0.001", 50);
    bucket("0.002", 100);
    bucket("+Inf", 100);
    const MonitorView::Totals t = view.totals(QStringLiteral("m"));
    EXPECT_DOUBLE_EQ(t.p50Ms, 1.0);
    EXPECT_DOUBLE_EQ(t.p99Ms, 1.98);
    EXPECT_DOUBLE_EQ(view.latencyMs(0.5, QStringLiteral("m"))[0], 1.0);
}

TEST(MonitorView, FeatureDistributionFromTheBaselineBins)
{
    MonitorView view(0, 60'000, 2);
    const auto series = [&](const char *name, QList<std::pair<QString, QString>> extra, double value) {
        extra.append({QStringLiteral("model"), QStringLiteral("m")});
        extra.append({QStringLiteral("version"), QStringLiteral("1")});
        view.addSeries(QString::fromLatin1(name), MetricSnapshot::canonicalLabels(extra), MetricSnapshot::Kind::Delta,
                       {{60'000, 60'000, value}});
    };
    const QString f = QStringLiteral("feature");
    series("mlwb_agent_input_value_bucket", {{f, QStringLiteral("x")}, {QStringLiteral("le"), QStringLiteral("0.99999999999999989")}}, 1);
    series("mlwb_agent_input_value_bucket", {{f, QStringLiteral("x")}, {QStringLiteral("le"), QStringLiteral("1.9999999999999998")}}, 4);
    series("mlwb_agent_input_value_bucket", {{f, QStringLiteral("x")}, {QStringLiteral("le"), QStringLiteral("3")}}, 10);
    series("mlwb_agent_input_value_bucket", {{f, QStringLiteral("x")}, {QStringLiteral("le"), QStringLiteral("+Inf")}}, 12);
    series("mlwb_agent_input_missing_total", {{f, QStringLiteral("x")}}, 2);
    series("mlwb_agent_input_category_total", {{f, QStringLiteral("c")}, {QStringLiteral("category"), QStringLiteral("red")}}, 7);
    const MonitorView::Distribution x = view.feature(QStringLiteral("m"), QStringLiteral("1"), QStringLiteral("x"));
    ASSERT_TRUE(x.numeric());
    EXPECT_EQ(x.below, 1);
    ASSERT_EQ(x.bins.size(), 2u);
    EXPECT_EQ(x.bins[0], 3);
    EXPECT_EQ(x.bins[1], 6);
    EXPECT_EQ(x.above, 2);
    EXPECT_EQ(x.missing, 2);
    EXPECT_EQ(x.total(), 14);
    const MonitorView::Distribution c = view.feature(QStringLiteral("m"), QStringLiteral("1"), QStringLiteral("c"));
    EXPECT_FALSE(c.numeric());
    EXPECT_EQ(c.categories.value(QStringLiteral("red")), 7);
    EXPECT_EQ(view.features(QStringLiteral("m"), QStringLiteral("1")), (QStringList{QStringLiteral("x"), QStringLiteral("c")}));
}

TEST(PrometheusQuery, StepKeepsEverySeriesUnderElevenThousandPoints)
{
    EXPECT_EQ(PrometheusQuery::stepFor(0, 3600'000, 15'000), 15'000);
    const qint64 week = 7LL * 24 * 3600'000;
    const qint64 step = PrometheusQuery::stepFor(0, week, 15'000);
    EXPECT_LE(week / step + 1, PrometheusQuery::kMaxPointsPerSeries);
    EXPECT_EQ(step % 1000, 0);
    EXPECT_GE(PrometheusQuery::stepFor(0, 1000, 1), 1000);
}

// A process without a QCoreApplication (this test binary has none, as a library user might not)
// cannot run Qt's network stack: the query says so instead of spinning in an event loop that
// never ends (it once spun a test for 30 minutes).
TEST(PrometheusQuery, WithoutAnEventLoopItFailsInsteadOfSpinning)
{
    ASSERT_EQ(QCoreApplication::instance(), nullptr) << "the case tested is a process without a QCoreApplication";
    auto answer = std::async(std::launch::async, [] {
        return PrometheusQuery(QUrl(QStringLiteral("http://127.0.0.1:9")), 2000).snapshots(QStringLiteral("shop"), 0, 60'000, 15'000);
    });
    if (answer.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
        std::fprintf(stderr, "PrometheusQuery::snapshots still running after 30 s without an event loop\n");
        std::_Exit(1); // the spinning thread cannot be joined
    }
    const Result<QList<MetricSnapshot>> r = answer.get();
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().contains(QStringLiteral("QCoreApplication"))) << r.error().toStdString();
}

// The selector's regex survives the trip: Prometheus (Go's url.ParseQuery) reads a bare '+' as a
// space, so `mlwb_agent_.+` sent unencoded matched nothing and every poll came back empty.
TEST(PrometheusQuery, TheRangeUrlEncodesEveryParameterPlusIncluded)
{
    const PrometheusQuery q(QUrl(QStringLiteral("http://127.0.0.1:9090/prom/")));
    const QUrl url = q.rangeUrl(QStringLiteral("{__name__=~\"mlwb_agent_.+\",job=\"a&b\"}"), 1'000'500, 1'060'000, 15'000);
    const QString text = url.toString(QUrl::FullyEncoded);
    EXPECT_TRUE(text.startsWith(QStringLiteral("http://127.0.0.1:9090/prom/api/v1/query_range?"))) << text.toStdString();
    EXPECT_FALSE(text.contains(QLatin1Char('+'))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("mlwb_agent_.%2B"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("a%26b"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("&start=1000.500&end=1060.000&step=15.000"))) << text.toStdString();
    // What a server decodes is the query as written.
    QString query;
    for (const QString &pair : url.query(QUrl::FullyEncoded).split(QLatin1Char('&')))
        if (pair.startsWith(QStringLiteral("query=")))
            query = QUrl::fromPercentEncoding(pair.mid(6).toLatin1());
    EXPECT_EQ(query, QStringLiteral("{__name__=~\"mlwb_agent_.+\",job=\"a&b\"}"));
}

TEST(PrometheusQuery, ReadsAMatrixAndNamesWhatIsWrong)
{
    Result<QList<PrometheusQuery::Series>> m = PrometheusQuery::parseMatrix(
        R"({"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"mlwb_agent_requests_total","job":"agent","model":"m"},
             "values":[[1700000000,"1"],[1700000015.5,"NaN"],[1700000030,"+Inf"]]}]}})",
        QStringLiteral("p"));
    ASSERT_TRUE(m) << m.error().toStdString();
    ASSERT_EQ(m->size(), 1);
    ASSERT_EQ((*m)[0].points.size(), 3u);
    EXPECT_EQ((*m)[0].points[1].first, 1700000015500);
    EXPECT_TRUE(std::isnan((*m)[0].points[1].second));
    EXPECT_EQ((*m)[0].points[2].second, kInf);

    Result<QList<PrometheusQuery::Series>> e =
        PrometheusQuery::parseMatrix(R"({"status":"error","errorType":"bad_data","error":"exceeded maximum resolution"})", QStringLiteral("p"));
    ASSERT_FALSE(e);
    EXPECT_TRUE(e.error().contains(QStringLiteral("exceeded maximum resolution"))) << e.error().toStdString();
    e = PrometheusQuery::parseMatrix(R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"x"]]}]}})",
                                     QStringLiteral("p"));
    ASSERT_FALSE(e);
    EXPECT_TRUE(e.error().contains(QStringLiteral("result 0, value 0"))) << e.error().toStdString();
    EXPECT_FALSE(PrometheusQuery::parseMatrix("not json", QStringLiteral("p")));
}

TEST(MetricSnapshot, StoredBytesReadBackExactly)
{
    MetricSnapshot s(1234567);
    s.set({QStringLiteral("mlwb_agent_requests_total"), QStringLiteral("{a=\"x\ty\"}")}, MetricSnapshot::Kind::Delta, 0.1 + 0.2);
    s.set({QStringLiteral("g"), QString()}, MetricSnapshot::Kind::Gauge, std::nan(""));
    s.set({QStringLiteral("h"), QString()}, MetricSnapshot::Kind::Gauge, -kInf);
    Result<MetricSnapshot> back = MetricSnapshot::fromBytes(s.toBytes());
    ASSERT_TRUE(back) << back.error().toStdString();
    EXPECT_EQ(back->tMs(), 1234567);
    ASSERT_EQ(back->size(), 3);
    const MetricSnapshot::Value *v = back->value({QStringLiteral("mlwb_agent_requests_total"), QStringLiteral("{a=\"x\ty\"}")});
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->value, 0.1 + 0.2);
    EXPECT_EQ(v->kind, MetricSnapshot::Kind::Delta);
    EXPECT_TRUE(std::isnan(back->value({QStringLiteral("g"), QString()})->value));
    EXPECT_EQ(back->value({QStringLiteral("h"), QString()})->value, -kInf);
    EXPECT_FALSE(MetricSnapshot::fromBytes("t\t1\nD\tname\t1\n"));
    EXPECT_FALSE(MetricSnapshot::fromBytes("garbage"));
    EXPECT_FALSE(MetricSnapshot::fromBytes("t\t1\nX\tn\t\t1\n"));
}

TEST(MetricSnapshot, AHistogramSumGoingDownIsNoRestart)
{
    const MetricSnapshot a = snap("# TYPE mlwb_agent_input_value histogram\nmlwb_agent_input_value_sum{feature=\"x\"} 5\nmlwb_agent_input_value_count{feature=\"x\"} 2\n", 0);
    const MetricSnapshot b = snap("# TYPE mlwb_agent_input_value histogram\nmlwb_agent_input_value_sum{feature=\"x\"} 1\nmlwb_agent_input_value_count{feature=\"x\"} 3\n", 1000);
    const MetricSnapshot::Diff d = MetricSnapshot::diff(a, b);
    EXPECT_FALSE(d.reset);
    EXPECT_EQ(change(d, QStringLiteral("mlwb_agent_input_value_sum"), QStringLiteral("{feature=\"x\"}")), -4);
    EXPECT_EQ(change(d, QStringLiteral("mlwb_agent_input_value_count"), QStringLiteral("{feature=\"x\"}")), 1);
}

// A rule counting minutes (no traffic, unreachable) reads a window longer than its threshold:
// with the 5-minute window every other rule reads, the figure could never pass the default
// 10 minutes of no traffic, and the rule could never fire.
TEST(AlertEvaluator, MinuteRulesLookBackFarEnoughToReachTheirThreshold)
{
    for (const char *metric : {"no_traffic_minutes", "unreachable_minutes"}) {
        for (const double minutes : {5.0, 10.0, 60.0, 1440.0}) {
            AlertRuleRecord r;
            r.metric = QLatin1String(metric);
            r.op = QStringLiteral(">");
            r.threshold = minutes;
            EXPECT_GT(AlertEvaluator::windowMs(r), qint64(minutes * 60'000)) << metric << " > " << minutes;
        }
        AlertRuleRecord odd;
        odd.metric = QLatin1String(metric);
        odd.threshold = std::numeric_limits<double>::quiet_NaN();
        EXPECT_EQ(AlertEvaluator::windowMs(odd), 5 * 60'000) << "a threshold that is not a number changes nothing";
    }
    AlertRuleRecord errors;
    errors.metric = QStringLiteral("error_rate");
    errors.threshold = 1e9; // a rate's threshold is not minutes
    errors.forMs = 5 * 60'000;
    EXPECT_EQ(AlertEvaluator::windowMs(errors), 5 * 60'000);
}
