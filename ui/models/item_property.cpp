// SPDX-License-Identifier: MIT
#include "models/item_property.h"

#include "common/format.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace mlwb {

namespace {
QString tr(const char *text) { return QCoreApplication::translate("mlwb", text); }
} // namespace

ItemProperty ItemProperty::name(const QString &value)
{
    return ItemProperty{tr("General"), QStringLiteral("name"), tr("Name"), value, {}, true};
}

QString ItemProperty::jsonText(const QJsonValue &v)
{
    if (v.isDouble())
        return Format::metric(v.toDouble());
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? tr("yes") : tr("no");
    if (v.isNull() || v.isUndefined())
        return QStringLiteral("\u2013");
    return QString::fromUtf8(v.isArray()
                                 ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                 : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
}

} // namespace mlwb
