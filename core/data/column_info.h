// SPDX-License-Identifier: MIT
#pragma once

// Column metadata of an imported table: its kind, category labels and summary statistics.

#include "common/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <cmath>
#include <limits>
#include <optional>

namespace mlwb {

enum class ColumnType { Numeric, Categorical, Boolean };
enum class TaskKind { Classification, Regression };

QString columnTypeName(ColumnType type);                  // "numeric", "categorical", "boolean"
std::optional<ColumnType> columnTypeFromName(const QString &name);
QString taskKindName(TaskKind task);                      // "classification", "regression"
std::optional<TaskKind> taskKindFromName(const QString &name);

struct ColumnInfo {
    QString name;
    ColumnType type = ColumnType::Numeric;
    // Categorical and boolean cells are stored as the index into this list. Boolean columns
    // always hold two labels: {false label, true label}.
    QStringList categories;
    // Cells per category code, same length as categories.
    QList<qint64> categoryCounts;
    // Cells that were missing in the source file, before the missing-value policy ran.
    qint64 missing = 0;
    // Over the stored values (codes for categorical and boolean columns); NaN when no values.
    double min = std::numeric_limits<double>::quiet_NaN();
    double max = std::numeric_limits<double>::quiet_NaN();
    double mean = std::numeric_limits<double>::quiet_NaN();
    double stddev = std::numeric_limits<double>::quiet_NaN();
    qint64 distinct = 0;

    bool isCoded() const { return type != ColumnType::Numeric; }

    QJsonObject toJson() const;
    static Result<ColumnInfo> fromJson(const QJsonObject &json);
};

} // namespace mlwb
