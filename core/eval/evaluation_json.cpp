// SPDX-License-Identifier: MIT
#include "eval/evaluation_json.h"

#include "common/json_number.h"

#include <cmath>
#include <limits>

namespace mlwb {

QJsonValue EvaluationJson::fromNumber(double value)
{
    return JsonNumber::from(value);
}

QJsonArray EvaluationJson::fromNumbers(const std::vector<double> &values)
{
    QJsonArray array;
    for (double v : values)
        array.append(fromNumber(v));
    return array;
}

QJsonArray EvaluationJson::fromIntegers(const std::vector<qint64> &values)
{
    QJsonArray array;
    for (qint64 v : values)
        array.append(v);
    return array;
}

QString EvaluationJson::join(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + QLatin1Char('.') + key;
}

void EvaluationJson::fail(const QString &path, const QString &problem)
{
    if (!m_error.isEmpty())
        return;
    m_error = path.isEmpty() ? QStringLiteral("%1: %2").arg(m_what, problem)
                             : QStringLiteral("%1: %2: %3").arg(m_what, path, problem);
}

bool EvaluationJson::toNumber(const QJsonValue &value, double &out) const
{
    // Reports stored before schema 4 wrote NaN as null and infinities as "inf"/"-inf".
    const std::optional<double> number = JsonNumber::to(value);
    if (!number)
        return false;
    out = *number;
    return true;
}

bool EvaluationJson::toInteger(const QJsonValue &value, qint64 &out) const
{
    if (!value.isDouble())
        return false;
    const double d = value.toDouble();
    // Beyond 2^53 a JSON number no longer holds every integer; counts never get there.
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9007199254740992.0)
        return false;
    out = qint64(d);
    return true;
}

QJsonValue EvaluationJson::field(const QJsonObject &object, const QString &key, const QString &path)
{
    if (!ok())
        return {};
    const auto it = object.constFind(key);
    if (it == object.constEnd()) {
        fail(join(path, key), QStringLiteral("missing"));
        return {};
    }
    return it.value();
}

double EvaluationJson::number(const QJsonObject &object, const QString &key, const QString &path)
{
    const QJsonValue v = field(object, key, path);
    double out = std::numeric_limits<double>::quiet_NaN();
    if (ok() && !toNumber(v, out))
        fail(join(path, key), QStringLiteral("expected a number"));
    return out;
}

qint64 EvaluationJson::integer(const QJsonObject &object, const QString &key, const QString &path)
{
    const QJsonValue v = field(object, key, path);
    qint64 out = 0;
    if (ok() && !toInteger(v, out))
        fail(join(path, key), QStringLiteral("expected an integer"));
    return out;
}

QString EvaluationJson::string(const QJsonObject &object, const QString &key, const QString &path)
{
    const QJsonValue v = field(object, key, path);
    if (ok() && !v.isString())
        fail(join(path, key), QStringLiteral("expected a string"));
    return ok() ? v.toString() : QString();
}

QStringList EvaluationJson::strings(const QJsonObject &object, const QString &key, const QString &path)
{
    const QJsonArray a = array(object, key, path);
    QStringList out;
    for (qsizetype i = 0; ok() && i < a.size(); ++i) {
        if (!a.at(i).isString())
            fail(QStringLiteral("%1[%2]").arg(join(path, key)).arg(i),
                 QStringLiteral("expected a string"));
        out.append(a.at(i).toString());
    }
    return ok() ? out : QStringList();
}

QJsonObject EvaluationJson::object(const QJsonObject &object, const QString &key, const QString &path)
{
    const QJsonValue v = field(object, key, path);
    if (ok() && !v.isObject())
        fail(join(path, key), QStringLiteral("expected an object"));
    return ok() ? v.toObject() : QJsonObject();
}

QJsonArray EvaluationJson::array(const QJsonObject &object, const QString &key, const QString &path)
{
    const QJsonValue v = field(object, key, path);
    if (ok() && !v.isArray())
        fail(join(path, key), QStringLiteral("expected an array"));
    return ok() ? v.toArray() : QJsonArray();
}

std::vector<double> EvaluationJson::numbers(const QJsonObject &object, const QString &key,
                                        const QString &path)
{
    const QJsonArray a = array(object, key, path);
    std::vector<double> out(size_t(a.size()));
    for (qsizetype i = 0; ok() && i < a.size(); ++i) {
        if (!toNumber(a.at(i), out[size_t(i)]))
            fail(QStringLiteral("%1[%2]").arg(join(path, key)).arg(i),
                 QStringLiteral("expected a number"));
    }
    return ok() ? out : std::vector<double>();
}

std::vector<qint64> EvaluationJson::integers(const QJsonObject &object, const QString &key,
                                         const QString &path)
{
    const QJsonArray a = array(object, key, path);
    std::vector<qint64> out(size_t(a.size()));
    for (qsizetype i = 0; ok() && i < a.size(); ++i) {
        if (!toInteger(a.at(i), out[size_t(i)]))
            fail(QStringLiteral("%1[%2]").arg(join(path, key)).arg(i),
                 QStringLiteral("expected an integer"));
    }
    return ok() ? out : std::vector<qint64>();
}

QJsonObject EvaluationJson::objectAt(const QJsonArray &array, qsizetype index, const QString &path)
{
    if (!ok())
        return {};
    const QString at = QStringLiteral("%1[%2]").arg(path).arg(index);
    if (index < 0 || index >= array.size()) {
        fail(at, QStringLiteral("missing"));
        return {};
    }
    if (!array.at(index).isObject()) {
        fail(at, QStringLiteral("expected an object"));
        return {};
    }
    return array.at(index).toObject();
}

} // namespace mlwb
