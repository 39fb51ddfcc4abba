// SPDX-License-Identifier: MIT
#include "store/dataset_repository.h"
#include "store/metric_logger.h"
#include "store/metric_reader.h"
#include "store_fixture.h"
#include "temp_project_test.h"

using namespace mlwb;
using namespace mlwb::test;

class RepositoriesTest : public TempProjectTest {};

TEST_F(RepositoriesTest, DatasetRoundTripRenameDelete)
{
    DatasetRepository repo(m_project->db());
    DatasetRecord r;
    r.name = QStringLiteral("iris");
    r.contentHash = QStringLiteral("abc");
    r.rowCount = 150;
    r.columnCount = 5;
    r.schemaJson = QByteArrayLiteral("{\"target\":\"species\"}");
    const QByteArray blob(100000, '\x01');
    auto id = repo.add(r, blob);
    ASSERT_TRUE(id.ok()) << qPrintable(id.error());
    auto dup = repo.add(r, blob);
    ASSERT_FALSE(dup.ok());
    EXPECT_TRUE(dup.error().contains(QStringLiteral("already exists")));
    EXPECT_EQ(dup.kind(), ErrorKind::Conflict);
    auto got = repo.byName(QStringLiteral("iris"));
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->rowCount, 150);
    EXPECT_EQ(got->schemaJson, r.schemaJson);
    EXPECT_EQ(*repo.data(*id), blob);
    ASSERT_TRUE(repo.rename(*id, QStringLiteral("iris2")).ok());
    EXPECT_FALSE(repo.byName(QStringLiteral("iris")).ok());
    ASSERT_TRUE(repo.remove(*id).ok());
    auto gone = repo.get(*id);
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.kind(), ErrorKind::NotFound);
    EXPECT_FALSE(repo.remove(*id).ok());
}

TEST_F(RepositoriesTest, ModelVersionsNumberUpwards)
{
    ModelRepository models(m_project->db());
    auto id = models.add({0, QStringLiteral("mlp"), ModelKind::Spec, 0, {}, {}});
    ASSERT_TRUE(id.ok());
    auto v1 = models.addVersion(*id, QByteArrayLiteral("{\"a\":1}"), {});
    auto v2 = models.addVersion(*id, QByteArrayLiteral("{\"a\":2}"), QByteArrayLiteral("PT"));
    ASSERT_TRUE(v1.ok() && v2.ok());
    EXPECT_EQ(v1->version, 1);
    EXPECT_EQ(v2->version, 2);
    auto latest = models.latestVersion(*id);
    ASSERT_TRUE(latest.ok());
    EXPECT_EQ(latest->version, 2);
    EXPECT_EQ(latest->torchscript, QByteArrayLiteral("PT"));
    EXPECT_EQ(models.versions(*id)->size(), 2);
    // The kind is an enum in code and checked by the table; names round-trip.
    EXPECT_EQ(models.get(*id)->kind, ModelKind::Spec);
    EXPECT_EQ(modelKindFromName(modelKindName(ModelKind::TorchScript)), ModelKind::TorchScript);
    EXPECT_EQ(modelKindFromName(QStringLiteral("weird")), std::nullopt);
}

TEST_F(RepositoriesTest, RunLifecycleCheckpointsArtifactsAndCascade)
{
    const qint64 run = addRun(*m_project);
    RunRepository runs(m_project->db());
    auto r = runs.get(run);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, RunStatus::Queued);
    EXPECT_EQ(r->modelName, QStringLiteral("m"));
    ASSERT_TRUE(runs.markRunning(run, m_project->leaseId()).ok());
    EXPECT_EQ(runs.get(run)->status, RunStatus::Running);
    EXPECT_TRUE(runs.get(run)->startedAt.isValid());
    ASSERT_TRUE(runs.setSummary(run, {{QStringLiteral("accuracy"), 0.97}}).ok());
    ASSERT_TRUE(runs.setStatus(run, RunStatus::Finished).ok());
    r = runs.get(run);
    EXPECT_EQ(r->status, RunStatus::Finished);
    EXPECT_DOUBLE_EQ(r->summary.value(QStringLiteral("accuracy")).toDouble(), 0.97);
    EXPECT_TRUE(r->finishedAt.isValid());

    ASSERT_TRUE(runs.saveCheckpoint({0, run, QStringLiteral("best"), 10, 1, {}, QByteArrayLiteral("A")}).ok());
    ASSERT_TRUE(runs.saveCheckpoint({0, run, QStringLiteral("best"), 20, 2, {}, QByteArrayLiteral("B")}).ok());
    auto best = runs.checkpoint(run, QStringLiteral("best"));
    ASSERT_TRUE(best.ok());
    EXPECT_EQ(best->data, QByteArrayLiteral("B"));
    EXPECT_EQ(best->epoch, 2);
    EXPECT_FALSE(runs.checkpoint(run, QStringLiteral("latest")).ok());
    ASSERT_TRUE(runs.saveArtifact(run, QStringLiteral("cm.json"), QStringLiteral("application/json"),
                                  QByteArrayLiteral("{}")).ok());
    EXPECT_EQ(runs.artifacts(run)->size(), 1);
    EXPECT_EQ(*runs.artifact(run, QStringLiteral("cm.json")), QByteArrayLiteral("{}"));

    {
        auto logger = MetricLogger::open(m_project->path());
        ASSERT_TRUE(logger.ok());
        for (int i = 0; i < 100; ++i)
            (*logger)->log(run, QStringLiteral("loss"), i, 1.0 / (i + 1));
    }
    ASSERT_TRUE(runs.remove(run).ok());
    auto counts = m_project->counts();
    EXPECT_EQ(counts->value(u"runs"), 0);
    EXPECT_EQ(counts->value(u"metric_points"), 0);
    EXPECT_EQ(counts->value(u"checkpoints"), 0);
    EXPECT_EQ(counts->value(u"artifacts"), 0);
    MetricReader reader(m_project->db());
    EXPECT_TRUE(reader.latest()->isEmpty());
}

TEST_F(RepositoriesTest, DeletingAModelDeletesItsRunsAndPoints)
{
    const qint64 run = addRun(*m_project, QStringLiteral("doomed"));
    const qint64 keep = addRun(*m_project, QStringLiteral("kept"));
    {
        auto logger = MetricLogger::open(m_project->path());
        for (int i = 0; i < 10; ++i) {
            (*logger)->log(run, QStringLiteral("loss"), i, i);
            (*logger)->log(keep, QStringLiteral("loss"), i, i);
        }
    }
    ModelRepository models(m_project->db());
    ASSERT_TRUE(models.remove(models.byName(QStringLiteral("doomed"))->id).ok());
    auto counts = m_project->counts();
    EXPECT_EQ(counts->value(u"runs"), 1);
    EXPECT_EQ(counts->value(u"metric_points"), 10);
}
