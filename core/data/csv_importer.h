// SPDX-License-Identifier: MIT
#pragma once

// CsvImporter: reads a CSV/TSV file into an ImportedDataset in one streaming pass (block by
// block: memory holds the table being built, never the file's text), or previews its first rows.
// Malformed input yields one error "<file>:<line>:<column>: <what>" and no partial result.

#include "common/result.h"
#include "data/column_info.h"
#include "data/import_options.h"
#include "data/imported_dataset.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace mlwb {

struct CsvPreview {
    QChar delimiter;
    bool hasHeader = true;
    QStringList columnNames;           // every column of the file, excluded ones too
    QList<ColumnType> columnTypes;     // detected (or overridden) from the scanned rows
    QList<QStringList> rows;           // the first rows, field text without quotes
    int targetColumn = -1;             // index into columnNames
    TaskKind task = TaskKind::Classification; // as the import would infer it
    QStringList classNames;
    qint64 fileSize = 0;
    qint64 rowsScanned = 0;            // data rows read for type detection
    bool wholeFile = false;            // the scan reached the end of the file
    // The first problem found in the scanned rows (same format as an import error); the import
    // would fail with it. Empty when none was seen.
    QString problem;
};

class CsvImporter {
public:
    static Result<ImportedDataset> importFile(const QString &path,
                                              const ImportOptions &options = {});
    // Reads only the start of the file: types come from the first max(maxRows, 1000) rows.
    // Fails only when not even the header can be read; later problems go to CsvPreview::problem.
    static Result<CsvPreview> preview(const QString &path, const ImportOptions &options = {},
                                      int maxRows = 100);
};

} // namespace mlwb
