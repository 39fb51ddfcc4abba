// SPDX-License-Identifier: MIT
#include "checks/check_report.h"

#include "common/json_number.h"

namespace mlwb {

bool CheckReport::passed() const { return failedGates().isEmpty(); }

QStringList CheckReport::failedGates() const
{
    QStringList failed;
    for (const Item &i : items) {
        if (i.gate && !i.passed)
            failed << i.name;
    }
    return failed;
}

QJsonObject CheckReport::toJson() const
{
    QJsonArray list;
    for (const Item &i : items) {
        list.append(QJsonObject{{QStringLiteral("id"), i.id},
                                {QStringLiteral("group"), i.group},
                                {QStringLiteral("name"), i.name},
                                {QStringLiteral("value"), JsonNumber::from(i.value)},
                                {QStringLiteral("op"), i.op},
                                {QStringLiteral("threshold"), JsonNumber::from(i.threshold)},
                                {QStringLiteral("passed"), i.passed},
                                {QStringLiteral("gate"), i.gate},
                                {QStringLiteral("unit"), i.unit},
                                {QStringLiteral("detail"), i.detail}});
    }
    return QJsonObject{{QStringLiteral("format"), 1},
                       {QStringLiteral("status"), passed() ? QStringLiteral("passed") : QStringLiteral("failed")},
                       {QStringLiteral("run_at"), runAt.toUTC().toString(Qt::ISODateWithMs)},
                       {QStringLiteral("by"), by},
                       {QStringLiteral("route"), route},
                       {QStringLiteral("config"), config},
                       {QStringLiteral("items"), list},
                       {QStringLiteral("latency"), latency},
                       {QStringLiteral("memory"), memory},
                       {QStringLiteral("metrics"), metrics},
                       {QStringLiteral("robustness"), robustness}};
}

Result<CheckReport> CheckReport::fromJson(const QJsonObject &json)
{
    if (json.value(QStringLiteral("format")).toInt(-1) != 1)
        return corrupt(QStringLiteral("checks.json: format %1 is not one this mlwb reads (1)")
                           .arg(json.value(QStringLiteral("format")).toVariant().toString()));
    if (json.value(QStringLiteral("status")).toString() == QLatin1String("not_run"))
        return notFound(QStringLiteral("the checks have not run on this package"));
    CheckReport r;
    r.runAt = QDateTime::fromString(json.value(QStringLiteral("run_at")).toString(), Qt::ISODateWithMs);
    r.by = json.value(QStringLiteral("by")).toString();
    r.route = json.value(QStringLiteral("route")).toString();
    r.config = json.value(QStringLiteral("config")).toObject();
    r.latency = json.value(QStringLiteral("latency")).toObject();
    r.memory = json.value(QStringLiteral("memory")).toObject();
    r.metrics = json.value(QStringLiteral("metrics")).toObject();
    r.robustness = json.value(QStringLiteral("robustness")).toArray();
    const QJsonValue items = json.value(QStringLiteral("items"));
    if (!items.isArray())
        return corrupt(QStringLiteral("checks.json: \"items\" must be an array"));
    for (const QJsonValue &v : items.toArray()) {
        const QJsonObject o = v.toObject();
        Item i;
        i.id = o.value(QStringLiteral("id")).toString();
        i.group = o.value(QStringLiteral("group")).toString();
        i.name = o.value(QStringLiteral("name")).toString();
        i.value = JsonNumber::toDouble(o.value(QStringLiteral("value")), std::numeric_limits<double>::quiet_NaN());
        i.op = o.value(QStringLiteral("op")).toString();
        i.threshold = JsonNumber::toDouble(o.value(QStringLiteral("threshold")), std::numeric_limits<double>::quiet_NaN());
        i.passed = o.value(QStringLiteral("passed")).toBool();
        i.gate = o.value(QStringLiteral("gate")).toBool(true);
        i.unit = o.value(QStringLiteral("unit")).toString();
        i.detail = o.value(QStringLiteral("detail")).toString();
        if (i.id.isEmpty())
            return corrupt(QStringLiteral("checks.json: an item has no id"));
        r.items.push_back(i);
    }
    return r;
}

} // namespace mlwb
