// SPDX-License-Identifier: MIT
// Hyperparameter sweeps: the spec's compact and JSON forms and their errors, grid and seeded
// random expansion, and sweeps run on iris (parallel trials grouped under the sweep, the best
// trial by the metric, cancel).

#include "eval/metric_direction.h"
#include "jobs/job_feedback.h"
#include "store/project_file.h"
#include "store/run_repository.h"
#include "store/dataset_repository.h"
#include "store/model_repository.h"
#include "store/sweep_repository.h"
#include "data/dataset_catalog.h"
#include "model/model_catalog.h"
#include "jobs/job_manager.h"
#include "train/sweep_group.h"
#include "train/sweep_job.h"
#include "train/sweep_runner.h"

#include "temp_project_test.h"
#include "test_support.h"

#include <QRegularExpression>
#include <QSet>
#include <QThread>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <set>
#include <thread>

using namespace mlwb;
using namespace mlwb::test;

namespace {

SweepParameter param(const QString &text)
{
    auto p = SweepParameter::parse(text);
    EXPECT_TRUE(p.ok()) << qPrintable(text) << ": " << qPrintable(p.error());
    return p.ok() ? *p : SweepParameter{};
}

QString parseError(const QString &text)
{
    auto p = SweepParameter::parse(text);
    EXPECT_FALSE(p.ok()) << qPrintable(text) << " was accepted";
    return p.ok() ? QString() : p.error();
}

SweepSpec spec(const QString &strategy, const QStringList &params)
{
    SweepSpec s;
    s.strategy = strategy;
    for (const QString &p : params)
        s.parameters.push_back(param(p));
    return s;
}

} // namespace

TEST(SweepSpecTest, ParsesTheCompactForms)
{
    const SweepParameter list = param(QStringLiteral("lr=0.001, 0.01,0.1"));
    EXPECT_EQ(list.key, QStringLiteral("lr"));
    EXPECT_EQ(list.kind, SweepParameter::Kind::Values);
    EXPECT_EQ(list.values, (QStringList{QStringLiteral("0.001"), QStringLiteral("0.01"),
                                        QStringLiteral("0.1")}));

    const SweepParameter log = param(QStringLiteral("lr=log:1e-4:1e-1"));
    EXPECT_EQ(log.kind, SweepParameter::Kind::LogUniform);
    EXPECT_DOUBLE_EQ(log.min, 1e-4);
    EXPECT_DOUBLE_EQ(log.max, 0.1);
    EXPECT_EQ(log.toText().toStdString(), "lr=log:0.0001:0.1");

    const SweepParameter ints = param(QStringLiteral("batch_size=int:16:128"));
    EXPECT_EQ(ints.kind, SweepParameter::Kind::IntRange);
    EXPECT_EQ(ints.toText().toStdString(), "batch_size=int:16:128");

    EXPECT_EQ(param(QStringLiteral("momentum=uniform:0.8:0.99")).kind,
              SweepParameter::Kind::Uniform);
    EXPECT_EQ(param(QStringLiteral("optimizer=sgd,adamw")).values.size(), 2);

    // The JSON form round-trips.
    SweepSpec s = spec(QStringLiteral("random"), {QStringLiteral("lr=log:1e-4:1e-1"),
                                                  QStringLiteral("batch_size=int:16:128"),
                                                  QStringLiteral("optimizer=sgd,adam")});
    s.trials = 5;
    s.seed = 9;
    s.metric = QStringLiteral("val_loss");
    s.parallel = 2;
    auto back = SweepSpec::fromJson(s.toJson());
    ASSERT_TRUE(back.ok()) << qPrintable(back.error());
    EXPECT_EQ(back->toJson(), s.toJson());
    EXPECT_EQ(*back->expand(), *s.expand());
}

TEST(SweepSpecTest, RejectsBadParametersNamingThem)
{
    EXPECT_TRUE(parseError(QStringLiteral("dropout=0.1,0.5"))
                    .contains(QStringLiteral("unknown hyperparameter \"dropout\"")));
    EXPECT_TRUE(parseError(QStringLiteral("lr")).contains(QStringLiteral("expected key=values")));
    EXPECT_TRUE(parseError(QStringLiteral("lr=0.1,abc"))
                    .contains(QStringLiteral("lr: expected a number, got \"abc\"")));
    EXPECT_TRUE(parseError(QStringLiteral("optimizer=sgd,rmsprop"))
                    .contains(QStringLiteral("optimizer: expected one of")));
    EXPECT_TRUE(parseError(QStringLiteral("lr=0.1,0.1")).contains(QStringLiteral("listed twice")));
    EXPECT_TRUE(
        parseError(QStringLiteral("lr=0.1,,0.2")).contains(QStringLiteral("lr: empty value")));
    EXPECT_TRUE(parseError(QStringLiteral("lr=log:0:0.1"))
                    .contains(QStringLiteral("lr: a log range needs MIN > 0")));
    EXPECT_TRUE(parseError(QStringLiteral("lr=log:1e-4"))
                    .contains(QStringLiteral("lr: expected log:MIN:MAX")));
    EXPECT_TRUE(
        parseError(QStringLiteral("lr=uniform:0.5:0.1")).contains(QStringLiteral("MIN <= MAX")));
    EXPECT_TRUE(parseError(QStringLiteral("batch_size=int:1.5:8"))
                    .contains(QStringLiteral("batch_size: int:MIN:MAX needs integers")));
    EXPECT_TRUE(parseError(QStringLiteral("batch_size=uniform:16:128"))
                    .contains(QStringLiteral("batch_size: not a real-valued")));

    auto error = [](const SweepSpec &s) {
        const Status st = s.validate();
        EXPECT_FALSE(st.ok());
        return st.ok() ? QString() : st.error();
    };
    EXPECT_TRUE(error(spec(QStringLiteral("grid"), {})).contains(QStringLiteral("at least one")));
    EXPECT_TRUE(error(spec(QStringLiteral("grid"), {QStringLiteral("lr=log:1e-4:1e-1")}))
                    .contains(QStringLiteral("lr: log:0.0001:0.1 is a continuous range")));
    EXPECT_TRUE(
        error(spec(QStringLiteral("grid"), {QStringLiteral("lr=0.1"), QStringLiteral("lr=0.2")}))
            .contains(QStringLiteral("lr: swept twice")));
    EXPECT_TRUE(error(spec(QStringLiteral("grid"), {QStringLiteral("batch_size=int:1:100"),
                                                    QStringLiteral("epochs=int:1:11")}))
                    .contains(QStringLiteral("more than 1000 trials")));
    EXPECT_TRUE(error(spec(QStringLiteral("bayes"), {QStringLiteral("lr=0.1")}))
                    .contains(QStringLiteral("strategy")));
    SweepSpec noTrials = spec(QStringLiteral("random"), {QStringLiteral("lr=0.1")});
    noTrials.trials = 0;
    EXPECT_TRUE(error(noTrials).contains(QStringLiteral("trials:")));
    SweepSpec noParallel = spec(QStringLiteral("grid"), {QStringLiteral("lr=0.1")});
    noParallel.parallel = 0;
    EXPECT_TRUE(error(noParallel).contains(QStringLiteral("parallel:")));

    auto unknown = SweepSpec::fromJson({{QStringLiteral("strategy"), QStringLiteral("grid")},
                                        {QStringLiteral("parallelism"), 2}});
    ASSERT_FALSE(unknown.ok());
    EXPECT_TRUE(unknown.error().contains(QStringLiteral("\"parallelism\"")));
}

TEST(SweepSpecTest, GridIsTheCartesianProductLastParameterFastest)
{
    const SweepSpec s = spec(QStringLiteral("grid"), {QStringLiteral("optimizer=sgd,adam,adamw"),
                                                      QStringLiteral("batch_size=int:16:17")});
    ASSERT_EQ(*s.trialCount(), 6);
    auto trials = s.expand();
    ASSERT_TRUE(trials.ok()) << qPrintable(trials.error());
    QStringList described;
    for (const SweepOverrides &t : *trials)
        described << s.describe(t);
    EXPECT_EQ(described, (QStringList{
                             QStringLiteral("optimizer=sgd batch_size=16"),
                             QStringLiteral("optimizer=sgd batch_size=17"),
                             QStringLiteral("optimizer=adam batch_size=16"),
                             QStringLiteral("optimizer=adam batch_size=17"),
                             QStringLiteral("optimizer=adamw batch_size=16"),
                             QStringLiteral("optimizer=adamw batch_size=17"),
                         }));
    // Exactly at the limit is fine.
    EXPECT_EQ(*spec(QStringLiteral("grid"), {QStringLiteral("batch_size=int:1:100"),
                                             QStringLiteral("epochs=int:1:10")})
                   .trialCount(),
              1000);
}

TEST(SweepSpecTest, RandomIsSeededAndStaysInItsRanges)
{
    SweepSpec s = spec(QStringLiteral("random"), {QStringLiteral("lr=log:1e-4:1e-1"),
                                                  QStringLiteral("momentum=uniform:0.8:0.99"),
                                                  QStringLiteral("batch_size=int:16:128"),
                                                  QStringLiteral("optimizer=sgd,adam,adamw")});
    s.trials = 300;
    s.seed = 7;
    auto a = s.expand();
    auto b = s.expand();
    ASSERT_TRUE(a.ok()) << qPrintable(a.error());
    ASSERT_EQ(a->size(), 300);
    EXPECT_EQ(*a, *b);
    // Pinned: the sampler is our own arithmetic on mt19937_64, the same on every platform.
    EXPECT_EQ(s.describe(a->first()).toStdString(),
              "lr=0.0183297 momentum=0.980367 batch_size=89 optimizer=sgd");

    s.seed = 8;
    EXPECT_NE(*s.expand(), *a);

    int decades[3] = {0, 0, 0};
    QSet<QString> optimizers;
    int smallBatch = 0;
    for (const SweepOverrides &t : *a) {
        const double lr = t.value(QStringLiteral("lr")).toDouble();
        ASSERT_GE(lr, 1e-4);
        ASSERT_LE(lr, 1e-1);
        ++decades[std::clamp(int(std::floor(std::log10(lr) + 4)), 0, 2)];
        const double m = t.value(QStringLiteral("momentum")).toDouble();
        ASSERT_GE(m, 0.8);
        ASSERT_LE(m, 0.99);
        bool isInt = false;
        const int bs = t.value(QStringLiteral("batch_size")).toInt(&isInt);
        ASSERT_TRUE(isInt);
        ASSERT_GE(bs, 16);
        ASSERT_LE(bs, 128);
        smallBatch += bs < 72;
        optimizers.insert(t.value(QStringLiteral("optimizer")));
    }
    // Log-uniform: each decade gets about a third, not the top one nearly all.
    for (int d : decades)
        EXPECT_GT(d, 60) << decades[0] << " " << decades[1] << " " << decades[2];
    EXPECT_GT(smallBatch, 100);
    EXPECT_LT(smallBatch, 200);
    EXPECT_EQ(optimizers.size(), 3);
}

TEST(SweepSpecTest, TrialConfigsShareTheCoresAndNameTheBadTrial)
{
    SweepRequest request;
    request.spec = spec(QStringLiteral("grid"), {QStringLiteral("lr=0.01,0.1")});
    request.spec.parallel = 2;
    auto configs = SweepRunner::trialConfigs(request, *request.spec.expand());
    ASSERT_TRUE(configs.ok()) << qPrintable(configs.error());
    EXPECT_DOUBLE_EQ(configs->at(1).learningRate, 0.1);
    EXPECT_EQ(configs->at(0).seed, request.base.seed) << "the base seed unless the sweep varies it";
    EXPECT_EQ(configs->at(0).threads, std::max(1, QThread::idealThreadCount() / 2));

    request.base.threads = 3;
    EXPECT_EQ(SweepRunner::trialConfigs(request, *request.spec.expand())->at(0).threads, 3)
        << "the user's threads win";

    request.spec = spec(QStringLiteral("grid"), {QStringLiteral("lr=0.01,-1")});
    auto bad = SweepRunner::trialConfigs(request, *request.spec.expand());
    ASSERT_FALSE(bad.ok());
    EXPECT_TRUE(bad.error().contains(QStringLiteral("trial 2 (lr=-1): lr: must be positive")))
        << qPrintable(bad.error());
}

class SweepRunnerTest : public TempProjectTest {
protected:
    void SetUp() override
    {
        TempProjectTest::SetUp();
        if (HasFatalFailure())
            return;
        ImportOptions options;
        options.target = QStringLiteral("species");
        auto id = DatasetCatalog(m_project->db())
                      .importCsv(datasetPath(QStringLiteral("iris.csv")), QStringLiteral("iris"),
                                 options);
        ASSERT_TRUE(id.ok()) << qPrintable(id.error());
        auto m = ModelCatalog(m_project->db())
                     .createFromTemplate(QStringLiteral("mlp"), QStringLiteral("iris"),
                                         QStringLiteral("mlp"));
        ASSERT_TRUE(m.ok()) << qPrintable(m.error());
    }

    SweepRequest request(int epochs, const QStringList &params)
    {
        SweepRequest r;
        r.modelName = QStringLiteral("mlp");
        r.base.epochs = epochs;
        r.base.threads = 1;
        r.spec = spec(QStringLiteral("grid"), params);
        r.ownerLease = m_project->leaseId();
        return r;
    }
};

TEST_F(SweepRunnerTest, GridRunsTrialsSideBySideGroupedUnderTheSweep)
{
    SweepRequest req =
        request(3, {QStringLiteral("lr=0.001,0.05"), QStringLiteral("batch_size=16,32")});
    req.spec.parallel = 2;
    req.spec.metric = QStringLiteral("val_accuracy");
    JobFeedback feedback;
    std::atomic<int> finishedCalls = 0;
    qint64 createdId = 0;
    SweepRunner::Hooks hooks;
    hooks.sweepCreated = [&](qint64 id) { createdId = id; };
    std::set<std::thread::id> trialThreads; // trialFinished is called one at a time
    hooks.trialFinished = [&](const SweepTrial &) {
        ++finishedCalls;
        trialThreads.insert(std::this_thread::get_id());
    };
    auto r = SweepRunner::run(m_path, req, &feedback, hooks);
    ASSERT_TRUE(r.ok()) << qPrintable(r.error());
    EXPECT_EQ(r->sweepId, createdId);
    EXPECT_EQ(finishedCalls.load(), 4);
    EXPECT_DOUBLE_EQ(feedback.progress(), 1.0);
    ASSERT_EQ(r->trials.size(), 4);
    EXPECT_TRUE(r->allFinished());
    EXPECT_EQ(r->spec.describe(r->trials[1].params), QStringLiteral("lr=0.001 batch_size=32"));

    RunRepository runs(m_project->db());
    auto grouped = runs.listForSweep(r->sweepId);
    ASSERT_TRUE(grouped.ok());
    ASSERT_EQ(grouped->size(), 4);
    QSet<QString> names;
    static const QRegularExpression trialSuffix(QStringLiteral(" lr=.*$"));
    for (const RunRecord &run : *grouped) {
        EXPECT_EQ(run.status, RunStatus::Finished) << qPrintable(run.message);
        EXPECT_EQ(run.sweepId, r->sweepId);
        EXPECT_EQ(run.hyperparams.value(QStringLiteral("epochs")).toInt(), 3);
        EXPECT_EQ(run.hyperparams.value(QStringLiteral("threads")).toInt(), 1);
        EXPECT_EQ(run.hyperparams.value(QStringLiteral("seed")).toInteger(), 42);
        names.insert(QString(run.name).remove(trialSuffix));
    }
    EXPECT_EQ(names, (QSet<QString>{QStringLiteral("trial 1"), QStringLiteral("trial 2"),
                                    QStringLiteral("trial 3"), QStringLiteral("trial 4")}));
    for (const SweepTrial &t : r->trials) {
        auto run = runs.get(t.runId);
        ASSERT_TRUE(run.ok());
        EXPECT_EQ(run->name, QStringLiteral("trial %1 %2").arg(t.index).arg(r->spec.describe(t.params)))
            << "a trial's run says what it tries";
        EXPECT_DOUBLE_EQ(run->hyperparams.value(QStringLiteral("lr")).toDouble(),
                         t.params.value(QStringLiteral("lr")).toDouble());
        EXPECT_EQ(run->hyperparams.value(QStringLiteral("batch_size")).toInt(),
                  t.params.value(QStringLiteral("batch_size")).toInt());
    }
    // Two workers trained the trials: each reported from its own thread. (Not compared by
    // timestamps: whether the two overlapped in time is the scheduler's business.)
    EXPECT_EQ(trialThreads.size(), 2u);

    // The best is the highest val_accuracy, the earlier trial on a tie.
    int best = -1;
    double bestValue = std::nan("");
    for (int i = 0; i < r->trials.size(); ++i) {
        auto run = runs.get(r->trials[i].runId);
        const double v = run->summary.value(QStringLiteral("val_accuracy")).toDouble(std::nan(""));
        EXPECT_FALSE(std::isnan(v));
        EXPECT_DOUBLE_EQ(r->trials[i].metric, v);
        if (std::isnan(bestValue) || v > bestValue) {
            bestValue = v;
            best = i;
        }
    }
    EXPECT_EQ(r->best, best);
    ASSERT_NE(r->bestTrial(), nullptr);
    EXPECT_EQ(r->ranked().first().runId, r->bestTrial()->runId);
    for (const SweepTrial &t : r->ranked())
        EXPECT_LE(t.metric, bestValue);

    SweepRepository sweeps(m_project->db());
    auto record = sweeps.get(r->sweepId);
    ASSERT_TRUE(record.ok());
    EXPECT_EQ(record->strategy, QStringLiteral("grid"));
    EXPECT_EQ(record->name, QStringLiteral("mlp grid sweep"));
    EXPECT_EQ(record->modelName, QStringLiteral("mlp"));
    EXPECT_EQ(record->runCount, 4);
    auto loaded = SweepRunner::load(m_project->db(), r->sweepId);
    ASSERT_TRUE(loaded.ok()) << qPrintable(loaded.error());
    EXPECT_EQ(loaded->best, r->best);
    EXPECT_EQ(loaded->metric, QStringLiteral("val_accuracy"));
    EXPECT_EQ(loaded->trials[1].params, r->trials[1].params);
}

// A sweep read back from the file knows each trial by its run's name ("trial 2 lr=0.01"), not
// by the order the runs were created in (trials that run side by side start in any order).
TEST_F(SweepRunnerTest, LoadKnowsTrialsByTheirRunsNames)
{
    auto model = ModelRepository(m_project->db()).byName(QStringLiteral("mlp"));
    ASSERT_OK(model);
    auto version = ModelRepository(m_project->db()).latestVersion(model->id);
    ASSERT_OK(version);
    auto dataset = DatasetRepository(m_project->db()).byName(QStringLiteral("iris"));
    ASSERT_OK(dataset);
    SweepRecord sweep;
    sweep.name = QStringLiteral("side by side");
    sweep.modelId = model->id;
    sweep.strategy = QStringLiteral("grid");
    sweep.spec = spec(QStringLiteral("grid"), {QStringLiteral("lr=0.001,0.01")}).toJson();
    auto sweepId = SweepRepository(m_project->db()).create(sweep);
    ASSERT_OK(sweepId);
    QList<qint64> ids;
    for (const char *name : {"trial 2 lr=0.01", "trial 1 lr=0.001"}) { // the second trial started first
        RunRecord r;
        r.modelVersionId = version->id;
        r.datasetId = dataset->id;
        r.sweepId = *sweepId;
        r.name = QString::fromLatin1(name);
        auto id = RunRepository(m_project->db()).create(r);
        ASSERT_OK(id);
        ids << *id;
    }
    auto loaded = SweepRunner::load(m_project->db(), *sweepId);
    ASSERT_OK(loaded);
    ASSERT_EQ(loaded->trials.size(), 2);
    EXPECT_EQ(loaded->trials[0].index, 1);
    EXPECT_EQ(loaded->trials[0].runId, ids[1]);
    EXPECT_EQ(loaded->trials[1].index, 2);
    EXPECT_EQ(loaded->trials[1].runId, ids[0]);
}

TEST_F(SweepRunnerTest, DefaultMetricByTaskAndBadRequestsWriteNothing)
{
    SweepRequest req = request(2, {QStringLiteral("lr=0.01")});
    req.name = QStringLiteral("one");
    auto r = SweepRunner::run(m_path, req, nullptr);
    ASSERT_TRUE(r.ok()) << qPrintable(r.error());
    EXPECT_EQ(r->metric, QStringLiteral("val_accuracy")) << "iris is a classification";
    EXPECT_EQ(r->best, 0);

    req.modelName = QStringLiteral("nope");
    auto noModel = SweepRunner::run(m_path, req, nullptr);
    ASSERT_FALSE(noModel.ok());
    EXPECT_TRUE(noModel.error().contains(QStringLiteral("nope"))) << qPrintable(noModel.error());
    req = request(2, {QStringLiteral("lr=0.01,-1")});
    auto badTrial = SweepRunner::run(m_path, req, nullptr);
    ASSERT_FALSE(badTrial.ok());
    EXPECT_TRUE(badTrial.error().contains(QStringLiteral("trial 2")));
    EXPECT_EQ(SweepRepository(m_project->db()).list()->size(), 1);
}

TEST_F(SweepRunnerTest, CancelInterruptsRunningTrialsAndStartsNoMore)
{
    SweepRequest req = request(300, {QStringLiteral("lr=0.001,0.002,0.003,0.004,0.005,0.006")});
    req.spec.parallel = 2;
    JobFeedback feedback;
    SweepJob job(m_path, req);
    Status status;
    std::thread worker([&] { status = job.run(feedback); });
    // Cancel once both running trials are training.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (feedback.progress() < 0.02 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    feedback.cancel();
    worker.join();
    // A job that stopped for a cancel says so (the Jobs pane shows it canceled, not finished).
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.kind(), ErrorKind::Cancelled) << qPrintable(status.error());
    EXPECT_TRUE(status.error().contains(QStringLiteral("stopped after"))) << qPrintable(status.error());
    EXPECT_GT(job.sweepId(), 0);
    const SweepResult &r = job.result();
    ASSERT_EQ(r.trials.size(), 6);
    EXPECT_FALSE(r.allFinished());
    int interrupted = 0;
    for (const SweepTrial &t : r.trials) {
        if (t.runId) {
            EXPECT_EQ(t.status, RunStatus::Interrupted) << qPrintable(t.message);
            ++interrupted;
        } else {
            EXPECT_EQ(t.status, RunStatus::Queued);
        }
    }
    EXPECT_EQ(interrupted, 2) << "the two running trials";
    EXPECT_EQ(r.trials[5].status, RunStatus::Queued);
    auto grouped = RunRepository(m_project->db()).listForSweep(r.sweepId);
    ASSERT_TRUE(grouped.ok());
    EXPECT_EQ(grouped->size(), 2);
    EXPECT_EQ(r.best, -1) << "an interrupted trial is never the best";
}

TEST_F(SweepRunnerTest, AGroupRunsTheTrialsAsJobsWithinTheManagersLimit)
{
    SweepRequest req = request(3, {QStringLiteral("lr=0.01,0.02,0.05")});
    req.spec.parallel = 3; // the manager's limit wins: it runs everything, sweeps included
    JobManager jobs(2);
    std::optional<Result<SweepResult>> done;
    qint64 created = 0;
    const int group = SweepGroup::submit(
        jobs, m_path, req, [&](const Result<SweepResult> &r) { done = r; }, [&](qint64 id) { created = id; });
    ASSERT_TRUE(jobs.waitForAll(300000));
    ASSERT_TRUE(done.has_value());
    ASSERT_OK(*done);
    const SweepResult &r = **done;
    EXPECT_EQ(r.sweepId, created);
    ASSERT_EQ(r.trials.size(), 3);
    EXPECT_TRUE(r.allFinished());
    EXPECT_GE(r.best, 0);

    const JobState g = jobs.job(group);
    EXPECT_TRUE(g.isGroup);
    EXPECT_EQ(g.status, JobState::Status::Finished);
    EXPECT_EQ(g.children, 4) << "the plan and three trials";
    EXPECT_EQ(g.subject, (ItemRef{ItemKind::Sweep, created}));
    int trials = 0;
    for (const JobState &j : jobs.jobs()) {
        if (j.group != group)
            continue;
        EXPECT_EQ(j.status, JobState::Status::Finished) << qPrintable(j.title) << " " << qPrintable(j.error);
        if (j.subject.kind != ItemKind::Run)
            continue;
        ++trials;
        // Each names its run, and once ended says how it ended (not the last phase, "evaluating").
        EXPECT_TRUE(j.title.startsWith(QStringLiteral("Train mlp: trial "))) << qPrintable(j.title);
        EXPECT_TRUE(j.message.startsWith(QStringLiteral("finished, test_accuracy "))) << qPrintable(j.message);
    }
    EXPECT_EQ(trials, 3);
    // The same as the file says.
    auto stored = SweepRunner::load(m_project->db(), created);
    ASSERT_OK(stored);
    EXPECT_EQ(stored->best, r.best);

    // A request that cannot run fails the group with the reason and writes no sweep.
    SweepRequest bad = request(2, {QStringLiteral("lr=0.01")});
    bad.modelName = QStringLiteral("nope");
    done.reset();
    SweepGroup::submit(jobs, m_path, bad, [&](const Result<SweepResult> &r) { done = r; });
    ASSERT_TRUE(jobs.waitForAll(60000));
    ASSERT_TRUE(done.has_value());
    ASSERT_FALSE(done->ok());
    EXPECT_TRUE(done->error().contains(QStringLiteral("nope"))) << qPrintable(done->error());
    EXPECT_EQ(SweepRepository(m_project->db()).list()->size(), 1);
}
