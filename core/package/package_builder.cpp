// SPDX-License-Identifier: MIT
#include "package/package_builder.h"

#include "common/json_number.h"
#include "common/semantic_version.h"
#include "data/dataset_catalog.h"
#include "data/preprocessing.h"
#include "inference/inference_engine.h"
#include "inference/loaded_model.h"
#include "inference/run_evaluator.h"
#include "inference/torch_runtime.h"
#include "jobs/job_feedback.h"
#include "package/key_store.h"
#include "package/package_archive.h"
#include "package/package_baseline.h"
#include "package/package_seal.h"
#include "package/sealed_package.h"
#include "package/signing_key.h"
#include "store/records.h"
#include "store/run_repository.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace mlwb {

namespace {

QString featureKind(const FeatureTransform &f)
{
    switch (f.encoding) {
    case FeatureEncoding::OneHot:
        return QStringLiteral("category");
    case FeatureEncoding::Binary:
        return QStringLiteral("boolean");
    case FeatureEncoding::Standardize:
        break;
    }
    return QStringLiteral("numeric");
}

QByteArray jsonBytes(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Indented); }

} // namespace

QJsonObject PackageBuilder::inferRequest(const QString &id, const QString &inputName, const std::vector<float> &raw,
                                         qint64 rows, qint64 features)
{
    QJsonArray data;
    for (float v : raw)
        data.append(JsonNumber::from(double(v)));
    const QJsonObject input{{QStringLiteral("name"), inputName},
                            {QStringLiteral("shape"), QJsonArray{rows, features}},
                            {QStringLiteral("datatype"), QStringLiteral("FP32")},
                            {QStringLiteral("data"), data}};
    return QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("inputs"), QJsonArray{input}}};
}

Result<PackageBuilder::Built> PackageBuilder::build(const Request &request, const SigningKey *key,
                                                    JobFeedback *feedback)
{
    auto step = [feedback](double progress, const QString &message) -> Status {
        if (!feedback)
            return {};
        if (feedback->isCanceled())
            return fail(QStringLiteral("canceled"), ErrorKind::Cancelled);
        feedback->setProgress(progress);
        feedback->setMessage(message);
        return {};
    };
    if (const QString problem = PackageManifest::nameProblem(request.name); !problem.isEmpty())
        return invalidInput(QStringLiteral("package name \"%1\": %2").arg(request.name, problem));
    if (auto v = SemanticVersion::parse(request.version); !v)
        return v.failure().reworded(QStringLiteral("package version: %1").arg(v.error()));

    RunRepository runs(m_db);
    auto run = runs.get(request.runId);
    if (!run)
        return run.failure();
    if (run->status != RunStatus::Finished)
        return fail(QStringLiteral("run %1 is %2: only a finished run can be packaged")
                        .arg(request.runId)
                        .arg(runStatusName(run->status)),
                    ErrorKind::Conflict);
    if (auto s = step(0.05, QStringLiteral("loading the model")); !s)
        return s.failure();
    auto modelBytes = RunEvaluator(m_db).trainedModel(request.runId);
    if (!modelBytes)
        return modelBytes.failure();
    TorchRuntime::initialize();
    const QString source = QStringLiteral("run %1's model").arg(request.runId);
    auto engine = InferenceEngine::fromArchive(*modelBytes, source);
    if (!engine)
        return engine.failure();
    const Preprocessing &pre = engine->preprocessing();

    if (auto s = step(0.15, QStringLiteral("reading the data set")); !s)
        return s.failure();
    auto dataset = DatasetCatalog(m_db).load(run->datasetId);
    if (!dataset)
        return dataset.failure();
    const DataTable &table = dataset->data.table;
    if (auto s = pre.checkTable(table); !s)
        return s.failure().reworded(QStringLiteral("data set \"%1\" no longer matches run %2's model: %3")
                                        .arg(dataset->record.name)
                                        .arg(request.runId)
                                        .arg(s.error()));
    const std::vector<qint64> train = dataset->rows(SplitPart::Train);
    std::vector<qint64> test = dataset->rows(SplitPart::Test);
    if (train.empty() || test.empty())
        return invalidInput(QStringLiteral("data set \"%1\" has no %2 rows to package run %3 with")
                                .arg(dataset->record.name, train.empty() ? QStringLiteral("training") : QStringLiteral("test"))
                                .arg(request.runId));

    if (auto s = step(0.3, QStringLiteral("evaluating the test split")); !s)
        return s.failure();
    auto evaluation = engine->evaluateRaw(table, test);
    if (!evaluation)
        return evaluation.failure();
    QJsonObject metrics = evaluation->value(QStringLiteral("metrics")).toObject();
    metrics.insert(QStringLiteral("split"), QStringLiteral("test"));
    metrics.insert(QStringLiteral("rows"), qint64(test.size()));

    if (auto s = step(0.5, QStringLiteral("binning the training distribution")); !s)
        return s.failure();
    const std::vector<float> x = pre.transform(table, train);
    InferenceEngine::Prediction trained;
    if (auto s = engine->predictInputs(x, qint64(train.size()), trained); !s)
        return s.failure();
    std::vector<double> values(trained.outputs.begin(), trained.outputs.end());
    const QJsonObject baseline = PackageBaseline::build(table, pre, train, trained.classes, values);

    // The input example: the first test rows, raw, as a request carries them.
    const qint64 exampleRows = std::min<qint64>(2, qint64(test.size()));
    const qint64 features = qint64(pre.features().size());
    const std::vector<float> raw = engine->rawRows(table, std::vector<qint64>(test.begin(), test.begin() + exampleRows));
    PackageManifest m;
    const QJsonObject example = inferRequest(QStringLiteral("%1-%2-example").arg(request.name, request.version),
                                             m.input.name, raw, exampleRows, features);

    m.name = request.name;
    m.version = request.version;
    m.created = QDateTime::currentDateTimeUtc();
    m.author = request.author.isEmpty() ? KeyStore::userAtHost() : request.author;
    m.description = request.description;
    m.input.shape = {features};
    for (const FeatureTransform &f : pre.features())
        m.input.features.push_back({f.name, featureKind(f), f.categories});
    m.input.modelShape = pre.inputShape();
    m.input.preprocessing = pre.toJson();
    m.output.task = pre.task() == TaskKind::Classification ? QStringLiteral("classification") : QStringLiteral("regression");
    m.output.shape = {engine->outputWidth()};
    m.output.labels = engine->outputLabels();
    m.output.target = pre.targetName();
    m.lineage.project = request.projectName;
    m.lineage.runId = run->id;
    m.lineage.runName = run->name;
    m.lineage.modelId = run->modelId;
    m.lineage.modelName = run->modelName;
    m.lineage.modelVersion = run->modelVersion;
    m.lineage.datasetId = dataset->record.id;
    m.lineage.datasetName = dataset->record.name;
    m.lineage.datasetSha256 = dataset->record.contentHash;
    m.lineage.metrics = JsonNumber::encode(metrics);
    m.libtorchVersion = TorchRuntime::info().torchVersion;
    m.mlwbVersion = QStringLiteral(MLWB_VERSION);

    if (auto s = step(0.8, QStringLiteral("sealing")); !s)
        return s.failure();
    const QJsonObject checks{{QStringLiteral("format"), 1}, {QStringLiteral("status"), QStringLiteral("not_run")}};
    std::vector<PackageArchive::Entry> entries{
        {QString::fromLatin1(PackageManifest::kEntry), m.toBytes()},
        {QString::fromLatin1(SealedPackage::kModelEntry), *modelBytes},
        {QString::fromLatin1(SealedPackage::kBaselineEntry), jsonBytes(baseline)},
        {QString::fromLatin1(SealedPackage::kInputExampleEntry), jsonBytes(example)},
        {QString::fromLatin1(SealedPackage::kChecksEntry), jsonBytes(checks)},
    };
    auto sealed = PackageSeal::seal(std::move(entries), key);
    if (!sealed)
        return sealed.failure();
    auto archive = PackageArchive::write(*sealed);
    if (!archive)
        return archive.failure();
    return Built{*archive, std::move(m), key ? key->publicKey().id() : QString()};
}

} // namespace mlwb
