// SPDX-License-Identifier: MIT
// ChangeFeed: every write, from any connection, shows up once under its aggregate and item, and
// reading it costs one query whatever the project's size.

#include "store/change_feed.h"
#include "store/database.h"
#include "store/dataset_repository.h"
#include "store/metric_logger.h"
#include "store/schema.h"
#include "store_fixture.h"
#include "temp_project_test.h"

using namespace mlwb;
using namespace mlwb::test;

class ChangeFeedTest : public TempProjectTest {
protected:
    // What a second process would see: its own connection to the file.
    ChangeFeed openFeed(Database &db)
    {
        auto feed = ChangeFeed::open(db);
        EXPECT_OK(feed);
        return std::move(*feed);
    }
};

TEST_F(ChangeFeedTest, ReportsEachWriteUnderItsAggregateAndItem)
{
    auto reader = Database::open(m_path, Database::Mode::ReadOnly);
    ASSERT_OK(reader);
    ChangeFeed feed = openFeed(*reader);
    ASSERT_TRUE(feed.tracked());
    auto nothing = feed.read();
    ASSERT_OK(nothing);
    EXPECT_TRUE(nothing->isEmpty());

    const qint64 run = addRun(*m_project, QStringLiteral("mlp"));
    auto first = feed.read();
    ASSERT_OK(first);
    EXPECT_EQ(first->items.value(Aggregate::Run), QList<qint64>{run});
    ASSERT_TRUE(first->contains(Aggregate::Model));
    EXPECT_FALSE(first->contains(Aggregate::Dataset));
    EXPECT_TRUE(feed.read()->isEmpty()) << "a change is reported once";

    // Points written by the logger's own connection arrive as the run's metrics, not as a
    // change of the run's row (the explorer does not rebuild for every batch).
    auto logger = MetricLogger::open(m_path);
    ASSERT_OK(logger);
    for (int i = 0; i < 100; ++i)
        (*logger)->log(run, QStringLiteral("loss"), i, 1.0 / (i + 1));
    ASSERT_OK((*logger)->flush());
    auto points = feed.read();
    ASSERT_OK(points);
    EXPECT_EQ(points->items.value(Aggregate::Metrics), QList<qint64>{run});
    EXPECT_FALSE(points->contains(Aggregate::Run));

    RunRepository runs(m_project->db());
    ASSERT_OK(runs.rename(run, QStringLiteral("baseline")));
    DatasetRecord d;
    d.name = QStringLiteral("iris");
    d.contentHash = QStringLiteral("abc");
    d.schemaJson = QByteArrayLiteral("{}");
    auto dataset = DatasetRepository(m_project->db()).add(d, QByteArray(10, 'x'));
    ASSERT_OK(dataset);
    auto both = feed.read();
    ASSERT_OK(both);
    EXPECT_EQ(both->items.value(Aggregate::Run), QList<qint64>{run});
    EXPECT_EQ(both->items.value(Aggregate::Dataset), QList<qint64>{*dataset});

    // Deleting the model cascades to its run: both are reported.
    ModelRepository models(m_project->db());
    auto model = models.byName(QStringLiteral("mlp"));
    ASSERT_OK(model);
    ASSERT_OK(models.remove(model->id));
    auto removed = feed.read();
    ASSERT_OK(removed);
    EXPECT_EQ(removed->items.value(Aggregate::Model), QList<qint64>{model->id});
    EXPECT_EQ(removed->items.value(Aggregate::Run), QList<qint64>{run});
}

TEST_F(ChangeFeedTest, LeaseHeartbeatsAreNotChanges)
{
    auto reader = Database::open(m_path, Database::Mode::ReadOnly);
    ASSERT_OK(reader);
    ChangeFeed feed = openFeed(*reader);
    ASSERT_OK(m_project->db().exec(QStringLiteral("UPDATE lease SET heartbeat = heartbeat + 1")));
    EXPECT_TRUE(feed.read()->isEmpty());
    ASSERT_OK(m_project->db().exec(QStringLiteral(
        "INSERT INTO lease(user, host, pid, mode, program, started, heartbeat) "
        "VALUES ('u', 'h', 1, 'read', 'test', 0, 0)")));
    auto leases = feed.read();
    ASSERT_OK(leases);
    EXPECT_TRUE(leases->contains(Aggregate::Lease));
}

TEST_F(ChangeFeedTest, AFileWithoutTrackingReportsThatAnythingMayHaveChanged)
{
    const QString older = path(QStringLiteral("v4.mlwb"));
    {
        auto db = Database::open(older, Database::Mode::Create);
        ASSERT_OK(db);
        ASSERT_OK(Schema::create(*db, 4));
    }
    auto db = Database::open(older, Database::Mode::ReadOnly);
    ASSERT_OK(db);
    ASSERT_OK(Schema::readAsCurrent(*db, 4));
    ChangeFeed feed = openFeed(*db);
    EXPECT_FALSE(feed.tracked());
    auto all = feed.read();
    ASSERT_OK(all);
    for (const QString &aggregate : ChangeFeed::aggregates()) {
        ASSERT_TRUE(all->contains(aggregate)) << aggregate.toStdString();
        EXPECT_TRUE(all->items.value(aggregate).isEmpty());
    }
}
