// SPDX-License-Identifier: MIT
#include "data/column_info.h"

#include <QJsonArray>

namespace mlwb {

namespace {

// JSON has no NaN; an absent statistic is written as null and read back as NaN.
QJsonValue statToJson(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

double statFromJson(const QJsonValue &v)
{
    return v.isDouble() ? v.toDouble() : std::numeric_limits<double>::quiet_NaN();
}

} // namespace

QString columnTypeName(ColumnType type)
{
    switch (type) {
    case ColumnType::Numeric:
        return QStringLiteral("numeric");
    case ColumnType::Categorical:
        return QStringLiteral("categorical");
    case ColumnType::Boolean:
        return QStringLiteral("boolean");
    }
    return {};
}

std::optional<ColumnType> columnTypeFromName(const QString &name)
{
    for (ColumnType t : {ColumnType::Numeric, ColumnType::Categorical, ColumnType::Boolean}) {
        if (name.compare(columnTypeName(t), Qt::CaseInsensitive) == 0)
            return t;
    }
    return std::nullopt;
}

QString taskKindName(TaskKind task)
{
    return task == TaskKind::Classification ? QStringLiteral("classification")
                                            : QStringLiteral("regression");
}

std::optional<TaskKind> taskKindFromName(const QString &name)
{
    for (TaskKind t : {TaskKind::Classification, TaskKind::Regression}) {
        if (name.compare(taskKindName(t), Qt::CaseInsensitive) == 0)
            return t;
    }
    return std::nullopt;
}

QJsonObject ColumnInfo::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("name"), name);
    o.insert(QStringLiteral("type"), columnTypeName(type));
    if (isCoded()) {
        o.insert(QStringLiteral("categories"), QJsonArray::fromStringList(categories));
        QJsonArray counts;
        for (qint64 c : categoryCounts)
            counts.append(c);
        o.insert(QStringLiteral("categoryCounts"), counts);
    }
    o.insert(QStringLiteral("missing"), missing);
    o.insert(QStringLiteral("min"), statToJson(min));
    o.insert(QStringLiteral("max"), statToJson(max));
    o.insert(QStringLiteral("mean"), statToJson(mean));
    o.insert(QStringLiteral("stddev"), statToJson(stddev));
    o.insert(QStringLiteral("distinct"), distinct);
    return o;
}

Result<ColumnInfo> ColumnInfo::fromJson(const QJsonObject &json)
{
    ColumnInfo c;
    c.name = json.value(QStringLiteral("name")).toString();
    if (c.name.isEmpty())
        return fail(QStringLiteral("column schema: missing field 'name'"));
    const QString typeName = json.value(QStringLiteral("type")).toString();
    const auto type = columnTypeFromName(typeName);
    if (!type)
        return fail(QStringLiteral("column '%1': unknown type '%2' in field 'type'")
                        .arg(c.name, typeName));
    c.type = *type;
    for (const QJsonValue &v : json.value(QStringLiteral("categories")).toArray())
        c.categories.append(v.toString());
    for (const QJsonValue &v : json.value(QStringLiteral("categoryCounts")).toArray())
        c.categoryCounts.append(v.toInteger());
    if (c.type == ColumnType::Boolean && c.categories.size() != 2)
        return fail(QStringLiteral("column '%1': a boolean column needs 2 labels in field "
                                   "'categories', found %2")
                        .arg(c.name, QString::number(c.categories.size())));
    if (c.type == ColumnType::Categorical && c.categories.isEmpty())
        return fail(QStringLiteral("column '%1': categorical column without 'categories'")
                        .arg(c.name));
    if (c.type == ColumnType::Numeric && !c.categories.isEmpty())
        return fail(QStringLiteral("column '%1': numeric column with 'categories'").arg(c.name));
    if (!c.categoryCounts.isEmpty() && c.categoryCounts.size() != c.categories.size())
        return fail(QStringLiteral("column '%1': field 'categoryCounts' has %2 entries for %3 "
                                   "categories")
                        .arg(c.name, QString::number(c.categoryCounts.size()),
                             QString::number(c.categories.size())));
    c.missing = json.value(QStringLiteral("missing")).toInteger();
    c.min = statFromJson(json.value(QStringLiteral("min")));
    c.max = statFromJson(json.value(QStringLiteral("max")));
    c.mean = statFromJson(json.value(QStringLiteral("mean")));
    c.stddev = statFromJson(json.value(QStringLiteral("stddev")));
    c.distinct = json.value(QStringLiteral("distinct")).toInteger();
    return c;
}

} // namespace mlwb
