// SPDX-License-Identifier: MIT
#include "checks/check_config.h"

#include <QJsonArray>

#include <cmath>

namespace mlwb {

CheckConfig CheckConfig::defaults(bool classification)
{
    CheckConfig c;
    if (classification) {
        c.gates = {{QStringLiteral("accuracy"), 0.8, std::nullopt},
                   {QStringLiteral("f1_macro"), 0.75, std::nullopt},
                   {QStringLiteral("roc_auc"), 0.85, std::nullopt}};
    } else {
        c.gates = {{QStringLiteral("r2"), 0.3, std::nullopt}};
    }
    return c;
}

QJsonObject CheckConfig::toJson() const
{
    QJsonArray g;
    for (const Gate &gate : gates) {
        QJsonObject o{{QStringLiteral("metric"), gate.metric}};
        if (gate.min)
            o.insert(QStringLiteral("min"), *gate.min);
        if (gate.max)
            o.insert(QStringLiteral("max"), *gate.max);
        g.append(o);
    }
    return QJsonObject{{QStringLiteral("gates"), g},
                       {QStringLiteral("regression_tolerance"), regressionTolerance},
                       {QStringLiteral("latency_p99_ms"), latencyP99Ms},
                       {QStringLiteral("memory_growth_kb_per_1000"), memoryGrowthKbPer1000},
                       {QStringLiteral("latency_seconds"), latencySeconds},
                       {QStringLiteral("python_round_trip"), pythonRoundTrip}};
}

Result<CheckConfig> CheckConfig::fromJson(const QJsonObject &json)
{
    CheckConfig c;
    const auto wrong = [](const QString &field, const QString &why) {
        return invalidInput(QStringLiteral("check configuration: %1 %2").arg(field, why));
    };
    const auto number = [&](const char *key, double &into, double min, double max) -> Status {
        const QJsonValue v = json.value(QLatin1StringView(key));
        if (v.isUndefined())
            return {};
        if (!v.isDouble() || !(v.toDouble() >= min && v.toDouble() <= max))
            return wrong(QString::fromLatin1(key), QStringLiteral("must be a number from %1 to %2").arg(min).arg(max));
        into = v.toDouble();
        return {};
    };
    if (auto s = number("regression_tolerance", c.regressionTolerance, 0, 1e9); !s)
        return s.failure();
    if (auto s = number("latency_p99_ms", c.latencyP99Ms, 0, 1e9); !s)
        return s.failure();
    if (auto s = number("memory_growth_kb_per_1000", c.memoryGrowthKbPer1000, 0, 1e12); !s)
        return s.failure();
    if (auto s = number("latency_seconds", c.latencySeconds, 0.01, 600); !s)
        return s.failure();
    const QJsonValue python = json.value(QStringLiteral("python_round_trip"));
    if (!python.isUndefined() && !python.isBool())
        return wrong(QStringLiteral("python_round_trip"), QStringLiteral("must be true or false"));
    c.pythonRoundTrip = python.toBool(true);
    const QJsonValue gates = json.value(QStringLiteral("gates"));
    if (gates.isUndefined())
        return c;
    if (!gates.isArray())
        return wrong(QStringLiteral("gates"), QStringLiteral("must be an array"));
    c.gates.clear();
    const QJsonArray list = gates.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString path = QStringLiteral("gates[%1]").arg(i);
        const QJsonObject o = list.at(i).toObject();
        Gate g;
        g.metric = o.value(QStringLiteral("metric")).toString();
        if (g.metric.isEmpty())
            return wrong(path, QStringLiteral("needs a \"metric\" name"));
        for (const char *bound : {"min", "max"}) {
            const QJsonValue v = o.value(QLatin1StringView(bound));
            if (v.isUndefined())
                continue;
            if (!v.isDouble() || !std::isfinite(v.toDouble()))
                return wrong(path + QLatin1Char('.') + QLatin1StringView(bound), QStringLiteral("must be a number"));
            (bound[1] == 'i' ? g.min : g.max) = v.toDouble();
        }
        if (!g.min && !g.max)
            return wrong(path, QStringLiteral("needs \"min\" or \"max\""));
        c.gates.push_back(g);
    }
    return c;
}

} // namespace mlwb
