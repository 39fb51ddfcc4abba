// SPDX-License-Identifier: MIT
#include "train/sweep_runner.h"

#include "store/worker_connection.h"
#include "common/logging.h"
#include "eval/metric_direction.h"
#include "jobs/job_feedback.h"
#include "store/database.h"
#include "store/dataset_repository.h"
#include "store/model_repository.h"
#include "store/sweep_repository.h"
#include "train/training_session.h"

#include <QRegularExpression>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace mlwb {

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(100);

// Finished trials with the metric, best first; then the rest in trial order.
bool ranksBefore(const QString &metric, const SweepTrial &a, const SweepTrial &b)
{
    const bool aRanked = a.status == RunStatus::Finished && !std::isnan(a.metric);
    const bool bRanked = b.status == RunStatus::Finished && !std::isnan(b.metric);
    if (aRanked != bRanked)
        return aRanked;
    if (aRanked && a.metric != b.metric)
        return isImprovement(metric, a.metric, b.metric);
    return a.index < b.index;
}

} // namespace

bool SweepResult::allFinished() const
{
    return std::all_of(trials.begin(), trials.end(),
                       [](const SweepTrial &t) { return t.status == RunStatus::Finished; });
}

QList<SweepTrial> SweepResult::ranked() const
{
    QList<SweepTrial> out = trials;
    std::stable_sort(out.begin(), out.end(), [this](const SweepTrial &a, const SweepTrial &b) {
        return ranksBefore(metric, a, b);
    });
    return out;
}

void SweepRunner::chooseBest(SweepResult &result)
{
    result.metric = result.spec.metric;
    if (result.metric.isEmpty()) {
        // By task: accuracy reads better than a loss where there is one.
        result.metric = QStringLiteral("val_loss");
        for (const SweepTrial &t : result.trials) {
            const QString task = t.summary.value(QStringLiteral("task")).toString();
            if (!task.isEmpty()) {
                if (task == u"classification")
                    result.metric = QStringLiteral("val_accuracy");
                break;
            }
        }
    }
    result.best = -1;
    double best = std::numeric_limits<double>::quiet_NaN();
    for (qsizetype i = 0; i < result.trials.size(); ++i) {
        SweepTrial &t = result.trials[i];
        const QJsonValue v = t.summary.value(result.metric);
        t.metric = v.isDouble() ? v.toDouble() : std::numeric_limits<double>::quiet_NaN();
        // Ties keep the earlier trial.
        if (t.status == RunStatus::Finished && isImprovement(result.metric, t.metric, best)) {
            best = t.metric;
            result.best = int(i);
        }
    }
}

Result<QList<TrainingConfig>> SweepRunner::trialConfigs(const SweepRequest &request,
                                                        const QList<SweepOverrides> &trials)
{
    const int parallel = std::min<int>(request.spec.parallel, std::max<int>(1, int(trials.size())));
    // Trials side by side share the cores instead of each taking all of them.
    const int threads = parallel > 1 && request.base.threads == 0
                            ? std::max(1, QThread::idealThreadCount() / parallel)
                            : request.base.threads;
    QList<TrainingConfig> out;
    for (qsizetype i = 0; i < trials.size(); ++i) {
        TrainingConfig c = request.base;
        c.threads = threads;
        const SweepOverrides &o = trials[i];
        for (const QString &key : request.spec.keys()) {
            if (!o.contains(key))
                continue;
            if (auto s = c.set(key, o.value(key)); !s)
                return fail(QStringLiteral("trial %1 (%2): %3")
                                .arg(i + 1)
                                .arg(request.spec.describe(o), s.error()));
        }
        if (auto s = c.validate(); !s)
            return fail(QStringLiteral("trial %1 (%2): %3")
                            .arg(i + 1)
                            .arg(request.spec.describe(o), s.error()));
        out << c;
    }
    return out;
}

Result<SweepPlan> SweepRunner::prepare(const QString &projectPath, const SweepRequest &request)
{
    auto expanded = request.spec.expand();
    if (!expanded)
        return expanded.failure();
    auto configs = trialConfigs(request, *expanded);
    if (!configs)
        return configs.failure();

    SweepPlan plan;
    SweepResult &result = plan.result;
    result.spec = request.spec;
    result.name = request.name.isEmpty()
                      ? QStringLiteral("%1 %2 sweep").arg(request.modelName, request.spec.strategy)
                      : request.name;
    for (qsizetype i = 0; i < expanded->size(); ++i) {
        SweepTrial t;
        t.index = int(i + 1);
        t.params = expanded->at(i);
        result.trials << t;
    }

    // --- the sweep row (this connection is closed before the trials open theirs) ---
    {
        auto db = WorkerConnection::open(projectPath, WorkerConnection::Access::Write);
        if (!db)
            return db.failure();
        auto model = ModelRepository(*db).byName(request.modelName);
        if (!model)
            return model.failure();
        if (!request.datasetName.isEmpty()) {
            if (auto d = DatasetRepository(*db).byName(request.datasetName); !d)
                return d.failure();
        }
        SweepRecord record;
        record.name = result.name;
        record.modelId = model->id;
        record.strategy = request.spec.strategy;
        record.spec = request.spec.toJson();
        auto id = SweepRepository(*db).create(record);
        if (!id)
            return id.failure();
        result.sweepId = *id;
    }
    for (qsizetype i = 0; i < result.trials.size(); ++i) {
        TrainRequest train;
        train.modelName = request.modelName;
        train.datasetName = request.datasetName;
        train.config = configs->at(i);
        // "trial 2 lr=0.01": which trial, and what it tries.
        train.runName = QStringLiteral("trial %1 %2")
                            .arg(result.trials[i].index)
                            .arg(request.spec.describe(result.trials[i].params))
                            .trimmed();
        train.sweepId = result.sweepId;
        train.ownerLease = request.ownerLease;
        plan.trials << train;
    }
    return plan;
}

Result<SweepResult> SweepRunner::run(const QString &projectPath, const SweepRequest &request,
                                     JobFeedback *feedback, const Hooks &hooks)
{
    auto plan = prepare(projectPath, request);
    if (!plan)
        return plan.failure();
    SweepResult result = plan->result;
    if (hooks.sweepCreated)
        hooks.sweepCreated(result.sweepId);
    qCInfo(lcTrain).noquote() << QStringLiteral("sweep %1: %2 trials, %3 at a time")
                                     .arg(result.sweepId)
                                     .arg(result.trials.size())
                                     .arg(std::min<qsizetype>(request.spec.parallel,
                                                              result.trials.size()));

    // --- the trials ---
    const int total = int(result.trials.size());
    const int workers = std::min(request.spec.parallel, total);
    enum class State : char { Waiting, Running, Done };
    std::vector<State> state(size_t(total), State::Waiting);
    std::vector<std::unique_ptr<JobFeedback>> trialFeedback;
    for (int i = 0; i < total; ++i)
        trialFeedback.push_back(std::make_unique<JobFeedback>());
    std::mutex mutex;
    std::condition_variable wake;
    int next = 0;
    int finished = 0;
    int active = workers;
    bool canceled = false;

    auto work = [&] {
        for (;;) {
            int i = 0;
            SweepTrial trial;
            {
                std::lock_guard lock(mutex);
                if (canceled || next >= total)
                    break;
                i = next++;
                state[size_t(i)] = State::Running;
                trial = result.trials[i];
            }
            if (feedback)
                feedback->setMessage(QStringLiteral("trial %1/%2: %3")
                                         .arg(trial.index)
                                         .arg(total)
                                         .arg(request.spec.describe(trial.params)));
            const TrainRequest &train = plan->trials[i];
            try {
                auto r = TrainingSession::run(projectPath, train, trialFeedback[size_t(i)].get());
                if (r) {
                    trial.runId = r->runId;
                    trial.status = r->status;
                    trial.message = r->message;
                    trial.summary = r->summary;
                } else {
                    trial.status = RunStatus::Failed;
                    trial.message = r.error();
                }
            } catch (const std::exception &e) {
                trial.status = RunStatus::Failed;
                trial.message = QString::fromLocal8Bit(e.what());
            }
            if (trial.status == RunStatus::Failed)
                qCWarning(lcTrain) << "sweep" << result.sweepId << "trial" << trial.index
                                   << "failed:" << trial.message;
            std::lock_guard lock(mutex);
            result.trials[i] = trial;
            state[size_t(i)] = State::Done;
            ++finished;
            if (hooks.trialFinished)
                hooks.trialFinished(trial);
            wake.notify_all();
        }
        std::lock_guard lock(mutex);
        --active;
        wake.notify_all();
    };
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w)
        threads.emplace_back(work);
    {
        std::unique_lock lock(mutex);
        while (active > 0) {
            wake.wait_for(lock, kPollInterval);
            if (feedback && feedback->isCanceled() && !canceled) {
                canceled = true;
                for (auto &f : trialFeedback)
                    f->cancel();
            }
            if (feedback) {
                double done = finished;
                for (int i = 0; i < total; ++i) {
                    if (state[size_t(i)] == State::Running)
                        done += trialFeedback[size_t(i)]->progress();
                }
                feedback->setProgress(done / total);
            }
        }
    }
    for (std::thread &t : threads)
        t.join();

    chooseBest(result);
    if (feedback) {
        const SweepTrial *best = result.bestTrial();
        feedback->setProgress(canceled ? feedback->progress() : 1.0,
                              best ? QStringLiteral("best: run %1 (%2)")
                                         .arg(best->runId)
                                         .arg(request.spec.describe(best->params))
                                   : QStringLiteral("no finished trial"));
    }
    return result;
}

Result<SweepResult> SweepRunner::load(Database &db, qint64 sweepId)
{
    SweepRepository sweeps(db);
    auto record = sweeps.get(sweepId);
    if (!record)
        return record.failure();
    auto spec = SweepSpec::fromJson(record->spec);
    if (!spec)
        return spec.failure().reworded(QStringLiteral("sweep %1: %2").arg(sweepId).arg(spec.error()));
    auto runs = sweeps.runs(sweepId);
    if (!runs)
        return runs.failure();
    SweepResult result;
    result.sweepId = sweepId;
    result.name = record->name;
    result.spec = *spec;
    static const QRegularExpression trialName(QStringLiteral("^trial (\\d+)(?: |$)")); // "trial 2 lr=0.01"
    for (const RunRecord &run : *runs) {
        SweepTrial t;
        const auto m = trialName.match(run.name);
        t.index = m.hasMatch() ? m.captured(1).toInt() : int(result.trials.size() + 1);
        for (const QString &key : spec->keys()) {
            if (run.hyperparams.contains(key))
                t.params.insert(key, SweepParameter::valueText(run.hyperparams.value(key)));
        }
        t.runId = run.id;
        t.status = run.status;
        t.message = run.message;
        t.summary = run.summary;
        result.trials << t;
    }
    std::stable_sort(result.trials.begin(), result.trials.end(),
                     [](const SweepTrial &a, const SweepTrial &b) { return a.index < b.index; });
    chooseBest(result);
    return result;
}

} // namespace mlwb
