// SPDX-License-Identifier: MIT
// Failures are never swallowed: a metric write, a summary or a status that cannot be stored
// ends the run failed with the reason (or the session with an error), never "finished".
// A trigger in the project file makes the write fail for every connection, as a full disk
// would: SQLite raises the error inside the same statements a real failure would break.

#include "store/database.h"
#include "store/metric_logger.h"
#include "store/metric_reader.h"
#include "store/project_file.h"
#include "store/run_repository.h"
#include "data/dataset_catalog.h"
#include "model/model_catalog.h"
#include "train/training_session.h"

#include "temp_project_test.h"
#include "test_support.h"

using namespace mlwb;
using namespace mlwb::test;

class FailureTest : public TempProjectTest {
protected:
    void SetUp() override
    {
        TempProjectTest::SetUp();
        if (HasFatalFailure())
            return;
        ImportOptions options;
        options.target = QStringLiteral("species");
        auto id = DatasetCatalog(m_project->db())
                      .importCsv(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris"), options);
        ASSERT_TRUE(id.ok()) << qPrintable(id.error());
        auto m = ModelCatalog(m_project->db())
                     .createFromTemplate(QStringLiteral("mlp"), QStringLiteral("iris"), QStringLiteral("mlp"));
        ASSERT_TRUE(m.ok()) << qPrintable(m.error());
    }

    void breakWrites(const QString &triggerSql)
    {
        ASSERT_TRUE(m_project->db().exec(triggerSql).ok());
    }

    TrainRequest request(int epochs = 5)
    {
        TrainRequest r;
        r.modelName = QStringLiteral("mlp");
        r.config.epochs = epochs;
        r.config.batchSize = 16;
        r.config.threads = 1;
        r.ownerLease = m_project->leaseId();
        return r;
    }

    RunRecord onlyRun()
    {
        RunRepository runs(m_project->db());
        auto list = runs.list();
        EXPECT_TRUE(list.ok());
        EXPECT_EQ(list.ok() ? list->size() : 0, 1);
        return list.ok() && !list->isEmpty() ? list->front() : RunRecord{};
    }
};

TEST_F(FailureTest, MetricWritesThatFailEndTheRunFailed)
{
    breakWrites(QStringLiteral(
        "CREATE TRIGGER full_disk BEFORE INSERT ON metric WHEN (SELECT count(*) FROM metric) >= 40 "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full (simulated)'); END"));
    auto result = TrainingSession::run(m_path, request(), nullptr);
    ASSERT_TRUE(result.ok()) << qPrintable(result.error());
    EXPECT_EQ(result->status, RunStatus::Failed);
    EXPECT_TRUE(result->message.contains(QStringLiteral("metric points could not be written")))
        << qPrintable(result->message);
    EXPECT_TRUE(result->message.contains(QStringLiteral("disk is full (simulated)")))
        << qPrintable(result->message);
    const RunRecord stored = onlyRun();
    EXPECT_EQ(stored.status, RunStatus::Failed);
    EXPECT_EQ(stored.message, result->message);
}

TEST_F(FailureTest, LoggerCloseSaysHowManyPointsWereLost)
{
    breakWrites(QStringLiteral(
        "CREATE TRIGGER full_disk BEFORE INSERT ON metric "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full (simulated)'); END"));
    RunRepository runs(m_project->db());
    auto version = m_project->db().queryInt(QStringLiteral("SELECT id FROM model_version LIMIT 1"));
    ASSERT_TRUE(version.ok());
    RunRecord r;
    r.modelVersionId = *version;
    auto run = runs.create(r);
    ASSERT_TRUE(run.ok()) << qPrintable(run.error());
    auto logger = MetricLogger::open(m_path);
    ASSERT_TRUE(logger.ok());
    for (int i = 0; i < 100; ++i)
        (*logger)->log(*run, QStringLiteral("loss"), i, 1.0);
    Status closed = (*logger)->close();
    ASSERT_FALSE(closed.ok()) << "100 points were dropped without a word";
    EXPECT_TRUE(closed.error().contains(QStringLiteral("100 lost"))) << qPrintable(closed.error());
    EXPECT_TRUE(closed.error().contains(QStringLiteral("simulated"))) << qPrintable(closed.error());
    EXPECT_FALSE((*logger)->close().ok()) << "a second close() says the same";
}

TEST_F(FailureTest, SummaryThatCannotBeStoredFailsTheRun)
{
    breakWrites(QStringLiteral(
        "CREATE TRIGGER no_summary BEFORE UPDATE OF summary_json ON run "
        "BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END"));
    auto result = TrainingSession::run(m_path, request(2), nullptr);
    ASSERT_FALSE(result.ok()) << "the run was reported " << qPrintable(runStatusName(result->status));
    EXPECT_TRUE(result.error().contains(QStringLiteral("cannot store its summary"))) << qPrintable(result.error());
    const RunRecord stored = onlyRun();
    EXPECT_EQ(stored.status, RunStatus::Failed);
    EXPECT_TRUE(stored.message.contains(QStringLiteral("simulated"))) << qPrintable(stored.message);
}

TEST_F(FailureTest, StatusThatCannotBeStoredFailsTheSession)
{
    breakWrites(QStringLiteral(
        "CREATE TRIGGER no_finish BEFORE UPDATE OF status ON run WHEN NEW.status = 'finished' "
        "BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END"));
    auto result = TrainingSession::run(m_path, request(2), nullptr);
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(result.error().contains(QStringLiteral("cannot record that it ended finished")))
        << qPrintable(result.error());
    const RunRecord stored = onlyRun();
    EXPECT_EQ(stored.status, RunStatus::Failed) << "marked failed, since 'finished' was refused";
}

TEST_F(FailureTest, ArtifactThatCannotBeStoredFailsTheRun)
{
    breakWrites(QStringLiteral(
        "CREATE TRIGGER no_artifact BEFORE INSERT ON artifact WHEN NEW.name = 'preprocessing.json' "
        "BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END"));
    auto result = TrainingSession::run(m_path, request(2), nullptr);
    ASSERT_TRUE(result.ok()) << qPrintable(result.error());
    EXPECT_EQ(result->status, RunStatus::Failed);
    EXPECT_TRUE(result->message.contains(QStringLiteral("preprocessing.json"))) << qPrintable(result->message);
    EXPECT_EQ(onlyRun().status, RunStatus::Failed);
}
