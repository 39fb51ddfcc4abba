// SPDX-License-Identifier: MIT
#pragma once

// ItemProperty: one row of the Inspector (group, name, shown value, whether it can be edited).

#include <QIcon>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QVariant>

namespace mlwb {

class Project;

struct ItemProperty {
    QString group;   // "General", "Hyperparameters", "Summary", ...
    QString key;     // stable id for editing ("name"); empty for read-only facts
    QString label;   // shown name
    QString value;   // formatted for reading
    QString toolTip; // the full value when `value` is shortened (a hash, a path)
    bool editable = false;

    // A read-only row.
    static ItemProperty fact(const QString &group, const QString &label, const QString &value,
                             const QString &toolTip = {})
    {
        return ItemProperty{group, {}, label, value, toolTip, false};
    }
    // The editable "Name" row every renamable kind shows first.
    static ItemProperty name(const QString &value);
    // A JSON value for reading: numbers as metrics, true/false as yes/no, "–" for null.
    static QString jsonText(const QJsonValue &v);
    // The name of the data set an item belongs to, "–" when it has none or it is gone.
    static QString datasetName(Project &project, qint64 datasetId);
};

struct ItemDescription {
    QString name;
    QString typeName;
    QList<ItemProperty> properties;
    QIcon icon; // the item's own (a run's status); null: the kind's
};

} // namespace mlwb
