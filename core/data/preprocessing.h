// SPDX-License-Identifier: MIT
#pragma once

// Preprocessing: turns table rows into model inputs and targets. Fitted on the training rows
// only, it travels with the model (toJson) so serving applies the very same scaling.

#include "common/result.h"
#include "data/column_info.h"
#include "data/import_options.h"

#include <QJsonObject>
#include <QStringList>

#include <array>
#include <optional>
#include <vector>

namespace mlwb {

class DataTable;
struct ImportedDataset;

enum class FeatureEncoding {
    Standardize, // (x - mean) / std; numeric columns, and every column of an image input
    Binary,      // boolean code as 0 or 1
    OneHot,      // one input per category
};

// One table column's contribution to the input vector: `width` inputs starting at `offset`.
// A missing cell takes `fill` (in the column's units, or a category code) when the data set's
// missing-value policy imputes; fill is fitted on the training rows like mean and std, so no
// statistic of validation or test rows reaches the model. Without a fill a missing cell becomes
// the training mean (0 after standardising; the true share for binary) or an all-zero one-hot
// block.
struct FeatureTransform {
    QString name;
    int column = -1;
    ColumnType type = ColumnType::Numeric;
    FeatureEncoding encoding = FeatureEncoding::Standardize;
    double mean = 0;
    double std = 1;
    QStringList categories; // OneHot and Binary labels
    std::optional<double> fill;
    int offset = 0;
    int width = 1;
};

class Preprocessing {
public:
    Preprocessing() = default;

    // Every column but the target is a feature. Statistics come from trainRows alone. With an
    // image shape, features form C x H x W (channel-major) and share one mean/std per channel.
    // An impute policy gives every feature a fill for missing cells: the training mean, median
    // or most frequent value of numeric columns, the most frequent category otherwise.
    static Result<Preprocessing> fit(const DataTable &table, int targetColumn, TaskKind task,
                                     const std::vector<qint64> &trainRows,
                                     std::optional<std::array<int, 3>> imageShape = {},
                                     MissingPolicy missing = MissingPolicy::DropRow);
    static Result<Preprocessing> fit(const ImportedDataset &dataset,
                                     const std::vector<qint64> &trainRows);

    TaskKind task() const { return m_task; }
    const QString &targetName() const { return m_targetName; }
    int targetColumn() const { return m_targetColumn; }
    const QStringList &classNames() const { return m_classNames; }
    // Model outputs: the number of classes, or 1 for regression.
    int outputCount() const;

    int featureCount() const { return m_featureCount; }
    // {F}, or {C, H, W} for an image input.
    std::vector<qint64> inputShape() const;
    bool isImage() const { return m_imageShape.has_value(); }
    const std::vector<FeatureTransform> &features() const { return m_features; }
    double targetMean() const { return m_targetMean; }
    double targetStd() const { return m_targetStd; }

    // The table has the columns this was fitted on (names, types, categories).
    Status checkTable(const DataTable &table) const;
    // rows.size() x featureCount() floats, row-major. The table must pass checkTable().
    void transform(const DataTable &table, const std::vector<qint64> &rows, float *out) const;
    std::vector<float> transform(const DataTable &table, const std::vector<qint64> &rows) const;
    // One raw record for serving, keyed by column name: numbers, numeric strings, category
    // labels, booleans; null means missing. Writes featureCount() floats.
    Status transformRecord(const QJsonObject &record, float *out) const;
    // Raw rows as one float per feature (features() order): numbers in the column's units, a
    // category as its code (its index in `categories`), a boolean as 0 or 1, NaN for missing.
    // Writes rows x featureCount() floats with the same arithmetic transform() uses on a table,
    // so a row gives the same bits either way. Infinity, a code that names no category and a
    // boolean other than 0 or 1 are invalid input naming the row and the feature.
    Status transformRaw(const float *raw, qint64 rows, float *out) const;

    // Class codes (-1 for a missing label).
    std::vector<qint64> classTargets(const DataTable &table, const std::vector<qint64> &rows) const;
    // Standardised with the training target mean/std; unscaleTarget() undoes it.
    std::vector<float> regressionTargets(const DataTable &table,
                                         const std::vector<qint64> &rows) const;
    double unscaleTarget(double scaled) const { return scaled * m_targetStd + m_targetMean; }

    QJsonObject toJson() const;
    static Result<Preprocessing> fromJson(const QJsonObject &json);

private:
    TaskKind m_task = TaskKind::Classification;
    QString m_targetName;
    int m_targetColumn = -1;
    ColumnType m_targetType = ColumnType::Numeric;
    QStringList m_classNames;
    double m_targetMean = 0;
    double m_targetStd = 1;
    std::vector<FeatureTransform> m_features;
    int m_featureCount = 0;
    std::optional<std::array<int, 3>> m_imageShape;
    qint64 m_fittedRows = 0;
};

QString featureEncodingName(FeatureEncoding encoding); // "standardize", "binary", "one-hot"

} // namespace mlwb
