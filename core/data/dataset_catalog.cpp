// SPDX-License-Identifier: MIT
#include "data/dataset_catalog.h"

#include "data/csv_importer.h"
#include "store/dataset_repository.h"
#include "store/evaluation_repository.h"
#include "store/transaction.h"

#include <QFileInfo>
#include <QJsonDocument>

#include <numeric>

namespace mlwb {

namespace {

SplitRecord splitRecord(qint64 datasetId, const ImportedDataset &data, const SplitSpec &spec)
{
    SplitRecord r;
    r.datasetId = datasetId;
    r.seed = spec.seed;
    r.train = spec.trainFraction;
    r.validation = spec.validationFraction;
    r.test = std::max(0.0, 1.0 - spec.trainFraction - spec.validationFraction);
    r.stratified = data.task == TaskKind::Classification;
    r.assignment = DatasetSplit::make(data.table, data.targetColumn, data.task, spec);
    return r;
}

} // namespace

Result<qint64> DatasetCatalog::importCsv(const QString &path, const QString &name,
                                         const ImportOptions &options, const SplitSpec &split)
{
    auto data = CsvImporter::importFile(path, options);
    if (!data)
        return data.failure();
    return add(*data, name.isEmpty() ? QFileInfo(path).completeBaseName() : name, split);
}

Result<qint64> DatasetCatalog::add(const ImportedDataset &data, const QString &name,
                                   const SplitSpec &split)
{
    if (auto s = split.validate(); !s)
        return s.failure();
    if (name.trimmed().isEmpty())
        return fail(QStringLiteral("a dataset needs a name"));
    DatasetRecord r;
    r.name = name.trimmed();
    r.sourcePath = data.sourcePath;
    r.contentHash = data.sha256;
    r.rowCount = data.table.rowCount();
    r.columnCount = data.table.columnCount();
    r.schemaJson = QJsonDocument(data.schemaJson()).toJson(QJsonDocument::Compact);
    const QByteArray blob = data.serializeTable();

    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.failure();
    auto id = DatasetRepository(m_db).add(r, blob);
    if (!id)
        return id.failure();
    if (auto s = EvaluationRepository(m_db).saveSplit(splitRecord(*id, data, split)); !s)
        return s.failure();
    if (auto s = tx->commit(); !s)
        return s.failure();
    return *id;
}

Result<LoadedDataset> DatasetCatalog::load(qint64 id)
{
    DatasetRepository repo(m_db);
    auto record = repo.get(id);
    if (!record)
        return record.failure();
    auto blob = repo.data(id);
    if (!blob)
        return blob.failure();
    QJsonParseError err;
    const auto schema = QJsonDocument::fromJson(record->schemaJson, &err);
    if (err.error != QJsonParseError::NoError)
        return fail(QStringLiteral("dataset \"%1\": damaged schema: %2")
                        .arg(record->name, err.errorString()));
    auto data = ImportedDataset::restore(schema.object(), *blob);
    if (!data)
        return data.failure().reworded(QStringLiteral("dataset \"%1\": %2").arg(record->name, data.error()));
    LoadedDataset out{*record, std::move(*data), {}};
    EvaluationRepository evals(m_db);
    if (auto split = evals.split(id)) {
        out.split = std::move(split->assignment);
    } else {
        // Data sets stored before splits existed (schema 1) get the default split on first use.
        out.split = splitRecord(id, out.data, SplitSpec{}).assignment;
    }
    if (qint64(out.split.size()) != out.data.table.rowCount())
        return fail(QStringLiteral("dataset \"%1\": the stored split has %2 rows, the data %3")
                        .arg(record->name)
                        .arg(out.split.size())
                        .arg(out.data.table.rowCount()));
    return out;
}

Result<LoadedDataset> DatasetCatalog::load(const QString &name)
{
    auto record = DatasetRepository(m_db).byName(name);
    if (!record)
        return record.failure();
    return load(record->id);
}

Status DatasetCatalog::resplit(qint64 id, const SplitSpec &split)
{
    if (auto s = split.validate(); !s)
        return s;
    auto loaded = load(id);
    if (!loaded)
        return loaded.failure();
    return EvaluationRepository(m_db).saveSplit(splitRecord(id, loaded->data, split));
}

Result<std::vector<qint64>> rowsOfSplit(const LoadedDataset &dataset, const QString &split)
{
    if (split == u"train")
        return dataset.rows(SplitPart::Train);
    if (split == u"validation" || split == u"val")
        return dataset.rows(SplitPart::Validation);
    if (split == u"test")
        return dataset.rows(SplitPart::Test);
    if (split == u"all") {
        std::vector<qint64> rows(size_t(dataset.data.table.rowCount()));
        std::iota(rows.begin(), rows.end(), 0);
        return rows;
    }
    return fail(QStringLiteral("unknown split \"%1\" (train, validation, test, all)").arg(split));
}

} // namespace mlwb
