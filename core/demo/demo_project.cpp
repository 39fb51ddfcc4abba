// SPDX-License-Identifier: MIT
#include "demo/demo_project.h"

#include "demo/demo_monitoring_history.h"

#include "jobs/job_feedback.h"
#include "store/project_file.h"
#include "store/worker_connection.h"
#include "data/dataset_catalog.h"
#include "model/model_catalog.h"
#include "store/report_repository.h"
#include "demo/demo_tracked_script.h"
#include "store/run_repository.h"
#include "train/sweep_runner.h"
#include "train/training_session.h"
#include "checks/check_config.h"
#include "checks/package_check_job.h"
#include "package/package_catalog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <atomic>
#include <chrono>
#include <exception>
#include <string_view>
#include <thread>

namespace mlwb {

namespace {

struct DemoItem {
    const char *file;
    const char *dataset;
    const char *target;
    bool image;
    const char *model;
    const char *templ;
    int epochs;
    const char *extra; // key=value hyperparameters, comma separated
    const char *runName; // says what the run tries, as a user would name it
};

constexpr DemoItem kItems[] = {
    {"iris.csv", "iris", "species", false, "iris-mlp", "mlp", 60, "batch_size=16",
     "iris-mlp adam lr 1e-3 batch 16"},
    {"digits.csv", "digits", "digit", true, "digits-cnn", "cnn", 8, "schedule=cosine",
     "digits-cnn lr 1e-3 cosine"},
    {"diabetes.csv", "diabetes", "progression", false, "diabetes-linear", "linear", 100,
     "lr=0.01,batch_size=32", "diabetes-linear lr 1e-2 batch 32"},
};

// Runs one long step (a training, the sweep) with a feedback of its own on another thread:
// its progress fills [from, to) of the demo's, and canceling the demo cancels it at once (a
// training stops within an epoch instead of running to its end first).
template <typename Work>
auto runStep(JobFeedback *feedback, double from, double to, Work &&work)
    -> decltype(work(static_cast<JobFeedback *>(nullptr)))
{
    using R = decltype(work(static_cast<JobFeedback *>(nullptr)));
    if (!feedback)
        return work(nullptr);
    JobFeedback own;
    std::atomic<bool> done{false};
    R result = fail(QStringLiteral("the step did not run"));
    std::thread worker([&] {
        try {
            result = work(&own);
        } catch (const std::exception &e) {
            result = fail(QString::fromLocal8Bit(e.what()));
        }
        done.store(true);
    });
    while (!done.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (feedback->isCanceled())
            own.cancel();
        feedback->setProgress(from + (to - from) * own.progress());
    }
    worker.join();
    return result;
}

} // namespace

QString DemoProject::datasetsDir(const QString &buildTreeDir)
{
    const QString installed =
        QCoreApplication::applicationDirPath() + QStringLiteral("/../share/mlwb/datasets");
    for (const QString &candidate : {buildTreeDir, installed}) {
        if (!candidate.isEmpty() && QFile::exists(candidate + QStringLiteral("/iris.csv")))
            return QDir::cleanPath(candidate);
    }
    return buildTreeDir.isEmpty() ? QDir::cleanPath(installed) : buildTreeDir;
}

Status DemoProject::create(const QString &path, const QString &datasetsDir, JobFeedback *feedback)
{
    auto project = ProjectFile::create(path, {false, QStringLiteral("mlwb demo"), 0});
    if (!project)
        return project.failure();
    const int items = int(std::size(kItems));
    qint64 packagedRun = 0; // the iris MLP's run: the demo's checked package
    const int total = items + 2; // progress steps: the items, a sweep, the monitoring history
    for (int i = 0; i < items; ++i) {
        const DemoItem &item = kItems[i];
        if (feedback && feedback->isCanceled())
            return cancelled(QStringLiteral("canceled"));
        ImportOptions options;
        options.target = QString::fromLatin1(item.target);
        if (item.image)
            options.imageShape = std::array<int, 3>{1, 8, 8};
        const QString csv = QDir(datasetsDir).filePath(QString::fromLatin1(item.file));
        DatasetCatalog datasets((*project)->db());
        SplitSpec split;
        if (std::string_view(item.dataset) == "iris")
            split.trainFraction = 0.6, split.validationFraction = 0.2; // 30 test rows, not 22
        if (auto id = datasets.importCsv(csv, QString::fromLatin1(item.dataset), options, split); !id)
            return id.failure();
        ModelCatalog models((*project)->db());
        if (auto id = models.createFromTemplate(QString::fromLatin1(item.model),
                                                QString::fromLatin1(item.dataset),
                                                QString::fromLatin1(item.templ));
            !id)
            return id.failure();
        TrainRequest request;
        request.modelName = QString::fromLatin1(item.model);
        request.runName = QString::fromLatin1(item.runName);
        request.config.epochs = item.epochs;
        request.config.seed = 7;
        for (const QString &kv : QString::fromLatin1(item.extra).split(u',', Qt::SkipEmptyParts)) {
            if (auto s = request.config.set(kv.section(u'=', 0, 0), kv.section(u'=', 1)); !s)
                return s;
        }
        request.ownerLease = (*project)->leaseId();
        if (feedback)
            feedback->setProgress(double(i) / total,
                                  QStringLiteral("training %1").arg(request.modelName));
        auto result = runStep(feedback, double(i) / total, double(i + 1) / total,
                              [&](JobFeedback *f) { return TrainingSession::run(path, request, f); });
        if (!result)
            return result.failure();
        if (feedback && feedback->isCanceled())
            return cancelled(QStringLiteral("canceled"));
        if (result->status != RunStatus::Finished)
            return fail(QStringLiteral("demo run of %1: %2").arg(request.modelName, result->message));
        if (i == 0)
            packagedRun = result->runId;
    }
    // A run that diverges (plain SGD at a learning rate far too high), so the demo shows how a
    // failed run and its non-finite loss look: failed with the step and advice, the chart
    // marked where the loss stopped being finite.
    {
        TrainRequest request;
        request.modelName = QStringLiteral("diabetes-linear");
        request.runName = QStringLiteral("diabetes-linear sgd lr 5 (diverges)");
        request.config.epochs = 5;
        request.config.seed = 7;
        request.config.optimizer = QStringLiteral("sgd");
        request.config.learningRate = 5;
        request.ownerLease = (*project)->leaseId();
        auto result = TrainingSession::run(path, request, nullptr);
        if (!result)
            return result.failure();
        if (result->status != RunStatus::Failed)
            return fail(QStringLiteral("the demo's diverging run did not diverge: %1")
                            .arg(runStatusName(result->status)));
    }
    // A small grid sweep over the iris MLP's learning rate, so the demo shows a sweep's runs
    // grouped in the explorer and compared in its tab.
    SweepRequest sweep;
    sweep.modelName = QStringLiteral("iris-mlp");
    sweep.name = QStringLiteral("iris lr sweep");
    sweep.base.epochs = 40;
    sweep.base.seed = 7;
    if (auto s = sweep.base.set(QStringLiteral("batch_size"), QStringLiteral("16")); !s)
        return s;
    auto lr = SweepParameter::parse(QStringLiteral("lr=0.003,0.01,0.03"));
    if (!lr)
        return lr.failure();
    sweep.spec.parameters.push_back(*lr);
    sweep.spec.metric = QStringLiteral("val_accuracy");
    sweep.ownerLease = (*project)->leaseId();
    if (feedback)
        feedback->setProgress(double(total - 2) / total, QStringLiteral("sweeping iris-mlp's learning rate"));
    auto swept = runStep(feedback, double(total - 2) / total, double(total - 1) / total,
                         [&](JobFeedback *f) { return SweepRunner::run(path, sweep, f); });
    if (!swept)
        return swept.failure();
    if (feedback && feedback->isCanceled())
        return cancelled(QStringLiteral("canceled"));
    // One package, checked, so the Package pane shows something real at first start: signed
    // with the user's key (made on first use, in the config directory, never in the project).
    qint64 packageId = 0;
    {
        if (feedback)
            feedback->setMessage(QStringLiteral("packaging and checking iris-mlp"));
        PackageBuilder::Request request;
        request.runId = packagedRun;
        request.name = QStringLiteral("iris-mlp");
        request.version = QStringLiteral("1.0.0");
        request.description = QStringLiteral("The iris MLP of the demo, packaged and checked");
        request.projectName = QFileInfo(path).fileName();
        auto id = PackageCatalog((*project)->db()).create(request, true);
        if (!id)
            return id.failure().reworded(QStringLiteral("the demo package: %1").arg(id.error()));
        CheckConfig config = CheckConfig::defaults(true);
        config.latencySeconds = 0.25;
        auto report = PackageCheckJob::check((*project)->db(), *id, config, nullptr);
        if (!report)
            return report.failure().reworded(QStringLiteral("checking the demo package: %1").arg(report.error()));
        packageId = *id;
    }
    // The package deployed to the local target a week ago and watched since, so the Monitoring
    // pane shows something real at first start: traffic, a restart, two refusals and, in the
    // last two days, petal width scaled by 1.5, whose drift alert fires.
    {
        if (feedback)
            feedback->setProgress(double(total - 1) / total, QStringLiteral("a week of iris-mlp's monitoring on the local target"));
        DemoMonitoringHistory::Options options;
        options.packageId = packageId;
        options.dataset = QStringLiteral("iris");
        options.shiftedFeature = QStringLiteral("petal_width_cm");
        options.shiftFactor = 1.5;
        // On the step's own thread, with a connection of its own (a connection belongs to one thread).
        auto history = runStep(feedback, double(total - 1) / total, 1.0,
                               [&](JobFeedback *f) -> Result<DemoMonitoringHistory::Outcome> {
                                   Result<Database> db = WorkerConnection::open(path, WorkerConnection::Access::Write);
                                   if (!db)
                                       return db.failure();
                                   return DemoMonitoringHistory::record(*db, options, f);
                               });
        if (!history)
            return history.failure().reworded(QStringLiteral("the demo's monitoring history: %1").arg(history.error()));
        if (feedback)
            feedback->log(QStringLiteral("the local target's week: %1 scrapes, %2 requests of %3 rows, %4 restart, %5 refused, "
                                         "%6 alert firing")
                              .arg(history->scrapes)
                              .arg(history->requests)
                              .arg(history->rows)
                              .arg(history->resets)
                              .arg(history->refused)
                              .arg(history->firing.size()));
        if (feedback && feedback->isCanceled())
            return cancelled(QStringLiteral("canceled"));
    }
    // An experiment a notebook logged through the tracking endpoint (Experiments in the
    // explorer), request by request as MLflow's client sends them.
    {
        if (feedback)
            feedback->setMessage(QStringLiteral("a notebook's runs through the tracking endpoint"));
        auto logged = DemoTrackedScript::record(path, QStringLiteral("iris"), feedback);
        if (!logged)
            return logged.failure().reworded(QStringLiteral("the demo's tracked experiment: %1").arg(logged.error()));
        if (feedback)
            feedback->log(QStringLiteral("experiment %1: %2 runs logged in %3 requests to the tracking endpoint")
                              .arg(QString::fromLatin1(DemoTrackedScript::kExperiment))
                              .arg(logged->runIds.size())
                              .arg(logged->requests));
        if (feedback && feedback->isCanceled())
            return cancelled(QStringLiteral("canceled"));
    }
    // One stored report (Reports in the explorer; `mlwb report demo.mlwb --report "iris-mlp review" -o r.pdf`):
    // the packaged run beside the sweep's, rendered again whenever someone asks.
    {
        ReportRecord review;
        review.name = QStringLiteral("iris-mlp review");
        review.title = QStringLiteral("iris-mlp: the deployed run and the learning-rate sweep");
        review.runIds << packagedRun;
        auto trials = RunRepository((*project)->db()).listForSweep(swept->sweepId);
        if (!trials)
            return trials.failure();
        for (const RunRecord &r : std::as_const(*trials))
            if (!review.runIds.contains(r.id))
                review.runIds << r.id;
        if (auto id = ReportRepository((*project)->db()).add(review); !id)
            return id.failure().reworded(QStringLiteral("the demo's report: %1").arg(id.error()));
    }
    if (feedback)
        feedback->setProgress(1.0, QStringLiteral("done"));
    return {};
}

} // namespace mlwb
