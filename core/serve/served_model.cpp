// SPDX-License-Identifier: MIT
#include "serve/served_model.h"

#include "package/package_seal.h"
#include "package/sealed_package.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace mlwb {

namespace {

QJsonArray shapeJson(std::initializer_list<qint64> dims)
{
    QJsonArray a;
    for (qint64 d : dims)
        a.append(d);
    return a;
}

QJsonObject tensor(const QString &name, const char *datatype, QJsonArray shape)
{
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("datatype"), QLatin1String(datatype)},
                       {QStringLiteral("shape"), shape}};
}

bool allNumbers(const InferenceEngine::Prediction &p)
{
    for (float v : p.outputs)
        if (!std::isfinite(v))
            return false;
    return true;
}

} // namespace

ServedModel::~ServedModel()
{
    if (m_batcher)
        m_batcher->stop();
}

Result<std::shared_ptr<ServedModel>> ServedModel::load(const QByteArray &bytes, const QString &source,
                                                       const LoadOptions &options)
{
    QElapsedTimer clock;
    clock.start();
    Result<SealedPackage> package = SealedPackage::open(bytes, source, options.trusted, options.requireSignature);
    if (!package)
        return package.failure();
    Result<InferenceEngine> engine = InferenceEngine::fromArchive(package->entry(QString::fromLatin1(SealedPackage::kModelEntry)),
                                                                  source + QStringLiteral(" model.pt"));
    if (!engine)
        return engine.failure().reworded(QStringLiteral("%1: the model does not load: %2").arg(source, engine.error()));

    std::shared_ptr<ServedModel> m(new ServedModel);
    m->m_manifest = package->manifest();
    m->m_engine = std::make_shared<const InferenceEngine>(std::move(*engine));
    m->m_baseline = package->baseline();
    m->m_sha256 = PackageSeal::sha256Hex(bytes);
    m->m_signedBy = package->seal().isSigned ? package->seal().signer : QString();
    m->m_spec = OipRequest::InputSpec{m->m_manifest.input.name, m->m_engine->featureCount()};
    m->m_answer = OipResponse::Model{m->m_manifest.name, m->m_manifest.version, m->m_engine->outputLabels(),
                                     m->m_engine->isClassification()};
    if (m->m_engine->featureCount() != qint64(m->m_manifest.input.features.size()))
        return corrupt(QStringLiteral("%1: the manifest lists %2 features, model.pt takes %3")
                           .arg(source)
                           .arg(m->m_manifest.input.features.size())
                           .arg(m->m_engine->featureCount()));
    m->m_loadSeconds = double(clock.nsecsElapsed()) / 1e9;

    // The smoke test: the package's own input example, as a client would send it.
    const QByteArray example = QJsonDocument(package->inputExample()).toJson(QJsonDocument::Compact);
    Result<OipRequest> request = OipRequest::parse(example, std::nullopt, m->m_spec);
    if (!request)
        return conflict(QStringLiteral("%1: the smoke test failed: input_example.json: %2").arg(source, request.error()));
    const qint64 rows = request->rows();
    const qint64 f = m->m_spec.features;
    Result<InferenceEngine::Prediction> batch = m->m_engine->predictRaw(request->values(), rows);
    if (!batch)
        return conflict(QStringLiteral("%1: the smoke test failed: %2").arg(source, batch.error()));
    if (!allNumbers(*batch))
        return conflict(QStringLiteral("%1: the smoke test failed: the input example's outputs are not all numbers (NaN or infinity)").arg(source));

    // Warm up: the routes a request takes (one row, a batch), several times each.
    clock.restart();
    const auto own = options.batchingByModel.find(m->name());
    const DynamicBatcher::Options batching = own == options.batchingByModel.end() ? options.batching : own->second;
    const qint64 batchRows = std::max<qint64>(rows, std::min<qint64>(batching.maxBatchSize, 256));
    std::vector<float> big(size_t(batchRows * f));
    for (qint64 r = 0; r < batchRows; ++r)
        std::copy_n(request->values().begin() + (r % rows) * f, f, big.begin() + r * f);
    InferenceEngine::Prediction one, many;
    for (int i = 0; i < std::max(1, options.warmupRuns); ++i) {
        for (qint64 r = 0; r < rows; ++r)
            if (Status s = m->m_engine->predictRaw(std::span(request->values()).subspan(size_t(r * f), size_t(f)), 1, one); !s)
                return conflict(QStringLiteral("%1: the smoke test failed on row %2 alone: %3").arg(source).arg(r).arg(s.error()));
        if (Status s = m->m_engine->predictRaw(big, batchRows, many); !s)
            return conflict(QStringLiteral("%1: the smoke test failed on a batch of %2: %3").arg(source).arg(batchRows).arg(s.error()));
    }
    m->m_warmupSeconds = double(clock.nsecsElapsed()) / 1e9;

    // The rows alone and in a batch must agree (the batch path is what batching serves).
    double worst = 0;
    for (qint64 r = 0; r < rows; ++r) {
        if (Status s = m->m_engine->predictRaw(std::span(request->values()).subspan(size_t(r * f), size_t(f)), 1, one); !s)
            return conflict(QStringLiteral("%1: the smoke test failed: %2").arg(source, s.error()));
        for (qint64 k = 0; k < one.width; ++k)
            worst = std::max(worst, double(std::abs(one.outputs[size_t(k)] - batch->outputs[size_t(r * one.width + k)])));
    }
    if (!(worst <= 1e-4))
        return conflict(QStringLiteral("%1: the smoke test failed: a row alone and in a batch differ by %2").arg(source).arg(worst));
    m->m_smoke = SmokeTest{rows, true};

    if (batching.maxBatchSize > 1) {
        DynamicBatcher::BatchObserver observer;
        if (options.onBatch)
            observer = [onBatch = options.onBatch, name = m->name(), version = m->version()](qint64 n) { onBatch(name, version, n); };
        m->m_batcher = std::make_unique<DynamicBatcher>(m->m_engine, batching, std::move(observer));
    }
    m->m_loadedAt = QDateTime::currentDateTimeUtc();
    return m;
}

InputMonitor::Version ServedModel::monitoredAs() const
{
    return InputMonitor::Version{name(), version(), m_manifest.input.features, m_answer.classification, m_answer.labels};
}

QJsonObject ServedModel::metadata() const
{
    const qint64 f = m_engine->featureCount();
    const qint64 w = m_engine->outputWidth();
    QJsonArray outputs{tensor(QString::fromLatin1(OipResponse::kOutput), "FP32", shapeJson({-1, w}))};
    if (m_answer.classification) {
        outputs.append(tensor(QString::fromLatin1(OipResponse::kProbabilities), "FP32", shapeJson({-1, w})));
        outputs.append(tensor(QString::fromLatin1(OipResponse::kLabel), "BYTES", shapeJson({-1})));
    }
    QJsonArray features;
    for (const PackageManifest::Feature &feature : m_manifest.input.features) {
        QJsonObject o{{QStringLiteral("name"), feature.name}, {QStringLiteral("kind"), feature.kind}};
        if (!feature.categories.isEmpty())
            o.insert(QStringLiteral("categories"), QJsonArray::fromStringList(feature.categories));
        features.append(o);
    }
    QJsonObject input = tensor(m_spec.name, "FP32", shapeJson({-1, f}));
    input.insert(QStringLiteral("parameters"), QJsonObject{{QStringLiteral("features"), features}});
    return QJsonObject{
        {QStringLiteral("name"), name()},
        {QStringLiteral("versions"), QJsonArray{version()}},
        {QStringLiteral("platform"), QStringLiteral("mlwb_torchscript")},
        {QStringLiteral("inputs"), QJsonArray{input}},
        {QStringLiteral("outputs"), outputs},
        {QStringLiteral("parameters"), QJsonObject{{QStringLiteral("task"), m_manifest.output.task},
                                                   {QStringLiteral("labels"), QJsonArray::fromStringList(m_answer.labels)},
                                                   {QStringLiteral("sha256"), m_sha256}}},
    };
}

} // namespace mlwb
