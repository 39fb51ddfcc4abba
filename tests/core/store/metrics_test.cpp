// SPDX-License-Identifier: MIT
#include "store/metric_logger.h"
#include "store/metric_reader.h"
#include "store_fixture.h"
#include "temp_project_test.h"

#include <cmath>
#include <limits>


using namespace mlwb;
using namespace mlwb::test;

class MetricsTest : public TempProjectTest {
protected:
    void SetUp() override
    {
        TempProjectTest::SetUp();
        if (HasFatalFailure())
            return;
        m_run = addRun(*m_project);
    }
    qint64 m_run = 0;
};

TEST_F(MetricsTest, LogIsBufferedAndReadsBackInStepOrder)
{
    auto logger = MetricLogger::open(m_project->path(), {60000, 1000000});
    ASSERT_TRUE(logger.ok());
    const auto loss = (*logger)->key(QStringLiteral("loss"));
    // Logged out of order: reads come back sorted by step.
    for (int i = 999; i >= 0; --i)
        (*logger)->log(m_run, loss, i, i * 2.0, 100.0 + i);
    MetricReader reader(m_project->db());
    EXPECT_TRUE(reader.series(m_run, QStringLiteral("loss"))->empty())
        << "nothing committed before a flush with a long interval";
    ASSERT_TRUE((*logger)->flush().ok());
    EXPECT_EQ((*logger)->committedPoints(), 1000);
    auto s = reader.series(m_run, QStringLiteral("loss"));
    ASSERT_TRUE(s.ok());
    ASSERT_EQ(s->size(), 1000u);
    for (int i = 0; i < 1000; ++i) {
        EXPECT_EQ((*s)[i].step, i);
        EXPECT_DOUBLE_EQ((*s)[i].value, i * 2.0);
        EXPECT_DOUBLE_EQ((*s)[i].wall, 100.0 + i);
    }
    auto window = reader.series(m_run, QStringLiteral("loss"), 100, 199);
    ASSERT_EQ(window->size(), 100u);
    EXPECT_EQ(window->front().step, 100);
    EXPECT_EQ(window->back().step, 199);
}

TEST_F(MetricsTest, LatestValuesAndKeys)
{
    const qint64 other = addRun(*m_project);
    {
        auto logger = MetricLogger::open(m_project->path());
        for (int i = 0; i < 50; ++i) {
            (*logger)->log(m_run, QStringLiteral("loss"), i, 1.0 / (i + 1));
            (*logger)->log(m_run, QStringLiteral("lr"), i, 0.1);
            (*logger)->log(other, QStringLiteral("loss"), i, 2.0 * i);
        }
        ASSERT_TRUE((*logger)->flush().ok());
        // A late, older step does not replace the latest value.
        (*logger)->log(other, QStringLiteral("loss"), 3, -1.0);
    }
    MetricReader reader(m_project->db());
    EXPECT_EQ(*reader.keys(m_run), (QStringList{QStringLiteral("loss"), QStringLiteral("lr")}));
    auto latest = reader.latest();
    ASSERT_TRUE(latest.ok());
    ASSERT_EQ(latest->size(), 3);
    for (const auto &l : *latest) {
        EXPECT_EQ(l.step, 49);
        if (l.runId == other)
            EXPECT_DOUBLE_EQ(l.value, 98.0);
    }
    EXPECT_EQ(reader.latest({other})->size(), 1);
    EXPECT_DOUBLE_EQ((*reader.series(other, QStringLiteral("loss"), 3, 3))[0].value, -1.0);
}

TEST_F(MetricsTest, BucketsKeepEverySpike)
{
    {
        auto logger = MetricLogger::open(m_project->path());
        for (int i = 0; i < 100000; ++i) {
            double v = std::sin(i * 0.001);
            if (i == 12345)
                v = 1000.0; // a single spike
            if (i == 67890)
                v = -1000.0;
            (*logger)->log(m_run, QStringLiteral("loss"), i, v);
        }
    }
    MetricReader reader(m_project->db());
    auto b = reader.buckets(m_run, QStringLiteral("loss"), 500);
    ASSERT_TRUE(b.ok()) << qPrintable(b.error());
    ASSERT_EQ(b->size(), 500u);
    double hi = -1e9, lo = 1e9;
    qint64 total = 0;
    for (const auto &bucket : *b) {
        hi = std::max(hi, bucket.max);
        lo = std::min(lo, bucket.min);
        total += bucket.count;
        EXPECT_LE(bucket.firstStep, bucket.lastStep);
    }
    EXPECT_EQ(hi, 1000.0);
    EXPECT_EQ(lo, -1000.0);
    EXPECT_EQ(total, 100000);
    auto window = reader.buckets(m_run, QStringLiteral("loss"), 10, 12000, 12999);
    ASSERT_EQ(window->size(), 10u);
    EXPECT_EQ(window->front().firstStep, 12000);
    EXPECT_EQ(window->back().lastStep, 12999);
    EXPECT_FALSE(reader.buckets(m_run, QStringLiteral("loss"), 0).ok());
    EXPECT_TRUE(reader.buckets(m_run, QStringLiteral("nope"), 10)->empty());
}

// Without timing: a flush interval of an hour means the writer commits only when a batch is full
// or on flush(), so what is queued and what is committed is known at every point.
TEST_F(MetricsTest, LoggingQueuesAndCommitsInBatches)
{
    auto logger = MetricLogger::open(m_project->path(), {3'600'000, 20000});
    ASSERT_TRUE(logger.ok());
    const auto key = (*logger)->key(QStringLiteral("loss"));
    for (int i = 0; i < 19999; ++i)
        (*logger)->log(m_run, key, i, i, 0.0);
    // log() returned with every point queued, none written by the caller.
    EXPECT_EQ((*logger)->committedPoints(), 0);
    EXPECT_EQ((*logger)->committedBatches(), 0);
    EXPECT_EQ(m_project->counts()->value(u"metric_points"), 0);
    ASSERT_TRUE((*logger)->flush().ok());
    EXPECT_EQ((*logger)->committedPoints(), 19999);
    EXPECT_EQ((*logger)->committedBatches(), 1);

    // A burst: at most 20000 points per transaction, however far the writer fell behind.
    for (int i = 19999; i < 219999; ++i)
        (*logger)->log(m_run, key, i, i, 0.0);
    ASSERT_TRUE((*logger)->flush().ok());
    EXPECT_GE((*logger)->committedBatches(), 1 + 10);
    EXPECT_EQ((*logger)->committedPoints(), 219999);
    EXPECT_EQ(m_project->counts()->value(u"metric_points"), 219999);
}

TEST_F(MetricsTest, ChartBucketsFromTheSummaryMatchTheRawPoints)
{
    {
        auto logger = MetricLogger::open(m_project->path(), {50, 7000});
        const auto loss = (*logger)->key(QStringLiteral("loss"));
        for (int i = 0; i < 300000; ++i) {
            double v = std::cos(i * 0.0003);
            if (i == 123457)
                v = 50.0;
            if (i == 250001)
                v = -50.0;
            (*logger)->log(m_run, loss, i, v, 1000.0 + i);
        }
        // A resumed run logging a step again replaces it.
        ASSERT_TRUE((*logger)->flush().ok());
        (*logger)->log(m_run, loss, 299999, 7.0, 999999.0);
    }
    MetricReader reader(m_project->db());
    auto fast = reader.chartBuckets(m_run, QStringLiteral("loss"), 800);
    auto exact = reader.buckets(m_run, QStringLiteral("loss"), 800);
    ASSERT_TRUE(fast.ok()) << qPrintable(fast.error());
    ASSERT_TRUE(exact.ok());
    EXPECT_LE(fast->size(), 800u);
    EXPECT_GT(fast->size(), 700u);
    double fmin = 1e9, fmax = -1e9;
    for (const auto &b : *fast) {
        fmin = std::min(fmin, b.min);
        fmax = std::max(fmax, b.max);
        EXPECT_LE(b.firstWall, b.lastWall);
    }
    EXPECT_EQ(fmax, 50.0);
    EXPECT_EQ(fmin, -50.0);
    EXPECT_EQ(fast->front().firstStep, 0);
    EXPECT_EQ(fast->back().lastStep, 299999);
    EXPECT_DOUBLE_EQ(fast->back().last, 7.0);
    EXPECT_DOUBLE_EQ(fast->back().lastWall, 999999.0);
    // Each summary bucket's extremes are those of the raw points it covers.
    for (const auto &b : *fast) {
        auto raw = reader.buckets(m_run, QStringLiteral("loss"), 1, b.firstStep, b.lastStep);
        ASSERT_EQ(raw->size(), 1u);
        EXPECT_DOUBLE_EQ(raw->front().min, b.min);
        EXPECT_DOUBLE_EQ(raw->front().max, b.max);
    }
    // A short window falls back to the exact points.
    auto zoom = reader.chartBuckets(m_run, QStringLiteral("loss"), 100, 1000, 1099);
    ASSERT_EQ(zoom->size(), 100u);
    EXPECT_EQ(zoom->front().firstStep, 1000);
    EXPECT_EQ(zoom->front().count, 1);
}

// A diverged run: SQLite stores a NaN as NULL, which used to read back as 0.0 everywhere, so
// the run drew and reported loss 0.
TEST_F(MetricsTest, NonFiniteValuesReadBackAsThemselves)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    constexpr int kSteps = 20000; // long enough for chartBuckets to read summary blocks
    constexpr int kInfStep = 9000, kNanFrom = 12345;
    {
        auto logger = MetricLogger::open(m_project->path());
        ASSERT_TRUE(logger.ok());
        const auto loss = (*logger)->key(QStringLiteral("loss"));
        for (int i = 0; i < kSteps; ++i) {
            double v = 1.0 + 0.001 * (i % 7);
            if (i == kInfStep)
                v = inf;
            else if (i == kInfStep + 1)
                v = -inf;
            else if (i >= kNanFrom)
                v = nan;
            (*logger)->log(m_run, loss, i, v, 100.0 + i);
        }
        ASSERT_TRUE((*logger)->flush().ok());
    }
    MetricReader reader(m_project->db());
    auto s = reader.series(m_run, QStringLiteral("loss"));
    ASSERT_TRUE(s.ok());
    ASSERT_EQ(s->size(), size_t(kSteps));
    EXPECT_EQ((*s)[kInfStep].value, inf);
    EXPECT_EQ((*s)[kInfStep + 1].value, -inf);
    EXPECT_TRUE(std::isnan((*s)[kNanFrom].value));
    EXPECT_TRUE(std::isnan(s->back().value));
    EXPECT_DOUBLE_EQ((*s)[kNanFrom - 1].value, 1.0 + 0.001 * ((kNanFrom - 1) % 7));

    auto latest = reader.latest({m_run});
    ASSERT_TRUE(latest.ok());
    ASSERT_EQ(latest->size(), 1);
    EXPECT_TRUE(std::isnan(latest->front().value));

    auto first = reader.firstNonFinite(m_run, QStringLiteral("loss"));
    ASSERT_TRUE(first.ok()) << qPrintable(first.error());
    ASSERT_TRUE(first->has_value());
    EXPECT_EQ((*first)->step, kInfStep);
    EXPECT_EQ((*first)->value, inf);

    // Raw buckets and summary buckets agree on where the non-finite points are.
    for (bool summary : {false, true}) {
        SCOPED_TRACE(summary ? "chartBuckets" : "buckets");
        auto b = summary ? reader.chartBuckets(m_run, QStringLiteral("loss"), 50)
                         : reader.buckets(m_run, QStringLiteral("loss"), 50);
        ASSERT_TRUE(b.ok()) << qPrintable(b.error());
        ASSERT_FALSE(b->empty());
        qint64 nans = 0, count = 0;
        const MetricBucket *firstBad = nullptr;
        for (const MetricBucket &bucket : *b) {
            nans += bucket.nanCount;
            count += bucket.count;
            if (!firstBad && !bucket.allFinite())
                firstBad = &bucket;
        }
        EXPECT_EQ(count, kSteps);
        EXPECT_EQ(nans, kSteps - kNanFrom);
        ASSERT_NE(firstBad, nullptr);
        EXPECT_EQ(firstBad->firstNonFiniteStep, kInfStep);
        EXPECT_EQ(firstBad->max, inf);
        EXPECT_EQ(firstBad->min, -inf);
        EXPECT_TRUE(std::isnan(b->back().last));
        EXPECT_TRUE(std::isnan(b->back().min)) << "the last bucket holds only NaN points";
        EXPECT_EQ(b->back().firstNonFiniteStep, b->back().firstStep);
        // The bucket where NaN starts names it.
        bool sawNanStart = false;
        for (const MetricBucket &bucket : *b)
            if (bucket.firstStep <= kNanFrom && kNanFrom <= bucket.lastStep) {
                EXPECT_EQ(bucket.firstNonFiniteStep, kNanFrom);
                EXPECT_TRUE(std::isnan(bucket.firstNonFinite));
                EXPECT_DOUBLE_EQ(bucket.max, 1.006);
                sawNanStart = true;
            }
        EXPECT_TRUE(sawNanStart);
    }
}
