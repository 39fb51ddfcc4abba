// SPDX-License-Identifier: MIT
// MLflow's run search language (TrackingFilter): the forms MLflow's documentation and clients
// use, what each matches, the order_by forms, and refusals that say where the text is wrong.
#include "tracking/tracking_filter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlwb::test {
namespace {

using F = TrackingFilter;

F::Run run(const char *id, double acc, const char *lr, const char *status = "FINISHED")
{
    F::Run r;
    r.runId = QString::fromLatin1(id);
    r.runName = QStringLiteral("run ") + r.runId;
    r.status = QString::fromLatin1(status);
    r.userId = QStringLiteral("alice");
    r.startTime = 1000 * QString::fromLatin1(id).toLongLong();
    r.metrics[QStringLiteral("acc")] = acc;
    r.params[QStringLiteral("lr")] = QString::fromLatin1(lr);
    r.tags[QStringLiteral("team")] = QStringLiteral("vision");
    r.tags[QStringLiteral("mlflow.runName")] = r.runName;
    return r;
}

bool matches(const char *filter, const F::Run &r)
{
    auto f = F::parse(QString::fromUtf8(filter));
    EXPECT_TRUE(f.ok()) << filter << ": " << qPrintable(f.ok() ? QString() : f.error());
    return f.ok() && f->matches(r);
}

TEST(TrackingFilterTest, TheCommonFormsMatchWhatTheySay)
{
    const F::Run r = run("7", 0.93, "0.01");
    EXPECT_TRUE(matches("", r));
    EXPECT_TRUE(matches("   ", r));
    EXPECT_TRUE(matches("metrics.acc > 0.9", r));
    EXPECT_FALSE(matches("metrics.acc > 0.95", r));
    EXPECT_TRUE(matches("metrics.acc >= 0.93 AND metrics.acc <= 0.93", r));
    EXPECT_TRUE(matches("metric.acc != 0.5", r));
    EXPECT_TRUE(matches("metrics.`acc` < 1e0", r));
    EXPECT_TRUE(matches("params.lr = '0.01'", r));
    EXPECT_TRUE(matches("params.lr = \"0.01\"", r));
    EXPECT_FALSE(matches("params.lr = '0.010'", r)) << "params compare as the strings logged";
    EXPECT_TRUE(matches("param.lr LIKE '0.0%'", r));
    EXPECT_TRUE(matches("tags.team = 'vision' and params.lr != '0.1'", r));
    EXPECT_TRUE(matches("tags.team ILIKE 'VIS%'", r));
    EXPECT_FALSE(matches("tags.team LIKE 'VIS%'", r)) << "LIKE is case-sensitive";
    EXPECT_TRUE(matches("tags.`mlflow.runName` = 'run 7'", r));
    EXPECT_TRUE(matches("tags.\"mlflow.runName\" LIKE 'run _'", r));
    EXPECT_TRUE(matches("attributes.status = 'FINISHED'", r));
    EXPECT_TRUE(matches("attribute.status = 'finished'", r)) << "statuses in either case";
    EXPECT_TRUE(matches("status = 'FINISHED'", r)) << "no prefix: an attribute";
    EXPECT_TRUE(matches("attributes.run_id IN ('3', '7')", r));
    EXPECT_FALSE(matches("attributes.run_id NOT IN ('7')", r));
    EXPECT_TRUE(matches("attributes.start_time >= 7000", r));
    EXPECT_TRUE(matches("attributes.run_name = 'run 7'", r));
    EXPECT_TRUE(matches("attributes.user_id = 'alice'", r));
}

TEST(TrackingFilterTest, AMissingKeyNeverMatches)
{
    const F::Run r = run("1", 0.5, "0.1");
    EXPECT_FALSE(matches("metrics.loss < 10", r));
    EXPECT_FALSE(matches("metrics.loss != 10", r));
    EXPECT_FALSE(matches("params.epochs = '5'", r));
    EXPECT_FALSE(matches("tags.owner != 'bob'", r));
    EXPECT_FALSE(matches("attributes.end_time > 0", r)) << "a running run has no end time";
    F::Run nan = r;
    nan.metrics[QStringLiteral("acc")] = std::numeric_limits<double>::quiet_NaN();
    EXPECT_FALSE(matches("metrics.acc > 0", nan));
    EXPECT_FALSE(matches("metrics.acc <= 0", nan));
}

TEST(TrackingFilterTest, RefusalsNameWhatIsWrongAndWhere)
{
    struct Case {
        const char *filter;
        const char *says;
    } cases[] = {
        {"metrics.acc > 0.9 OR metrics.acc < 0.1", "OR is not supported"},
        {"metrics.acc ~ 0.9", "expected a comparison"},
        {"metrics.acc > 'high'", "compares with a number"},
        {"metrics.acc LIKE '0.%'", "compares as a number"},
        {"params.lr > '0.1'", "compares as a string"},
        {"params.lr = 0.1", "compares with a quoted string"},
        {"params.lr = '0.1", "never closed"},
        {"foo.bar = 'x'", "is not metrics, params, tags or attributes"},
        {"attributes.color = 'red'", "not an attribute"},
        {"metrics. > 1", "expected a key"},
        {"metrics.acc > 0.9 metrics.f1 > 0.1", "expected AND"},
        {"params.lr IN ('a')", "IN and NOT IN take attributes.run_id only"},
        {"attributes.run_id IN ('a' 'b')", "expected , or )"},
    };
    for (const Case &c : cases) {
        auto f = F::parse(QString::fromUtf8(c.filter));
        ASSERT_FALSE(f.ok()) << c.filter;
        EXPECT_EQ(f.kind(), ErrorKind::InvalidInput) << c.filter;
        EXPECT_TRUE(f.error().contains(QString::fromUtf8(c.says))) << c.filter << " -> " << qPrintable(f.error());
        EXPECT_TRUE(f.error().contains(QStringLiteral("at character"))) << c.filter << " -> " << qPrintable(f.error());
    }
}

// Found by fuzz_tracking_filter: a refusal built with chained QString::arg calls put the position
// into the user's own "%1" and lost "at character N".
TEST(TrackingFilterTest, ARefusalQuotesTheFilterAsItIsEvenWithPercentSigns)
{
    auto f = F::parse(QStringLiteral("attributes.run_id IN (%1', '2')"));
    ASSERT_FALSE(f.ok());
    EXPECT_TRUE(f.error().contains(QStringLiteral("filter \"attributes.run_id IN (%1', '2')\""))) << qPrintable(f.error());
    EXPECT_TRUE(f.error().contains(QStringLiteral("at character 23"))) << qPrintable(f.error());
}

TEST(TrackingFilterTest, OrderByFormsSortWithMissingValuesLast)
{
    std::vector<F::Run> runs{run("1", 0.5, "0.1"), run("2", 0.9, "0.01"), run("3", 0.7, "0.001"), run("4", 0.0, "0.1")};
    runs[3].metrics.clear(); // no acc: last either way
    auto sorted = [&](const char *orderBy) {
        auto o = F::parseOrder(QString::fromUtf8(orderBy));
        EXPECT_TRUE(o.ok()) << orderBy << ": " << qPrintable(o.ok() ? QString() : o.error());
        std::vector<F::Run> v = runs;
        std::stable_sort(v.begin(), v.end(), [&](const F::Run &a, const F::Run &b) { return F::before(*o, a, b); });
        QStringList ids;
        for (const F::Run &r : v)
            ids << r.runId;
        return ids.join(u',');
    };
    EXPECT_EQ(sorted("metrics.acc DESC"), QStringLiteral("2,3,1,4"));
    EXPECT_EQ(sorted("metrics.`acc` ASC"), QStringLiteral("1,3,2,4"));
    EXPECT_EQ(sorted("metrics.acc"), QStringLiteral("1,3,2,4"));
    EXPECT_EQ(sorted("attributes.start_time DESC"), QStringLiteral("4,3,2,1"));
    EXPECT_EQ(sorted("params.lr"), QStringLiteral("3,2,1,4"));
    EXPECT_FALSE(F::parseOrder(QStringLiteral("metrics.acc UP")).ok());
    EXPECT_FALSE(F::parseOrder(QStringLiteral("attributes.color")).ok());
}

} // namespace
} // namespace mlwb::test
