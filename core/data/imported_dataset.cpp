// SPDX-License-Identifier: MIT
#include "data/imported_dataset.h"

#include <QJsonArray>

namespace mlwb {

std::vector<int> ImportedDataset::featureColumns() const
{
    std::vector<int> cols;
    for (int c = 0; c < table.columnCount(); ++c) {
        if (c != targetColumn)
            cols.push_back(c);
    }
    return cols;
}

QString ImportedDataset::targetName() const
{
    return targetColumn >= 0 && targetColumn < table.columnCount()
        ? table.column(targetColumn).name
        : QString();
}

QJsonObject ImportedDataset::schemaJson() const
{
    QJsonObject o = table.schemaJson();
    o.insert(QStringLiteral("task"), taskKindName(task));
    o.insert(QStringLiteral("target"), targetName());
    o.insert(QStringLiteral("targetColumn"), targetColumn);
    o.insert(QStringLiteral("classNames"), QJsonArray::fromStringList(classNames));
    if (imageShape)
        o.insert(QStringLiteral("imageShape"),
                 QJsonArray{(*imageShape)[0], (*imageShape)[1], (*imageShape)[2]});
    o.insert(QStringLiteral("sha256"), sha256);
    o.insert(QStringLiteral("sourcePath"), sourcePath);
    o.insert(QStringLiteral("sourceRows"), sourceRows);
    o.insert(QStringLiteral("droppedRows"), droppedRows);
    o.insert(QStringLiteral("delimiter"), QString(delimiter));
    o.insert(QStringLiteral("hasHeader"), hasHeader);
    o.insert(QStringLiteral("missingPolicy"), missingPolicyName(missingPolicy));
    return o;
}

Result<ImportedDataset> ImportedDataset::restore(const QJsonObject &schema,
                                                 const QByteArray &tableBlob)
{
    auto table = DataTable::deserialize(tableBlob);
    if (!table)
        return table.failure();
    ImportedDataset d;
    d.table = std::move(*table);
    const auto bad = [](const QString &what) {
        return fail(QStringLiteral("dataset schema: %1").arg(what));
    };
    const auto task = taskKindFromName(schema.value(QStringLiteral("task")).toString());
    if (!task)
        return bad(QStringLiteral("field 'task' is not \"classification\" or \"regression\""));
    d.task = *task;
    d.targetColumn = schema.value(QStringLiteral("targetColumn")).toInt(-1);
    if (d.targetColumn < 0 || d.targetColumn >= d.table.columnCount())
        return bad(QStringLiteral("field 'targetColumn' (%1) is not a column of the %2-column "
                                  "table")
                       .arg(d.targetColumn)
                       .arg(d.table.columnCount()));
    const QString target = schema.value(QStringLiteral("target")).toString();
    if (target != d.targetName())
        return bad(QStringLiteral("field 'target' names '%1' but column %2 is '%3'")
                       .arg(target, QString::number(d.targetColumn), d.targetName()));
    for (const QJsonValue &v : schema.value(QStringLiteral("classNames")).toArray())
        d.classNames.append(v.toString());
    const ColumnInfo &targetInfo = d.table.column(d.targetColumn);
    if (d.task == TaskKind::Classification && d.classNames != targetInfo.categories)
        return bad(QStringLiteral("field 'classNames' differs from the categories of target "
                                  "column '%1'")
                       .arg(target));
    if (d.task == TaskKind::Regression && targetInfo.type != ColumnType::Numeric)
        return bad(QStringLiteral("regression target '%1' is not numeric").arg(target));
    const QJsonArray shape = schema.value(QStringLiteral("imageShape")).toArray();
    if (!shape.isEmpty()) {
        if (shape.size() != 3)
            return bad(QStringLiteral("field 'imageShape' needs 3 numbers (C, H, W)"));
        std::array<int, 3> s{shape[0].toInt(), shape[1].toInt(), shape[2].toInt()};
        if (s[0] <= 0 || s[1] <= 0 || s[2] <= 0
            || qint64(s[0]) * s[1] * s[2] != d.table.columnCount() - 1)
            return bad(QStringLiteral("field 'imageShape' %1x%2x%3 does not cover the %4 "
                                      "feature columns")
                           .arg(s[0])
                           .arg(s[1])
                           .arg(s[2])
                           .arg(d.table.columnCount() - 1));
        d.imageShape = s;
    }
    d.sha256 = schema.value(QStringLiteral("sha256")).toString();
    d.sourcePath = schema.value(QStringLiteral("sourcePath")).toString();
    d.sourceRows = schema.value(QStringLiteral("sourceRows")).toInteger();
    d.droppedRows = schema.value(QStringLiteral("droppedRows")).toInteger();
    const QString delimiter = schema.value(QStringLiteral("delimiter")).toString();
    d.delimiter = delimiter.isEmpty() ? QChar() : delimiter.front();
    d.hasHeader = schema.value(QStringLiteral("hasHeader")).toBool(true);
    d.missingPolicy = missingPolicyFromName(schema.value(QStringLiteral("missingPolicy"))
                                                .toString())
                          .value_or(MissingPolicy::DropRow);
    return d;
}

} // namespace mlwb
