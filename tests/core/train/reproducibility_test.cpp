// SPDX-License-Identifier: MIT
// Same seed, same numbers: every step's loss of a digits CNN (dropout and batch norm) is the
// same run after run at 2 threads, with another run training beside it, in a sweep of parallel
// trials, and after an interrupted run is resumed. And a diverging run stops, failed, at the
// step its loss stopped being finite.

#include "jobs/job_feedback.h"
#include "jobs/job_manager.h"
#include "store/metric_reader.h"
#include "store/project_file.h"
#include "store/run_repository.h"
#include "data/dataset_catalog.h"
#include "model/model_catalog.h"
#include "train/sweep_runner.h"
#include "train/train_job.h"
#include "train/training_session.h"

#include "temp_project_test.h"
#include "test_support.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>

using namespace mlwb;
using namespace mlwb::test;

namespace {

// Bit-for-bit: EXPECT_EQ on doubles would call two NaNs different and -0 equal to 0.
bool sameBits(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

} // namespace

class ReproducibilityTest : public TempProjectTest {
protected:
    void SetUp() override
    {
        TempProjectTest::SetUp();
        if (HasFatalFailure())
            return;
        ImportOptions digits;
        digits.target = QStringLiteral("digit");
        digits.imageShape = std::array<int, 3>{1, 8, 8};
        auto id = DatasetCatalog(m_project->db())
                      .importCsv(datasetPath(QStringLiteral("digits.csv")), QStringLiteral("digits"),
                                 digits);
        ASSERT_TRUE(id.ok()) << qPrintable(id.error());
        for (const char *kind : {"cnn", "mlp"}) {
            auto m = ModelCatalog(m_project->db())
                         .createFromTemplate(QString::fromLatin1(kind), QStringLiteral("digits"),
                                             QString::fromLatin1(kind));
            ASSERT_TRUE(m.ok()) << qPrintable(m.error());
        }
    }

    TrainRequest request(const QString &model, int epochs, int threads, double lr = 1e-3)
    {
        TrainRequest r;
        r.modelName = model;
        r.config.epochs = epochs;
        r.config.threads = threads;
        r.config.learningRate = lr;
        r.config.seed = 7;
        r.ownerLease = m_project->leaseId();
        return r;
    }

    TrainResult train(const TrainRequest &r)
    {
        auto result = TrainingSession::run(m_path, r, nullptr);
        EXPECT_TRUE(result.ok()) << qPrintable(result.error());
        EXPECT_EQ(result.ok() ? result->status : RunStatus::Failed, RunStatus::Finished)
            << qPrintable(result.ok() ? result->message : result.error());
        return result.ok() ? *result : TrainResult{};
    }

    std::vector<MetricPoint> series(qint64 run, const QString &key)
    {
        MetricReader reader(m_project->db());
        auto s = reader.series(run, key);
        EXPECT_TRUE(s.ok());
        return s.ok() ? *s : std::vector<MetricPoint>{};
    }

    // Every step's loss and every epoch's validation loss, bit for bit.
    void expectSameSeries(qint64 a, qint64 b)
    {
        for (const QString key : {QStringLiteral("loss"), QStringLiteral("val_loss"),
                                  QStringLiteral("val_accuracy")}) {
            SCOPED_TRACE(qPrintable(QStringLiteral("runs %1 and %2, %3").arg(a).arg(b).arg(key)));
            const auto x = series(a, key), y = series(b, key);
            ASSERT_FALSE(x.empty());
            ASSERT_EQ(x.size(), y.size());
            int differing = 0;
            for (size_t i = 0; i < x.size(); ++i) {
                EXPECT_EQ(x[i].step, y[i].step);
                if (!sameBits(x[i].value, y[i].value) && differing++ < 3)
                    ADD_FAILURE() << "step " << x[i].step << ": " << x[i].value << " vs "
                                  << y[i].value;
            }
            EXPECT_EQ(differing, 0);
        }
    }
};

TEST_F(ReproducibilityTest, TwoThreadCnnRunRepeatsEveryStep)
{
    const TrainResult a = train(request(QStringLiteral("cnn"), 2, 2));
    const TrainResult b = train(request(QStringLiteral("cnn"), 2, 2));
    expectSameSeries(a.runId, b.runId);
    EXPECT_GT(series(a.runId, QStringLiteral("loss")).size(), 30u);
}

// The workbench trains two jobs at once on worker threads: each must get the numbers it gets
// alone, although libtorch's dropout draws from one process-wide generator.
TEST_F(ReproducibilityTest, RunsSideBySideMatchRunsOneAfterTheOther)
{
    const TrainRequest cnn = request(QStringLiteral("cnn"), 2, 1);
    const TrainRequest mlp = request(QStringLiteral("mlp"), 3, 1, 2e-3);
    const TrainResult cnnAlone = train(cnn);
    const TrainResult mlpAlone = train(mlp);
    // Both at once through the JobManager, as the workbench's Train submits them.
    JobManager jobs(2);
    std::atomic<qint64> cnnBeside = 0, mlpBeside = 0;
    auto cnnJob = std::make_unique<TrainJob>(m_path, cnn);
    cnnJob->onRunCreated = [&](qint64 id) { cnnBeside = id; };
    auto mlpJob = std::make_unique<TrainJob>(m_path, mlp);
    mlpJob->onRunCreated = [&](qint64 id) { mlpBeside = id; };
    int succeeded = 0;
    jobs.submit(std::move(cnnJob), [&](const Status &s) { succeeded += s.ok(); });
    jobs.submit(std::move(mlpJob), [&](const Status &s) { succeeded += s.ok(); });
    ASSERT_TRUE(jobs.waitForAll(600000));
    EXPECT_EQ(succeeded, 2);
    ASSERT_NE(cnnBeside.load(), 0);
    ASSERT_NE(mlpBeside.load(), 0);
    RunRepository runs(m_project->db());
    for (qint64 id : {cnnBeside.load(), mlpBeside.load()}) {
        auto r = runs.get(id);
        ASSERT_TRUE(r.ok());
        EXPECT_EQ(r->status, RunStatus::Finished) << qPrintable(r->message);
    }
    expectSameSeries(cnnAlone.runId, cnnBeside);
    expectSameSeries(mlpAlone.runId, mlpBeside);
    EXPECT_EQ(cnnAlone.summary.value(QStringLiteral("test_accuracy")),
              runs.get(cnnBeside)->summary.value(QStringLiteral("test_accuracy")));
}

TEST_F(ReproducibilityTest, SweepTrialsMatchWhetherRunInParallelOrNot)
{
    QList<SweepResult> results;
    for (int parallel : {1, 2}) {
        SweepRequest r;
        r.modelName = QStringLiteral("cnn");
        r.base.epochs = 2;
        r.base.threads = 1;
        r.base.seed = 7;
        r.spec.strategy = QStringLiteral("grid");
        auto lr = SweepParameter::parse(QStringLiteral("lr=0.001,0.002"));
        ASSERT_TRUE(lr.ok());
        r.spec.parameters.push_back(*lr);
        r.spec.parallel = parallel;
        r.ownerLease = m_project->leaseId();
        auto s = SweepRunner::run(m_path, r, nullptr, {});
        ASSERT_TRUE(s.ok()) << qPrintable(s.error());
        ASSERT_TRUE(s->allFinished());
        results << *s;
    }
    ASSERT_EQ(results[0].trials.size(), 2);
    ASSERT_EQ(results[1].trials.size(), 2);
    for (int t = 0; t < 2; ++t)
        expectSameSeries(results[0].trials[t].runId, results[1].trials[t].runId);
}

TEST_F(ReproducibilityTest, ResumedRunEndsLikeAnUninterruptedOne)
{
    const TrainRequest whole = request(QStringLiteral("mlp"), 8, 1);
    const TrainResult reference = train(whole);

    JobFeedback feedback;
    Result<TrainResult> first = Error{QString()};
    std::thread worker([&] { first = TrainingSession::run(m_path, whole, &feedback); });
    // Interrupt within the fourth epoch: three checkpoints are written by then.
    while (feedback.progress() < 3.2 / 8)
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    feedback.cancel();
    worker.join();
    ASSERT_TRUE(first.ok()) << qPrintable(first.error());
    ASSERT_EQ(first->status, RunStatus::Interrupted)
        << "the run ended before it was interrupted: " << qPrintable(first->message);
    ASSERT_GE(first->summary.value(QStringLiteral("epochs_run")).toInt(), 3);

    TrainRequest resume;
    resume.resumeRunId = first->runId;
    resume.ownerLease = m_project->leaseId();
    const TrainResult resumed = train(resume);
    expectSameSeries(reference.runId, resumed.runId);
    for (const char *key : {"test_accuracy", "test_log_loss", "val_accuracy", "train_loss"})
        EXPECT_EQ(reference.summary.value(QString::fromLatin1(key)),
                  resumed.summary.value(QString::fromLatin1(key)))
            << key;
}

TEST_F(ReproducibilityTest, DivergingLossStopsTheRunFailed)
{
    TrainRequest r = request(QStringLiteral("mlp"), 5, 1, 1e30);
    r.config.optimizer = QStringLiteral("sgd");
    auto result = TrainingSession::run(m_path, r, nullptr);
    ASSERT_TRUE(result.ok()) << qPrintable(result.error());
    EXPECT_EQ(result->status, RunStatus::Failed);
    EXPECT_TRUE(result->message.contains(QStringLiteral("lower the learning rate or set grad_clip")))
        << qPrintable(result->message);
    const auto loss = series(result->runId, QStringLiteral("loss"));
    ASSERT_FALSE(loss.empty());
    EXPECT_FALSE(std::isfinite(loss.back().value)) << "the point that diverged is stored";
    for (size_t i = 0; i + 1 < loss.size(); ++i)
        EXPECT_TRUE(std::isfinite(loss[i].value)) << "step " << loss[i].step;
    const QString expected = QStringLiteral("loss became %1 at step %2 (epoch 1)")
                                 .arg(std::isnan(loss.back().value) ? QStringLiteral("NaN")
                                                                    : QStringLiteral("inf"))
                                 .arg(loss.back().step);
    EXPECT_TRUE(result->message.startsWith(expected)) << qPrintable(result->message);
    RunRepository runs(m_project->db());
    auto stored = runs.get(result->runId);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->status, RunStatus::Failed);
    EXPECT_EQ(stored->message, result->message);

    // on_nonfinite=continue trains every epoch, and the NaN points read back as NaN, not 0.
    // The evaluation then refuses the model's NaN outputs, so the run still ends failed.
    ASSERT_TRUE(r.config.set(QStringLiteral("on_nonfinite"), QStringLiteral("continue")).ok());
    r.config.epochs = 2;
    auto kept = TrainingSession::run(m_path, r, nullptr);
    ASSERT_TRUE(kept.ok()) << qPrintable(kept.error());
    EXPECT_EQ(kept->status, RunStatus::Failed);
    EXPECT_TRUE(kept->message.contains(QStringLiteral("nan"))) << qPrintable(kept->message);
    EXPECT_EQ(series(kept->runId, QStringLiteral("epoch")).size(), 2u) << "both epochs trained";
    const auto all = series(kept->runId, QStringLiteral("loss"));
    ASSERT_FALSE(all.empty());
    EXPECT_TRUE(std::isnan(all.back().value));
    EXPECT_TRUE(std::isnan(kept->summary.value(QStringLiteral("train_loss")).toDouble(0)));
    auto keptStored = runs.get(kept->runId);
    ASSERT_TRUE(keptStored.ok());
    EXPECT_TRUE(std::isnan(keptStored->summary.value(QStringLiteral("train_loss")).toDouble(0)))
        << "the stored summary keeps NaN (QJsonDocument alone would write null, read as 0)";
}
