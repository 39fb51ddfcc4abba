// SPDX-License-Identifier: MIT
#include "train/training_session.h"

#include "common/format.h"
#include "common/json_number.h"
#include "common/logging.h"
#include "data/preprocessing.h"
#include "jobs/job_feedback.h"
#include "model/model_compiler.h"
#include "model/model_spec.h"
#include "store/database.h"
#include "store/evaluation_repository.h"
#include "store/metric_logger.h"
#include "store/model_repository.h"
#include "store/run_repository.h"
#include "store/worker_connection.h"
#include "data/dataset_catalog.h"
#include "inference/loaded_model.h"
#include "inference/torch_runtime.h"
#include "train/trainer.h"

#include <QElapsedTimer>
#include <QJsonDocument>

namespace mlwb {

namespace {

void addMetrics(QJsonObject &summary, const QString &prefix, const QJsonObject &report)
{
    const QJsonObject m = report.value(QStringLiteral("metrics")).toObject();
    for (auto it = m.begin(); it != m.end(); ++it)
        summary.insert(prefix + it.key(), it.value());
}

} // namespace

Result<TrainResult> TrainingSession::run(const QString &projectPath, const TrainRequest &request,
                                         JobFeedback *feedback,
                                         const std::function<void(qint64)> &onRunCreated)
{
    if (auto s = request.config.validate(); !s)
        return s.failure();
    auto dbr = WorkerConnection::open(projectPath, WorkerConnection::Access::Write);
    if (!dbr)
        return dbr.failure();
    Database &db = *dbr;
    ModelRepository models(db);
    RunRepository runs(db);

    // --- what to train, on what ---
    RunRecord resumed;
    ModelVersionRecord version;
    ModelRecord model;
    if (request.resumeRunId) {
        auto r = runs.get(request.resumeRunId);
        if (!r)
            return r.failure();
        if (r->status == RunStatus::Running || r->status == RunStatus::Finished)
            return fail(QStringLiteral("run %1 is %2; only interrupted or failed runs resume")
                            .arg(r->id)
                            .arg(runStatusName(r->status)));
        resumed = *r;
        auto v = models.version(r->modelVersionId);
        if (!v)
            return v.failure();
        version = *v;
        auto m = models.get(version.modelId);
        if (!m)
            return m.failure();
        model = *m;
    } else {
        auto m = models.byName(request.modelName);
        if (!m)
            return m.failure();
        model = *m;
        qint64 versionId = 0;
        if (request.modelVersion > 0) {
            auto all = models.versions(model.id);
            if (!all)
                return all.failure();
            QStringList numbers;
            for (const ModelVersionRecord &v : std::as_const(*all)) {
                numbers << QString::number(v.version);
                if (v.version == request.modelVersion)
                    versionId = v.id;
            }
            if (!versionId)
                return fail(QStringLiteral("model \"%1\" has no version %2; its versions are %3")
                                .arg(model.name)
                                .arg(request.modelVersion)
                                .arg(numbers.join(QStringLiteral(", "))));
        }
        auto v = versionId ? models.version(versionId) : models.latestVersion(model.id);
        if (!v)
            return v.failure();
        version = *v;
    }
    TrainingConfig config = request.config;
    if (request.resumeRunId) {
        auto stored = TrainingConfig::fromJson(resumed.hyperparams);
        if (!stored)
            return stored.failure().reworded(QStringLiteral("run %1: %2").arg(resumed.id).arg(stored.error()));
        config = *stored;
    }
    if (feedback)
        feedback->setProgress(0, QStringLiteral("loading data"));

    DatasetCatalog catalog(db);
    qint64 datasetId = request.resumeRunId ? resumed.datasetId : model.datasetId;
    Result<LoadedDataset> dataset = Error{QString()};
    if (!request.datasetName.isEmpty() && !request.resumeRunId)
        dataset = catalog.load(request.datasetName);
    else if (datasetId > 0)
        dataset = catalog.load(datasetId);
    else
        return fail(QStringLiteral("model \"%1\" has no data set; name one").arg(model.name));
    if (!dataset)
        return dataset.failure();
    const auto trainRows = dataset->rows(SplitPart::Train);
    const auto valRows = dataset->rows(SplitPart::Validation);
    const auto testRows = dataset->rows(SplitPart::Test);
    if (trainRows.empty())
        return fail(QStringLiteral("dataset \"%1\": the training split is empty")
                        .arg(dataset->record.name));
    auto pre = Preprocessing::fit(dataset->data, trainRows);
    if (!pre)
        return pre.failure();

    const TorchRuntime::Info runtime = TorchRuntime::initialize(config.threads);

    // --- the model ---
    std::optional<LoadedModel> network;
    if (model.kind == ModelKind::Spec) {
        auto spec = ModelSpec::fromJson(version.specJson);
        if (!spec)
            return spec.failure().reworded(QStringLiteral("model \"%1\" v%2: %3").arg(model.name).arg(version.version).arg(spec.error()));
        if (spec->inputShape != pre->inputShape())
            return fail(QStringLiteral("model \"%1\" expects input of another shape than dataset "
                                       "\"%2\" gives").arg(model.name, dataset->record.name));
        auto compiled = ModelCompiler::compile(*spec, config.seed);
        if (!compiled)
            return compiled.failure();
        network.emplace(std::move(*compiled));
    } else {
        auto loaded = LoadedModel::fromArchive(version.torchscript,
                                               QStringLiteral("model \"%1\"").arg(model.name));
        if (!loaded)
            return loaded.failure();
        network.emplace(std::move(*loaded));
    }

    // --- the run record ---
    qint64 runId = resumed.id;
    QJsonObject hyper = config.toJson();
    if (!runId) {
        RunRecord r;
        r.modelVersionId = version.id;
        r.datasetId = dataset->record.id;
        r.name = request.runName;
        r.hyperparams = hyper;
        r.sweepId = request.sweepId;
        auto id = runs.create(r);
        if (!id)
            return id.failure();
        runId = *id;
    }
    if (auto s = runs.markRunning(runId, request.ownerLease); !s)
        return s.failure();
    if (onRunCreated)
        onRunCreated(runId);

    // Every end of the run goes through here. A summary or status that cannot be stored ends
    // the session with that error (the caller exits non-zero); the run is marked failed when
    // the file still takes a write.
    auto finishWith = [&](RunStatus status, const QString &message,
                          const QJsonObject &summary) -> Result<TrainResult> {
        if (auto s = runs.setSummary(runId, summary); !s) {
            const QString why = QStringLiteral("run %1: cannot store its summary: %2").arg(runId).arg(s.error());
            if (auto marked = runs.setStatus(runId, RunStatus::Failed, why); !marked)
                return marked.failure().reworded(QStringLiteral("%1; and cannot mark it failed: %2").arg(why, marked.error()));
            return fail(why);
        }
        if (auto s = runs.setStatus(runId, status, message); !s) {
            const QString why = QStringLiteral("run %1: cannot record that it ended %2: %3")
                                    .arg(runId)
                                    .arg(runStatusName(status))
                                    .arg(s.error());
            if (status != RunStatus::Failed) {
                if (auto marked = runs.setStatus(runId, RunStatus::Failed, why); !marked)
                    return marked.failure().reworded(QStringLiteral("%1; and cannot mark it failed: %2").arg(why, marked.error()));
            }
            return fail(why);
        }
        if (feedback) {
            // What the Jobs pane keeps showing once the job ended (not "evaluating").
            QString note = runStatusName(status);
            for (const char *key : {"test_accuracy", "val_accuracy", "test_r2", "val_r2"}) {
                const QJsonValue v = summary.value(QLatin1String(key));
                if (status == RunStatus::Finished && v.isDouble()) {
                    note += QStringLiteral(", %1 %2").arg(QLatin1String(key), Format::metric(v.toDouble()));
                    break;
                }
            }
            feedback->setMessage(note);
        }
        return TrainResult{runId, status, message, summary};
    };

    const QByteArray preJson = QJsonDocument(pre->toJson()).toJson(QJsonDocument::Indented);
    if (auto s = runs.saveArtifact(runId, ArtifactName::Preprocessing,
                                   QStringLiteral("application/json"), preJson);
        !s)
        return finishWith(RunStatus::Failed,
                          QStringLiteral("cannot store preprocessing.json: %1").arg(s.error()), {});

    auto logger = MetricLogger::open(projectPath);
    if (!logger)
        return finishWith(RunStatus::Failed, logger.error(), {});

    Trainer::Hooks hooks;
    hooks.logger = logger->get();
    hooks.runId = runId;
    hooks.feedback = feedback;
    hooks.checkpoint = [&](const QString &tag, int epoch, qint64 step, const QByteArray &blob) {
        return runs.saveCheckpoint(CheckpointRecord{0, runId, tag, step, epoch, {}, blob});
    };
    Trainer trainer(*network, TrainingData{&dataset->data.table, &*pre, trainRows, valRows}, config, hooks);
    if (request.resumeRunId) {
        auto latest = runs.checkpoint(runId, QStringLiteral("latest"));
        if (!latest)
            return finishWith(RunStatus::Failed, QStringLiteral("cannot resume: %1").arg(latest.error()),
                              resumed.summary);
        if (auto s = trainer.resumeFrom(latest->data); !s)
            return finishWith(RunStatus::Failed, s.error(), resumed.summary);
    }

    QElapsedTimer clock;
    clock.start();
    auto outcome = trainer.run();
    // Metrics that did not reach the file fail the run: its curves would be silently short.
    if (auto s = (*logger)->close(); !s)
        return finishWith(RunStatus::Failed, s.error(), outcome ? outcome->lastEpoch : QJsonObject());
    if (!outcome)
        return finishWith(RunStatus::Failed, outcome.error(), {});

    QJsonObject summary = outcome->lastEpoch;
    summary.insert(QStringLiteral("epochs_run"), outcome->epochsRun);
    summary.insert(QStringLiteral("steps"), outcome->steps);
    summary.insert(QStringLiteral("best_epoch"), outcome->bestEpoch);
    summary.insert(QStringLiteral("stopped_early"), outcome->stoppedEarly);
    summary.insert(QStringLiteral("samples_per_sec"), outcome->samplesPerSecond);
    summary.insert(QStringLiteral("train_seconds"), double(clock.elapsed()) / 1000.0);
    summary.insert(QStringLiteral("parameters"), network->parameterCount());
    summary.insert(QStringLiteral("threads"), runtime.threads);
    summary.insert(QStringLiteral("split_hash"), DatasetSplit::fingerprint(dataset->split));
    summary.insert(QStringLiteral("task"), pre->task() == TaskKind::Classification ? QStringLiteral("classification")
                                                                                  : QStringLiteral("regression"));
    if (outcome->diverged)
        return finishWith(RunStatus::Failed,
                          QStringLiteral("loss became %1 at step %2 (epoch %3); lower the learning "
                                         "rate or set grad_clip")
                              .arg(JsonNumber::nonFiniteName(outcome->divergedLoss))
                              .arg(outcome->divergedStep)
                              .arg(outcome->divergedEpoch),
                          summary);
    if (outcome->canceled)
        return finishWith(RunStatus::Interrupted,
                          QStringLiteral("canceled by the user after %1 epochs; resume to continue")
                              .arg(outcome->epochsRun),
                          summary);

    // --- evaluate and keep the trained model ---
    if (feedback)
        feedback->setProgress(1.0, QStringLiteral("evaluating"));
    network->setPreprocessing(*pre);
    const LoadedModel &trained = *network;
    EvaluationRepository evals(db);
    const std::pair<QString, const std::vector<qint64> *> splits[] = {
        {QStringLiteral("validation"), &valRows}, {QStringLiteral("test"), &testRows}};
    for (const auto &[split, rows] : splits) {
        if (rows->empty())
            continue;
        auto report = trained.evaluate(dataset->data.table, *rows);
        if (!report)
            return finishWith(RunStatus::Failed, report.error(), summary);
        if (auto s = evals.save({0, runId, dataset->record.id, split, {}, *report}); !s)
            return finishWith(RunStatus::Failed, s.error(), summary);
        addMetrics(summary, split == u"test" ? QStringLiteral("test_") : QStringLiteral("val_"),
                   *report);
    }
    auto bytes = trained.toArchive();
    if (!bytes)
        return finishWith(RunStatus::Failed, bytes.error(), summary);
    if (auto s = runs.saveArtifact(runId, ArtifactName::Model,
                                   QStringLiteral("application/x-torchscript"), *bytes);
        !s)
        return finishWith(RunStatus::Failed, s.error(), summary);
    return finishWith(RunStatus::Finished, QString(), summary);
}

} // namespace mlwb
