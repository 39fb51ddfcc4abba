// SPDX-License-Identifier: MIT
#pragma once

// DatasetCatalog: data sets in a project file. Import (parse, store compressed with its hash,
// make and store the seeded split, all in one transaction) and load back with the split.

#include "common/result.h"
#include "data/dataset_split.h"
#include "data/import_options.h"
#include "data/imported_dataset.h"
#include "store/records.h"

namespace mlwb {

class Database;

struct LoadedDataset {
    DatasetRecord record;
    ImportedDataset data;
    std::vector<quint8> split; // per row: SplitPart
    std::vector<qint64> rows(SplitPart part) const { return DatasetSplit::rowsOf(split, part); }
};

class DatasetCatalog {
public:
    explicit DatasetCatalog(Database &db) : m_db(db) {}

    // Nothing is written unless the whole import succeeds.
    Result<qint64> importCsv(const QString &path, const QString &name, const ImportOptions &options,
                             const SplitSpec &split = {});
    // Stores an already parsed data set (the GUI's import dialog parses in a job first).
    Result<qint64> add(const ImportedDataset &data, const QString &name, const SplitSpec &split = {});
    Result<LoadedDataset> load(qint64 id);
    Result<LoadedDataset> load(const QString &name);
    // Replaces the split (new fractions or seed).
    Status resplit(qint64 id, const SplitSpec &split);

private:
    Database &m_db;
};

// "train", "validation"/"val", "test", "all" -> rows.
Result<std::vector<qint64>> rowsOfSplit(const LoadedDataset &dataset, const QString &split);

} // namespace mlwb
