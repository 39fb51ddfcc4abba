// SPDX-License-Identifier: MIT
#pragma once

// EvaluationJson: the JSON plumbing shared by the evaluation reports. JSON has no NaN or infinity, yet
// reports carry both (undefined AUC, the +inf first ROC threshold): NaN is written as null and
// infinities as the strings "inf" / "-inf". Reading stops at the first problem and keeps a message
// naming the field's path, so a damaged row in the project file says where it is damaged.

#include "common/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <vector>

namespace mlwb {

class EvaluationJson {
public:
    static QJsonValue fromNumber(double value);
    static QJsonArray fromNumbers(const std::vector<double> &values);
    static QJsonArray fromIntegers(const std::vector<qint64> &values);

    // `what` starts every error message, e.g. "classification report".
    explicit EvaluationJson(QString what) : m_what(std::move(what)) {}

    // Each reader returns a default value once an error is recorded, so callers read a whole
    // object straight through and check ok() at the end. `path` is the enclosing object's path.
    double number(const QJsonObject &object, const QString &key, const QString &path = {});
    qint64 integer(const QJsonObject &object, const QString &key, const QString &path = {});
    QString string(const QJsonObject &object, const QString &key, const QString &path = {});
    QStringList strings(const QJsonObject &object, const QString &key, const QString &path = {});
    QJsonObject object(const QJsonObject &object, const QString &key, const QString &path = {});
    QJsonArray array(const QJsonObject &object, const QString &key, const QString &path = {});
    std::vector<double> numbers(const QJsonObject &object, const QString &key,
                                const QString &path = {});
    std::vector<qint64> integers(const QJsonObject &object, const QString &key,
                                 const QString &path = {});
    // An element of an array that must be an object.
    QJsonObject objectAt(const QJsonArray &array, qsizetype index, const QString &path);

    // Records a problem found by the caller (sizes that do not match, unknown kind).
    void fail(const QString &path, const QString &problem);

    bool ok() const { return m_error.isEmpty(); }
    Error error() const { return Error{m_error}; }

    static QString join(const QString &path, const QString &key);

private:
    bool toNumber(const QJsonValue &value, double &out) const;
    bool toInteger(const QJsonValue &value, qint64 &out) const;
    QJsonValue field(const QJsonObject &object, const QString &key, const QString &path);

    QString m_what;
    QString m_error;
};

} // namespace mlwb
