// SPDX-License-Identifier: MIT
// RecentRequests: the ring behind GET /mlwb/v1/models/NAME/recent.
#include "serve/recent_requests.h"

#include <QJsonObject>

#include <gtest/gtest.h>

#include <cmath>

using namespace mlwb;

namespace {

RecentRequests::Entry entry(int n, qint64 rows = 1)
{
    RecentRequests::Entry e;
    e.timeMs = 1700000000000 + n;
    e.version = QStringLiteral("1.0.0");
    e.id = QStringLiteral("r%1").arg(n);
    e.hasId = n % 2 == 0;
    e.latencyMs = 0.5;
    e.rows = rows;
    e.features = 2;
    for (qint64 r = 0; r < rows; ++r) {
        e.inputs.push_back(float(n));
        e.inputs.push_back(r == 0 ? NAN : float(r));
        e.classes.push_back(r % 2);
    }
    e.labels = {QStringLiteral("no"), QStringLiteral("yes")};
    return e;
}

} // namespace

TEST(RecentRequests, KeepsTheLastOnesOldestFirst)
{
    RecentRequests ring(3);
    for (int n = 0; n < 5; ++n)
        ring.add(entry(n));
    EXPECT_EQ(ring.size(), 3);
    const QJsonArray all = ring.lastJson(10);
    ASSERT_EQ(all.size(), 3);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(all[i].toObject().value(QStringLiteral("inputs")).toArray().at(0).toArray().at(0).toDouble(), 2.0 + i);
    const QJsonArray two = ring.lastJson(2);
    ASSERT_EQ(two.size(), 2);
    EXPECT_EQ(two[1].toObject().value(QStringLiteral("id")).toString(), QStringLiteral("r4"));
    EXPECT_TRUE(two[0].toObject().value(QStringLiteral("id")).isNull()); // r3 was sent without an id
    const QJsonObject last = two[1].toObject();
    EXPECT_EQ(last.value(QStringLiteral("time")).toString(), QStringLiteral("2023-11-14T22:13:20.004Z"));
    EXPECT_EQ(last.value(QStringLiteral("version")).toString(), QStringLiteral("1.0.0"));
    EXPECT_EQ(last.value(QStringLiteral("status")).toInt(), 200);
    EXPECT_EQ(last.value(QStringLiteral("latency_ms")).toDouble(), 0.5);
    EXPECT_TRUE(last.value(QStringLiteral("inputs")).toArray().at(0).toArray().at(1).isNull()); // NaN: null
    EXPECT_EQ(last.value(QStringLiteral("predictions")).toArray(), QJsonArray{QStringLiteral("no")});
}

TEST(RecentRequests, ARequestOver64RowsKeepsItsFirst64)
{
    RecentRequests ring(2);
    ring.add(entry(1, 100));
    const QJsonObject e = ring.lastJson(1).at(0).toObject();
    EXPECT_EQ(e.value(QStringLiteral("rows")).toInt(), 100);
    EXPECT_EQ(e.value(QStringLiteral("inputs")).toArray().size(), 64);
    EXPECT_EQ(e.value(QStringLiteral("inputs")).toArray().at(63).toArray().at(1).toDouble(), 63.0);
    EXPECT_EQ(e.value(QStringLiteral("predictions")).toArray().size(), 64);
}

TEST(RecentRequests, CapacityZeroKeepsNothing)
{
    RecentRequests ring(0);
    ring.add(entry(1));
    EXPECT_EQ(ring.size(), 0);
    EXPECT_TRUE(ring.lastJson(100).isEmpty());
}
