// SPDX-License-Identifier: MIT
#include "models/item_property.h"

#include "common/format.h"
#include "store/project.h"
#include "widgets/translate.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace mlwb {

using text::tr;

ItemProperty ItemProperty::name(const QString &value)
{
    return ItemProperty{tr("General"), QStringLiteral("name"), tr("Name"), value, {}, true};
}

QString ItemProperty::datasetName(Project &project, qint64 datasetId)
{
    if (datasetId <= 0)
        return QStringLiteral("\u2013");
    auto d = project.datasets().get(datasetId);
    return d ? d->name : QStringLiteral("\u2013");
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
