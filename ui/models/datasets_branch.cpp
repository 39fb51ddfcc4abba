// SPDX-License-Identifier: MIT
#include "models/datasets_branch.h"

#include "store/project.h"
#include "common/format.h"
#include "widgets/icons.h"

#include <QCoreApplication>

namespace mlwb {

QString DatasetsBranch::title() const
{
    return QCoreApplication::translate("mlwb", "Data Sets");
}

QIcon DatasetsBranch::icon() const
{
    return Icons::themed(QStringLiteral("database-index"));
}

Result<QList<ExplorerNode>> DatasetsBranch::load(Project &project)
{
    auto datasets = project.datasets().list();
    if (!datasets)
        return datasets.failure();
    QList<ExplorerNode> nodes;
    for (const DatasetRecord &d : std::as_const(*datasets)) {
        ExplorerNode n;
        n.ref = {ItemKind::Dataset, d.id};
        n.name = d.name;
        n.detail = QCoreApplication::translate("mlwb", "%1 \u00d7 %2")
                       .arg(Format::count(d.rowCount))
                       .arg(d.columnCount);
        n.toolTip = QCoreApplication::translate("mlwb", "%1\n%2 rows, %3 columns\nfrom %4")
                        .arg(d.name)
                        .arg(d.rowCount)
                        .arg(d.columnCount)
                        .arg(d.sourcePath.isEmpty() ? QStringLiteral("\u2013") : d.sourcePath);
        n.icon = Icons::themed(QStringLiteral("table"));
        n.renamable = true;
        n.deletable = true;
        nodes << n;
    }
    return nodes;
}

void DatasetsBranch::watch(Project &project, QObject *receiver, std::function<void()> reload)
{
    QObject::connect(&project, &Project::datasetsChanged, receiver, reload);
}

} // namespace mlwb
