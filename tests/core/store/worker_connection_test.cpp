// SPDX-License-Identifier: MIT
// WorkerConnection: every connection a job or background reader opens sees the file as the
// Project does: foreign keys enforced, and an older schema read through the current one.

#include "store/schema.h"
#include "store/worker_connection.h"
#include "temp_project_test.h"

using namespace mlwb;
using namespace mlwb::test;

using WorkerConnectionTest = TempProjectTest;

TEST_F(WorkerConnectionTest, WritersEnforceForeignKeysAndSyncNormally)
{
    auto db = WorkerConnection::open(m_path, WorkerConnection::Access::Write);
    ASSERT_OK(db);
    EXPECT_EQ(*db->queryInt(QStringLiteral("PRAGMA foreign_keys")), 1);
    EXPECT_EQ(*db->queryInt(QStringLiteral("PRAGMA synchronous")), 1) << "NORMAL";
    // A run of a model version that does not exist is refused, as it is through the Project.
    const Status orphan = db->exec(QStringLiteral(
        "INSERT INTO run(model_version_id, name, status, hyperparams_json, created_at) "
        "VALUES (999, 'x', 'queued', '{}', 0)"));
    ASSERT_FALSE(orphan.ok());
    EXPECT_EQ(orphan.kind(), ErrorKind::Conflict) << qPrintable(orphan.error());
}

TEST_F(WorkerConnectionTest, ReadersOfAnOlderFileSeeTheCurrentSchema)
{
    const QString older = path(QStringLiteral("v2.mlwb"));
    {
        auto db = Database::open(older, Database::Mode::Create);
        ASSERT_OK(db);
        ASSERT_OK(Schema::create(*db, 2));
    }
    auto reader = WorkerConnection::open(older, WorkerConnection::Access::Read);
    ASSERT_OK(reader);
    // metric_block (schema 3) and change_log (schema 5) read as empty views.
    EXPECT_EQ(*reader->queryInt(QStringLiteral("SELECT count(*) FROM metric_block")), 0);
    EXPECT_EQ(*reader->queryInt(QStringLiteral("SELECT count(*) FROM change_log")), 0);
    EXPECT_EQ(*reader->queryInt(QStringLiteral("PRAGMA main.user_version")), 2) << "the file is untouched";
}
