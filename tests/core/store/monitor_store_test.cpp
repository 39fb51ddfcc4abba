// SPDX-License-Identifier: MIT
// Schema 8: a target's monitor settings, series, points, polls, alert rules and alerts; the
// retention policy's folding (sums and span-weighted means equal the raw data's) and a simulated
// week of polls whose file stops growing once the retention windows are full.

#include "store/alert_repository.h"
#include "store/monitor_repository.h"
#include "store/monitor_sample_repository.h"
#include "store/target_repository.h"
#include "store/transaction.h"

#include "store_fixture.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace mlwb;
using namespace mlwb::test;

namespace {

class MonitorStoreTest : public TempDirTest {
protected:
    void SetUp() override
    {
        TempDirTest::SetUp();
        auto p = ProjectFile::create(path(QStringLiteral("p.mlwb")));
        ASSERT_TRUE(p) << p.error().toStdString();
        file = std::move(*p);
        TargetRecord t;
        t.name = QStringLiteral("prod");
        t.url = QStringLiteral("http://127.0.0.1:1");
        t.createdBy = QStringLiteral("test@host");
        auto id = TargetRepository(file->db()).add(t);
        ASSERT_TRUE(id) << id.error().toStdString();
        target = *id;
    }
    qint64 fileSize()
    {
        EXPECT_TRUE(file->db().exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")));
        return QFileInfo(file->path()).size();
    }
    std::unique_ptr<ProjectFile> file;
    qint64 target = 0;
};

} // namespace

TEST_F(MonitorStoreTest, ConfigHasDefaultsAndIsChecked)
{
    MonitorRepository m(file->db());
    auto c = m.config(target);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->source, QStringLiteral("agent"));
    EXPECT_EQ(c->intervalMs, 15'000);
    EXPECT_EQ(c->rawRetentionMs, 24LL * 3600'000);
    EXPECT_EQ(m.config(target + 99).kind(), ErrorKind::NotFound);
    MonitorConfig bad = *c;
    bad.source = QStringLiteral("prometheus");
    bad.prometheusUrl = QStringLiteral("not a url");
    Status s = m.setConfig(bad);
    ASSERT_FALSE(s);
    EXPECT_TRUE(s.error().contains(QStringLiteral("not a url"))) << s.error().toStdString();
    bad = *c;
    bad.minuteRetentionMs = bad.rawRetentionMs - 1;
    EXPECT_FALSE(m.setConfig(bad));
    bad = *c;
    bad.intervalMs = 10;
    EXPECT_FALSE(m.setConfig(bad));
    MonitorConfig good = *c;
    good.source = QStringLiteral("prometheus");
    good.prometheusUrl = QStringLiteral("http://prom:9090");
    good.prometheusJob = QStringLiteral("agents");
    ASSERT_TRUE(m.setConfig(good));
    EXPECT_EQ(m.config(target)->prometheusJob, QStringLiteral("agents"));
}

TEST_F(MonitorStoreTest, PointsPollsAndStateInOneTransactionWithTheStateChecked)
{
    MonitorSampleRepository samples(file->db());
    auto a = samples.seriesId(target, QStringLiteral("mlwb_agent_requests_total"), QStringLiteral("{model=\"m\"}"), MonitorSeriesKind::Delta);
    ASSERT_TRUE(a);
    EXPECT_EQ(*samples.seriesId(target, QStringLiteral("mlwb_agent_requests_total"), QStringLiteral("{model=\"m\"}"), MonitorSeriesKind::Delta), *a);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    ScrapeRecord ok{target, 1000, true, false, {}};
    ASSERT_TRUE(samples.append(target, 1000, {}, ok, "snap1", 0));
    ok.tMs = 2000;
    ok.reset = true;
    ASSERT_TRUE(samples.append(target, 2000, {{*a, 1000, 5}}, ok, "snap2", 1000));
    // Counted from a snapshot that is no longer the stored one: nothing written.
    ok.tMs = 3000;
    ok.reset = false;
    Status stale = samples.append(target, 3000, {{*a, 2000, nan}}, ok, "snap3", 1000);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.kind(), ErrorKind::Conflict);
    ASSERT_TRUE(samples.append(target, 3000, {{*a, 1000, nan}}, ok, "snap3", 2000));
    ASSERT_TRUE(samples.appendScrape({target, 4000, false, false, QStringLiteral("connection refused")}));
    auto points = samples.read(*a, 0, 10'000);
    ASSERT_TRUE(points);
    ASSERT_EQ(points->size(), 2);
    EXPECT_EQ((*points)[0].value, 5);
    EXPECT_TRUE(std::isnan((*points)[1].value)) << "NaN comes back as NaN, not 0";
    auto scrapes = samples.scrapes(target, 0, 10'000);
    ASSERT_TRUE(scrapes);
    ASSERT_EQ(scrapes->size(), 4);
    EXPECT_TRUE((*scrapes)[1].reset);
    EXPECT_FALSE((*scrapes)[3].ok);
    EXPECT_EQ((*scrapes)[3].error, QStringLiteral("connection refused"));
    auto state = samples.state(target);
    ASSERT_TRUE(state && *state);
    EXPECT_EQ((*state)->first, 3000);
    EXPECT_EQ((*state)->second, QByteArray("snap3"));
}

TEST_F(MonitorStoreTest, FoldingKeepsSumsAndSpanWeightedMeans)
{
    MonitorRepository m(file->db());
    MonitorConfig c = *m.config(target);
    c.intervalMs = 1000;
    c.rawRetentionMs = 3600'000;          // 1 h of raw points
    c.minuteRetentionMs = 6 * 3600'000;   // 6 h of minutes
    c.hourRetentionMs = 48 * 3600'000;    // 2 days of hours
    ASSERT_TRUE(m.setConfig(c));
    MonitorSampleRepository samples(file->db());
    const qint64 d = *samples.seriesId(target, QStringLiteral("d"), QString(), MonitorSeriesKind::Delta);
    const qint64 g = *samples.seriesId(target, QStringLiteral("g"), QString(), MonitorSeriesKind::Gauge);
    // 3 hours of 15 s points, from t0 (a whole hour).
    const qint64 t0 = 100 * 3600'000LL;
    double deltaSum = 0, gaugeWeighted = 0, gaugeSpan = 0;
    for (qint64 t = t0 + 15'000; t <= t0 + 3 * 3600'000; t += 15'000) {
        const double dv = double((t / 15'000) % 7);
        const double gv = double((t / 15'000) % 5) + 0.5;
        const qint64 span = (t / 15'000) % 2 ? 15'000 : 10'000; // uneven spans weigh the mean
        ASSERT_TRUE(samples.append(target, t, {{d, span, dv}, {g, span, gv}}, {target, t, true, false, {}}));
        if (t <= t0 + 3600'000) { // the first hour: folded below
            deltaSum += dv;
            gaugeWeighted += gv * double(span);
            gaugeSpan += double(span);
        }
    }
    // Now 2 h later than the last point: the first hour is older than raw retention.
    const qint64 now = t0 + 3 * 3600'000 + 3600'000;
    ASSERT_TRUE(samples.compact(target, now));
    auto folded = samples.read(d, t0 + 1, t0 + 3600'000);
    ASSERT_TRUE(folded);
    ASSERT_EQ(folded->size(), 60) << "one point per minute";
    double sum = 0;
    qint64 spans = 0;
    for (const MonitorPoint &p : *folded) {
        EXPECT_EQ(p.tMs % 60'000, 0);
        sum += p.value;
        spans += p.spanMs;
    }
    EXPECT_DOUBLE_EQ(sum, deltaSum);
    EXPECT_EQ(double(spans), gaugeSpan);
    auto gauges = samples.read(g, t0 + 1, t0 + 3600'000);
    ASSERT_TRUE(gauges);
    double weighted = 0, span = 0;
    for (const MonitorPoint &p : *gauges) {
        weighted += p.value * double(p.spanMs);
        span += double(p.spanMs);
    }
    EXPECT_NEAR(weighted / span, gaugeWeighted / gaugeSpan, 1e-9);
    // Folding again changes nothing.
    const auto before = *samples.read(d, 0, now);
    ASSERT_TRUE(samples.compact(target, now));
    const auto after = *samples.read(d, 0, now);
    ASSERT_EQ(before.size(), after.size());
    for (qsizetype i = 0; i < before.size(); ++i)
        EXPECT_EQ(before[i].value, after[i].value);
    EXPECT_EQ(samples.read(d, t0 + 2 * 3600'000 + 1, t0 + 3 * 3600'000)->size(), 60) << "older than an hour: minutes";
    // Four hours on, the first two hours are older than the 6 h of minutes: one point each.
    ASSERT_TRUE(samples.compact(target, now + 4 * 3600'000));
    auto hours = samples.read(d, t0 + 1, t0 + 2 * 3600'000);
    ASSERT_TRUE(hours);
    ASSERT_EQ(hours->size(), 2);
    EXPECT_EQ((*hours)[0].tMs, t0 + 3600'000);
    EXPECT_DOUBLE_EQ((*hours)[0].value, deltaSum);
    EXPECT_EQ(samples.read(d, t0 + 2 * 3600'000 + 1, t0 + 3 * 3600'000)->size(), 60) << "still minutes";
    // Ok polls older than raw retention are gone, their points kept.
    EXPECT_EQ(samples.scrapes(target, 0, t0 + 3600'000)->size(), 0);
}

TEST_F(MonitorStoreTest, ASimulatedWeekStaysBoundedOnceTheRetentionWindowsAreFull)
{
    MonitorRepository m(file->db());
    MonitorConfig c = *m.config(target);
    c.intervalMs = 60'000;
    c.rawRetentionMs = 3600'000;        // 1 h raw
    c.minuteRetentionMs = 6 * 3600'000; // 6 h of minutes
    c.hourRetentionMs = 24 * 3600'000;  // 1 day of hours
    ASSERT_TRUE(m.setConfig(c));
    // What is measured is the size, not durability: no fsync per simulated poll.
    ASSERT_TRUE(file->db().exec(QStringLiteral("PRAGMA synchronous = OFF")));
    MonitorSampleRepository samples(file->db());
    std::vector<qint64> ids;
    for (int f = 0; f < 50; ++f)
        for (int b = 0; b < 4; ++b)
            ids.push_back(*samples.seriesId(target, QStringLiteral("mlwb_agent_input_value_bucket"),
                                            QStringLiteral("{feature=\"f%1\",le=\"%2\"}").arg(f).arg(b), MonitorSeriesKind::Delta));
    const qint64 t0 = 1000 * 3600'000LL;
    QElapsedTimer clock;
    clock.start();
    std::map<int, qint64> sizeByDay;
    std::vector<SeriesPoint> points(ids.size());
    // A week of polls a minute apart, compacted every simulated hour as the monitor does.
    for (qint64 t = t0 + 60'000, i = 1; t <= t0 + 7 * 24 * 3600'000LL; t += 60'000, ++i) {
        for (std::size_t k = 0; k < ids.size(); ++k)
            points[k] = {ids[k], 60'000, double((i + qint64(k)) % 11)};
        ASSERT_TRUE(samples.append(target, t, points, {target, t, true, false, {}}));
        if ((t - t0) % 3600'000 == 0)
            ASSERT_TRUE(samples.compact(target, t));
        if ((t - t0) % (24 * 3600'000LL) == 0)
            sizeByDay[int((t - t0) / (24 * 3600'000LL))] = fileSize();
    }
    const double seconds = clock.elapsed() / 1000.0;
    const qint64 points7 = *samples.pointCount(target);
    std::printf("simulated week: 10080 polls x 200 series in %.1f s; file %lld bytes on day 2, %lld on day 7, %lld points kept\n",
                seconds, (long long)sizeByDay[2], (long long)sizeByDay[7], (long long)points7);
    // What the windows hold: 60 raw + 300 minute + 18 hour points per series, give or take a bucket.
    EXPECT_LE(points7, qint64(ids.size()) * (60 + 300 + 18 + 4));
    EXPECT_GE(points7, qint64(ids.size()) * (60 + 300 + 16));
    // Past the 1-day hour window the file stops growing (free pages are reused).
    EXPECT_LE(sizeByDay[7], sizeByDay[2] * 11 / 10) << sizeByDay[2] << " then " << sizeByDay[7];
}

TEST_F(MonitorStoreTest, AlertRulesAreCheckedAndAlertsFireAndClear)
{
    AlertRepository alerts(file->db());
    AlertRuleRecord r;
    r.targetId = target;
    r.model = QStringLiteral("iris");
    r.metric = QStringLiteral("drift");
    r.op = QStringLiteral(">");
    r.threshold = 0.1;
    auto bad = alerts.addRule(r);
    ASSERT_FALSE(bad);
    EXPECT_TRUE(bad.error().contains(QStringLiteral("feature"))) << bad.error().toStdString();
    r.feature = QStringLiteral("petal_width");
    r.statistic = QStringLiteral("wasserstein");
    auto id = alerts.addRule(r);
    ASSERT_TRUE(id) << id.error().toStdString();
    AlertRuleRecord other = r;
    other.metric = QStringLiteral("latency");
    EXPECT_TRUE(alerts.addRule(other).error().contains(QStringLiteral("latency")));
    other = r;
    other.threshold = std::numeric_limits<double>::infinity();
    EXPECT_FALSE(alerts.addRule(other));
    other = r;
    other.op = QStringLiteral(">=");
    EXPECT_FALSE(alerts.addRule(other));

    const QDateTime at = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
    auto a = alerts.fire(*id, QStringLiteral("iris"), QStringLiteral("1.0.0"), at, 0.31, QStringLiteral("petal_width drift"));
    ASSERT_TRUE(a);
    auto active = alerts.active(target);
    ASSERT_TRUE(active);
    ASSERT_EQ(active->size(), 1);
    EXPECT_EQ((*active)[0].firedAt, at);
    EXPECT_EQ((*active)[0].value, 0.31);
    ASSERT_TRUE(alerts.clear(*a, at.addSecs(60)));
    EXPECT_EQ(alerts.clear(*a, at.addSecs(90)).kind(), ErrorKind::NotFound) << "cleared once";
    EXPECT_TRUE(alerts.active(0)->isEmpty());
    auto history = alerts.history(target, 10);
    ASSERT_EQ(history->size(), 1);
    EXPECT_EQ((*history)[0].clearedAt, at.addSecs(60));

    r.id = *id;
    r.threshold = 0.2;
    r.origin = QStringLiteral("user");
    ASSERT_TRUE(alerts.updateRule(r));
    EXPECT_EQ(alerts.rule(*id)->threshold, 0.2);
    // Removing the target takes its rules and alerts.
    ASSERT_TRUE(TargetRepository(file->db()).remove(target));
    EXPECT_TRUE(alerts.rules(0)->isEmpty());
    EXPECT_TRUE(alerts.history(0, 10)->isEmpty());
}

TEST_F(MonitorStoreTest, RemovingATargetTakesItsSeriesAndPoints)
{
    MonitorSampleRepository samples(file->db());
    const qint64 s = *samples.seriesId(target, QStringLiteral("x"), QString(), MonitorSeriesKind::Gauge);
    ASSERT_TRUE(samples.append(target, 1000, {{s, 1000, 1}}, {target, 1000, true, false, {}}, "state"));
    ASSERT_TRUE(TargetRepository(file->db()).remove(target));
    EXPECT_TRUE(samples.read(s, 0, 10'000)->isEmpty());
    EXPECT_TRUE(samples.series(target)->isEmpty());
    EXPECT_FALSE(*samples.state(target));
}
