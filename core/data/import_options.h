// SPDX-License-Identifier: MIT
#pragma once

// What a CSV/TSV import should do where detection is not enough or not wanted.

#include "data/column_info.h"

#include <QChar>
#include <QHash>
#include <QString>
#include <QStringList>

#include <array>
#include <functional>
#include <optional>

namespace mlwb {

// Missing target cells always drop their row: a label cannot be imputed. Impute policies keep
// the missing cells in the stored table; the fill values are fitted on the training split (see
// Preprocessing) and travel with the model, which then also fills missing serving inputs.
enum class MissingPolicy {
    DropRow,      // drop every row with a missing cell
    ImputeMean,   // numeric: training mean; categorical/boolean: most frequent value
    ImputeMedian, // numeric: training median; categorical/boolean: most frequent value
    ImputeMode,   // most frequent training value
};

QString missingPolicyName(MissingPolicy policy); // "drop-row", "impute-mean", ...
std::optional<MissingPolicy> missingPolicyFromName(const QString &name);

struct ImportOptions {
    QChar delimiter{};                 // null = detect among , TAB ; |
    int header = -1;                   // -1 = detect, 0 = none (columns "column_1"...), 1 = yes
    QString target;                    // column name; empty = last (non-excluded) column
    MissingPolicy missing = MissingPolicy::DropRow;
    QHash<QString, ColumnType> typeOverrides;
    QStringList excludeColumns;        // not imported at all (identifiers, free text)
    QStringList missingTokens;         // besides "", NA, N/A, NaN, null and ?
    std::optional<TaskKind> task;      // unset = infer from the target column
    // A numeric target with integer values and at most this many distinct values is taken as
    // class labels when the task is inferred.
    int maxInferredClasses = 20;
    // C, H, W over the feature columns in file order (channel-major, then rows).
    std::optional<std::array<int, 3>> imageShape;
    // Called with the fraction done (0..1) about once per MiB read; return false to cancel.
    // Runs on the importing thread.
    std::function<bool(double fraction)> progress;
};

} // namespace mlwb
