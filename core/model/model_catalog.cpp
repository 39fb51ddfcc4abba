// SPDX-License-Identifier: MIT
#include "model/model_catalog.h"

#include "data/preprocessing.h"
#include "model/model_spec.h"
#include "model/model_templates.h"
#include "model/shape_inference.h"
#include "model/torchscript_importer.h"
#include "store/model_repository.h"
#include "store/transaction.h"
#include "store/worker_connection.h"
#include "data/dataset_catalog.h"

#include <QFile>

namespace mlwb {

Result<ModelIo> ModelCatalog::ioForStored(const QString &projectPath, qint64 datasetId)
{
    auto db = WorkerConnection::open(projectPath, WorkerConnection::Access::Read);
    if (!db)
        return db.failure();
    auto dataset = DatasetCatalog(*db).load(datasetId);
    if (!dataset)
        return dataset.failure();
    return ioFor(*dataset);
}

Result<ModelIo> ModelCatalog::ioFor(const LoadedDataset &dataset)
{
    auto pre = Preprocessing::fit(dataset.data, dataset.rows(SplitPart::Train));
    if (!pre)
        return pre.failure();
    return ModelIo{pre->inputShape(), pre->outputCount(),
                   pre->task() == TaskKind::Classification};
}

Status ModelCatalog::checkSpec(const QByteArray &specJson, const ModelIo &io)
{
    auto spec = ModelSpec::fromJson(specJson);
    if (!spec)
        return spec.failure();
    if (spec->inputShape != io.inputShape)
        return fail(QStringLiteral("the spec's input %1 does not match the data set's %2")
                        .arg(ShapeInference::shapeText(spec->inputShape),
                             ShapeInference::shapeText(io.inputShape)));
    const ShapeReport report = ShapeInference::infer(*spec);
    if (!report.ok())
        return fail(report.error);
    return io.classification ? ShapeInference::checkClassifierOutput(report, io.outputs)
                             : ShapeInference::checkRegressionOutput(report, io.outputs);
}

Result<qint64> ModelCatalog::store(const QString &name, qint64 datasetId, ModelKind kind,
                                   const QByteArray &spec, const QByteArray &torchscript)
{
    if (name.trimmed().isEmpty())
        return fail(QStringLiteral("a model needs a name"));
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.failure();
    ModelRepository models(m_db);
    ModelRecord r;
    r.name = name.trimmed();
    r.kind = kind;
    r.datasetId = datasetId;
    auto id = models.add(r);
    if (!id)
        return id.failure();
    if (auto v = models.addVersion(*id, spec, torchscript); !v)
        return v.failure();
    if (auto s = tx->commit(); !s)
        return s.failure();
    return *id;
}

Result<qint64> ModelCatalog::createFromTemplate(const QString &name, const QString &datasetName,
                                                const QString &kind)
{
    auto dataset = DatasetCatalog(m_db).load(datasetName);
    if (!dataset)
        return dataset.failure();
    auto io = ioFor(*dataset);
    if (!io)
        return io.failure();
    auto spec = ModelTemplates::make(kind, io->inputShape, io->outputs);
    if (!spec)
        return spec.failure();
    const QByteArray json = spec->toJson();
    if (auto s = checkSpec(json, *io); !s)
        return s.failure();
    return store(name, dataset->record.id, ModelKind::Spec, json, {});
}

Result<qint64> ModelCatalog::createFromSpec(const QString &name, const QString &datasetName,
                                            const QByteArray &specJson)
{
    auto dataset = DatasetCatalog(m_db).load(datasetName);
    if (!dataset)
        return dataset.failure();
    auto io = ioFor(*dataset);
    if (!io)
        return io.failure();
    auto spec = ModelSpec::fromJson(specJson);
    if (!spec)
        return spec.failure();
    // A spec written without an input takes the data set's.
    if (spec->inputShape.empty())
        spec->inputShape = io->inputShape;
    const QByteArray json = spec->toJson();
    if (auto s = checkSpec(json, *io); !s)
        return s.failure();
    return store(name, dataset->record.id, ModelKind::Spec, json, {});
}

Result<qint64> ModelCatalog::importTorchScript(const QString &name, const QString &datasetName,
                                               const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("%1: cannot read: %2").arg(path, f.errorString()));
    return importTorchScriptBytes(name, datasetName, f.readAll(), path);
}

Result<qint64> ModelCatalog::importTorchScriptBytes(const QString &name, const QString &datasetName,
                                                    const QByteArray &bytes, const QString &path)
{
    auto dataset = DatasetCatalog(m_db).load(datasetName);
    if (!dataset)
        return dataset.failure();
    auto io = ioFor(*dataset);
    if (!io)
        return io.failure();
    auto imported = TorchScriptImporter::importBytes(bytes, io->inputShape, path);
    if (!imported)
        return imported.failure();
    const qint64 outputs = imported->outputShape.empty() ? 1 : imported->outputShape.back();
    if (imported->outputShape.size() != 1 || outputs != io->outputs)
        return fail(QStringLiteral("%1: the model outputs %2 per sample, but dataset \"%3\" needs "
                                   "[%4] (%5)")
                        .arg(path, ShapeInference::shapeText(imported->outputShape), datasetName)
                        .arg(io->outputs)
                        .arg(io->classification ? QStringLiteral("one logit per class")
                                                : QStringLiteral("one value")));
    return store(name, dataset->record.id, ModelKind::TorchScript, {}, bytes);
}

Result<ModelVersionRecord> ModelCatalog::addSpecVersion(qint64 modelId, const QByteArray &specJson)
{
    return addCheckedVersion(modelId, specJson, std::nullopt);
}

Result<ModelVersionRecord> ModelCatalog::addSpecVersion(qint64 modelId, const QByteArray &specJson,
                                                        const ModelIo &io)
{
    return addCheckedVersion(modelId, specJson, io);
}

Result<ModelVersionRecord> ModelCatalog::addCheckedVersion(qint64 modelId, const QByteArray &specJson,
                                                           std::optional<ModelIo> io)
{
    ModelRepository models(m_db);
    auto model = models.get(modelId);
    if (!model)
        return model.failure();
    if (model->kind != ModelKind::Spec)
        return fail(QStringLiteral("model \"%1\" was imported from TorchScript; its layers cannot "
                                   "be edited").arg(model->name));
    if (!io) {
        auto dataset = DatasetCatalog(m_db).load(model->datasetId);
        if (!dataset)
            return dataset.failure();
        auto loaded = ioFor(*dataset);
        if (!loaded)
            return loaded.failure();
        io = *loaded;
    }
    if (auto s = checkSpec(specJson, *io); !s)
        return s.failure();
    return models.addVersion(modelId, specJson, {});
}

} // namespace mlwb
