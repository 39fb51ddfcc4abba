// SPDX-License-Identifier: MIT
#include "common/json_number.h"

#include <QJsonArray>

#include <cmath>
#include <limits>

namespace mlwb {

QJsonValue JsonNumber::from(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity");
    return value;
}

std::optional<double> JsonNumber::to(const QJsonValue &value)
{
    if (value.isDouble())
        return value.toDouble();
    if (value.isNull())
        return std::numeric_limits<double>::quiet_NaN();
    if (value.isString()) {
        const QString s = value.toString();
        if (s == u"NaN" || s == u"nan")
            return std::numeric_limits<double>::quiet_NaN();
        if (s == u"Infinity" || s == u"inf" || s == u"+inf")
            return std::numeric_limits<double>::infinity();
        if (s == u"-Infinity" || s == u"-inf")
            return -std::numeric_limits<double>::infinity();
    }
    return std::nullopt;
}

double JsonNumber::toDouble(const QJsonValue &value, double fallback)
{
    if (value.isUndefined())
        return fallback;
    return to(value).value_or(fallback);
}

QString JsonNumber::nonFiniteName(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return QString();
}

QJsonValue JsonNumber::encode(const QJsonValue &value)
{
    if (value.isDouble())
        return from(value.toDouble());
    if (value.isObject())
        return encode(value.toObject());
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &v : value.toArray())
            out.append(encode(v));
        return out;
    }
    return value;
}

QJsonObject JsonNumber::encode(const QJsonObject &object)
{
    QJsonObject out;
    for (auto it = object.begin(); it != object.end(); ++it)
        out.insert(it.key(), encode(it.value()));
    return out;
}

QJsonObject JsonNumber::decodeFlat(const QJsonObject &object)
{
    QJsonObject out = object;
    for (auto it = out.begin(); it != out.end(); ++it) {
        if (!it.value().isString())
            continue;
        const QString s = it.value().toString();
        if (s == u"NaN" || s == u"Infinity" || s == u"-Infinity")
            it.value() = *to(it.value());
    }
    return out;
}

} // namespace mlwb
