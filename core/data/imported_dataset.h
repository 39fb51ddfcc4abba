// SPDX-License-Identifier: MIT
#pragma once

// ImportedDataset: a DataTable plus what the import decided about it (task, target, classes,
// image shape, source hash). schemaJson() and the table blob are what the project file stores.

#include "common/result.h"
#include "data/data_table.h"
#include "data/import_options.h"

#include <QJsonObject>

#include <array>
#include <optional>
#include <vector>

namespace mlwb {

struct ImportedDataset {
    DataTable table;
    QString sha256;     // lowercase hex of the file's bytes
    QString sourcePath;
    TaskKind task = TaskKind::Classification;
    int targetColumn = -1; // in table
    QStringList classNames; // classification: label of each class code; regression: empty
    std::optional<std::array<int, 3>> imageShape;
    qint64 sourceRows = 0;  // data records in the file
    qint64 droppedRows = 0; // of those, dropped for missing values
    QChar delimiter;
    bool hasHeader = true;
    MissingPolicy missingPolicy = MissingPolicy::DropRow;

    // Every column but the target, in table order.
    std::vector<int> featureColumns() const;
    QString targetName() const;

    // The table schema (DataTable::schemaJson) extended with the fields above.
    QJsonObject schemaJson() const;
    QByteArray serializeTable() const { return table.serialize(); }
    static Result<ImportedDataset> restore(const QJsonObject &schema, const QByteArray &tableBlob);
};

} // namespace mlwb
