// SPDX-License-Identifier: MIT
#include "inference/run_evaluator.h"

#include "data/preprocessing.h"
#include "store/run_repository.h"
#include "data/dataset_catalog.h"
#include "inference/loaded_model.h"
#include "inference/torch_runtime.h"

namespace mlwb {

Result<QByteArray> RunEvaluator::trainedModel(qint64 runId)
{
    RunRepository runs(m_db);
    auto run = runs.get(runId);
    if (!run)
        return run.failure();
    auto bytes = runs.artifact(runId, ArtifactName::Model);
    if (!bytes)
        return notFound(QStringLiteral("run %1 has no trained model (status %2%3)")
                        .arg(runId)
                        .arg(runStatusName(run->status))
                        .arg(run->message.isEmpty() ? QString() : QStringLiteral(": ") + run->message));
    return *bytes;
}

Result<EvaluationRecord> RunEvaluator::evaluate(qint64 runId, const QString &datasetName,
                                                const QString &split, ScoredRows *scored)
{
    auto bytes = trainedModel(runId);
    if (!bytes)
        return bytes.failure();
    auto run = RunRepository(m_db).get(runId);
    if (!run)
        return run.failure();
    DatasetCatalog catalog(m_db);
    auto dataset = datasetName.isEmpty() ? catalog.load(run->datasetId) : catalog.load(datasetName);
    if (!dataset)
        return dataset.failure();
    auto rows = rowsOfSplit(*dataset, split);
    if (!rows)
        return rows.failure();
    TorchRuntime::initialize();
    auto model = LoadedModel::fromArchive(*bytes, QStringLiteral("run %1").arg(runId));
    if (!model)
        return model.failure();
    const Preprocessing *pre = model->preprocessing();
    if (!pre)
        return corrupt(QStringLiteral("run %1: the model's preprocessing: the archive has no %2")
                           .arg(runId)
                           .arg(QLatin1StringView("mlwb/preprocessing.json")));
    if (auto s = pre->checkTable(dataset->data.table); !s)
        return invalidInput(QStringLiteral("dataset \"%1\" does not match the schema run %2 was trained on: %3")
                                .arg(dataset->record.name)
                                .arg(runId)
                                .arg(s.error()));
    auto report = model->evaluate(dataset->data.table, *rows, scored);
    if (!report)
        return report.failure();
    EvaluationRecord record{0, runId, dataset->record.id, split == u"val" ? QStringLiteral("validation") : split,
                            QDateTime::currentDateTime(), *report};
    if (auto s = EvaluationRepository(m_db).save(record); !s)
        return s.failure();
    return record;
}

} // namespace mlwb
