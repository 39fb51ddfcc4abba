// SPDX-License-Identifier: MIT
// Training through the core API: metrics logged, schedules, early stopping with best-weight
// restore, cancel within a batch, resume from the latest checkpoint.

#include "jobs/job_feedback.h"
#include "store/evaluation_repository.h"
#include "store/metric_reader.h"
#include "store/project_file.h"
#include "store/run_repository.h"
#include "data/dataset_catalog.h"
#include "model/model_catalog.h"
#include "train/training_session.h"

#include "temp_project_test.h"
#include "test_support.h"

#include <QJsonArray>

#include <thread>

using namespace mlwb;
using namespace mlwb::test;

class TrainingSessionTest : public TempProjectTest {
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

    TrainRequest request(int epochs)
    {
        TrainRequest r;
        r.modelName = QStringLiteral("mlp");
        r.config.epochs = epochs;
        r.config.batchSize = 16;
        r.config.threads = 1;
        r.ownerLease = m_project->leaseId();
        return r;
    }

    std::vector<MetricPoint> series(qint64 run, const QString &key)
    {
        MetricReader reader(m_project->db());
        auto s = reader.series(run, key);
        EXPECT_TRUE(s.ok());
        return s.ok() ? *s : std::vector<MetricPoint>{};
    }
};

TEST_F(TrainingSessionTest, LogsStepAndEpochMetricsAndStoresEverything)
{
    auto r = TrainingSession::run(m_path, request(4), nullptr);
    ASSERT_TRUE(r.ok()) << qPrintable(r.error());
    EXPECT_EQ(r->status, RunStatus::Finished) << qPrintable(r->message);
    const qint64 steps = r->summary.value(QStringLiteral("steps")).toInteger();
    EXPECT_EQ(steps, 4 * ((105 + 15) / 16)) << "105 training rows, batches of 16";
    EXPECT_EQ(qint64(series(r->runId, QStringLiteral("loss")).size()), steps);
    EXPECT_EQ(series(r->runId, QStringLiteral("lr")).size(), size_t(steps));
    for (const char *k : {"train_loss", "val_loss", "val_accuracy", "train_accuracy",
                          "samples_per_sec", "epoch_time", "epoch"})
        EXPECT_EQ(series(r->runId, QString::fromLatin1(k)).size(), 4u) << k;
    const auto epochs = series(r->runId, QStringLiteral("epoch"));
    EXPECT_EQ(epochs.back().step, steps) << "epoch metrics sit on the global step axis";
    EXPECT_DOUBLE_EQ(epochs.back().value, 4.0);

    RunRepository runs(m_project->db());
    EXPECT_TRUE(runs.checkpoint(r->runId, QStringLiteral("latest")).ok());
    EXPECT_TRUE(runs.checkpoint(r->runId, QStringLiteral("best")).ok());
    EXPECT_TRUE(runs.artifact(r->runId, QStringLiteral("model.pt")).ok());
    EXPECT_TRUE(runs.artifact(r->runId, QStringLiteral("preprocessing.json")).ok());
    auto evals = EvaluationRepository(m_project->db()).forRun(r->runId);
    ASSERT_TRUE(evals.ok());
    ASSERT_EQ(evals->size(), 2);
    EXPECT_EQ(evals->at(1).split, QStringLiteral("test"));
    EXPECT_EQ(evals->at(1).report.value(QStringLiteral("confusion_matrix")).toArray().size(), 3);
    auto run = runs.get(r->runId);
    EXPECT_EQ(run->status, RunStatus::Finished);
    EXPECT_TRUE(run->summary.contains(QStringLiteral("test_accuracy")));
    EXPECT_EQ(run->hyperparams.value(QStringLiteral("epochs")).toInt(), 4);

    // The split it trained on, so that the data set tab can tell after a resplit.
    auto dataset = DatasetCatalog(m_project->db()).load(QStringLiteral("iris"));
    ASSERT_TRUE(dataset.ok());
    const QString splitHash = run->summary.value(QStringLiteral("split_hash")).toString();
    EXPECT_EQ(splitHash.size(), 16);
    EXPECT_EQ(splitHash, DatasetSplit::fingerprint(dataset->split));
}

TEST_F(TrainingSessionTest, SchedulesShapeTheLearningRate)
{
    auto req = request(6);
    req.config.learningRate = 0.01;
    req.config.schedule = QStringLiteral("cosine");
    auto cosine = TrainingSession::run(m_path, req, nullptr);
    ASSERT_TRUE(cosine.ok());
    auto lr = series(cosine->runId, QStringLiteral("lr"));
    ASSERT_FALSE(lr.empty());
    EXPECT_DOUBLE_EQ(lr.front().value, 0.01);
    EXPECT_LT(lr.back().value, 0.0005);
    for (size_t i = 1; i < lr.size(); ++i)
        EXPECT_LE(lr[i].value, lr[i - 1].value + 1e-15);

    req.config.schedule = QStringLiteral("step");
    req.config.stepSize = 2;
    req.config.gamma = 0.5;
    auto step = TrainingSession::run(m_path, req, nullptr);
    lr = series(step->runId, QStringLiteral("lr"));
    EXPECT_DOUBLE_EQ(lr.front().value, 0.01);
    EXPECT_DOUBLE_EQ(lr.back().value, 0.01 * 0.25) << "epochs 4-5: decayed twice";

    req.config.schedule = QStringLiteral("onecycle");
    auto onecycle = TrainingSession::run(m_path, req, nullptr);
    lr = series(onecycle->runId, QStringLiteral("lr"));
    const auto peak = std::max_element(lr.begin(), lr.end(), [](auto &a, auto &b) { return a.value < b.value; });
    EXPECT_LT(lr.front().value, 0.001);
    EXPECT_NEAR(peak->value, 0.01, 1e-3);
    EXPECT_GT(peak - lr.begin(), qint64(lr.size() / 5));
    EXPECT_LT(peak - lr.begin(), qint64(lr.size() / 2));
    EXPECT_LT(lr.back().value, 1e-4);
}

TEST_F(TrainingSessionTest, EarlyStoppingRestoresTheBestWeights)
{
    auto req = request(200);
    req.config.learningRate = 0.05;
    req.config.patience = 3;
    req.config.earlyStoppingMetric = QStringLiteral("val_loss");
    auto r = TrainingSession::run(m_path, req, nullptr);
    ASSERT_TRUE(r.ok()) << qPrintable(r.error());
    EXPECT_TRUE(r->summary.value(QStringLiteral("stopped_early")).toBool());
    const int run = r->summary.value(QStringLiteral("epochs_run")).toInt();
    const int best = r->summary.value(QStringLiteral("best_epoch")).toInt();
    EXPECT_LT(run, 200);
    EXPECT_EQ(run - best, 3);
    // The stored evaluation on the validation split is of the best weights.
    const auto valLoss = series(r->runId, QStringLiteral("val_loss"));
    const double bestLoss = valLoss[size_t(best - 1)].value;
    EXPECT_NEAR(r->summary.value(QStringLiteral("val_log_loss")).toDouble(), bestLoss, 1e-4);
}

TEST_F(TrainingSessionTest, CancelInterruptsAndResumeFinishesTheRun)
{
    JobFeedback feedback;
    std::atomic<qint64> runId = 0;
    Result<TrainResult> first = Error{QString()};
    std::thread worker([&] {
        first = TrainingSession::run(m_path, request(40), &feedback, [&](qint64 id) { runId = id; });
    });
    // Cancel once a few epochs (and their checkpoints) are done.
    while (feedback.progress() < 0.2 && runId == 0 || feedback.progress() < 0.2)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    feedback.cancel();
    worker.join();
    ASSERT_TRUE(first.ok()) << qPrintable(first.error());
    EXPECT_EQ(first->status, RunStatus::Interrupted);
    EXPECT_TRUE(first->message.contains(QStringLiteral("canceled")));
    const int done = first->summary.value(QStringLiteral("epochs_run")).toInt();
    EXPECT_GE(done, 7);
    EXPECT_LT(done, 40);
    const qint64 stepsAtCancel = qint64(series(runId, QStringLiteral("loss")).size());
    EXPECT_LE(stepsAtCancel, qint64(done + 1) * 7) << "stopped within the epoch it was in";

    TrainRequest resume;
    resume.resumeRunId = runId;
    resume.ownerLease = m_project->leaseId();
    auto second = TrainingSession::run(m_path, resume, nullptr);
    ASSERT_TRUE(second.ok()) << qPrintable(second.error());
    EXPECT_EQ(second->runId, runId.load());
    EXPECT_EQ(second->status, RunStatus::Finished) << qPrintable(second->message);
    EXPECT_EQ(second->summary.value(QStringLiteral("epochs_run")).toInt(), 40);
    const auto epochs = series(runId, QStringLiteral("epoch"));
    ASSERT_EQ(epochs.size(), 40u);
    for (size_t i = 0; i < epochs.size(); ++i)
        EXPECT_DOUBLE_EQ(epochs[i].value, double(i + 1));
    EXPECT_EQ(series(runId, QStringLiteral("loss")).size(), size_t(40 * 7));
    EXPECT_GE(second->summary.value(QStringLiteral("test_accuracy")).toDouble(), 0.85);

    auto again = TrainingSession::run(m_path, resume, nullptr);
    ASSERT_FALSE(again.ok());
    EXPECT_TRUE(again.error().contains(QStringLiteral("finished")));
}
