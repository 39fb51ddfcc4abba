// SPDX-License-Identifier: MIT
#pragma once

// DataTable: an imported data set held by column, one double per cell. Categorical and boolean
// cells hold their category code, missing cells hold NaN. Serialises to a compact compressed blob.

#include "common/result.h"
#include "data/column_info.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <vector>

namespace mlwb {

class DataTable {
public:
    DataTable() = default;
    // Every column vector must have the same length and match its ColumnInfo; checked by
    // create(), assumed by this constructor (the importer builds valid tables).
    DataTable(QList<ColumnInfo> columns, std::vector<std::vector<double>> data);
    static Result<DataTable> create(QList<ColumnInfo> columns,
                                    std::vector<std::vector<double>> data);

    qint64 rowCount() const { return m_rows; }
    int columnCount() const { return int(m_columns.size()); }
    const QList<ColumnInfo> &columns() const { return m_columns; }
    const ColumnInfo &column(int col) const { return m_columns[col]; }
    QStringList columnNames() const;
    int columnIndex(const QString &name) const; // -1 when absent

    double value(qint64 row, int col) const { return m_data[size_t(col)][size_t(row)]; }
    bool isMissing(qint64 row, int col) const;
    const std::vector<double> &columnData(int col) const { return m_data[size_t(col)]; }
    // Category label for coded columns, shortest round-tripping number otherwise, "" if missing.
    QString displayText(qint64 row, int col) const;

    // A new table holding the given rows in the given order, statistics recomputed.
    DataTable selectRows(const std::vector<qint64> &rows) const;
    // Recomputes min/max/mean/stddev/distinct/categoryCounts; keeps 'missing' (a source count).
    void updateStatistics();

    QByteArray serialize() const;
    static Result<DataTable> deserialize(const QByteArray &blob);

    QJsonObject schemaJson() const;
    // The column list and row count stored by schemaJson(), for showing a data set's schema
    // without loading its blob.
    static Result<QList<ColumnInfo>> columnsFromSchemaJson(const QJsonObject &schema);

private:
    static Status validate(const QList<ColumnInfo> &columns,
                           const std::vector<std::vector<double>> &data);

    QList<ColumnInfo> m_columns;
    std::vector<std::vector<double>> m_data;
    qint64 m_rows = 0;
};

// Shortest text that parses back to the same double ("0.1", "16", "1e+300").
QString formatNumber(double value);

} // namespace mlwb
