// SPDX-License-Identifier: MIT
#include "panes/package/package_explorer_nodes.h"

#include "common/format.h"
#include "package/package_manifest.h"
#include "panes/package/package_state_text.h"
#include "store/project.h"
#include "widgets/icons.h"
#include "widgets/translate.h"

#include <QCoreApplication>
#include <QHash>

namespace mlwb {

using text::tr;

Result<QList<std::pair<ItemRef, ExplorerNode>>> PackageExplorerNodes::load(Project &project)
{
    auto packages = project.packages().list();
    if (!packages)
        return packages.failure();
    // One Packages node per model, its packages in the repository's order (name, then version).
    QList<qint64> order;
    QHash<qint64, ExplorerNode> folders;
    for (const PackageRecord &p : std::as_const(*packages)) {
        if (!folders.contains(p.modelId)) {
            ExplorerNode f;
            f.ref = folderOf(p.modelId);
            f.name = tr("Packages");
            f.icon = Icons::themed(QStringLiteral("package-x-generic"));
            folders.insert(p.modelId, f);
            order << p.modelId;
        }
        ExplorerNode n;
        n.ref = {kPackageKind, p.id};
        n.name = p.name + QLatin1Char(' ') + p.version;
        n.detail = PackageStateText::badge(p);
        n.icon = PackageStateText::icon(p);
        n.toolTip = tr("%1:%2, %3\n%4, %5")
                        .arg(p.name, p.version, PackageStateText::name(p),
                             p.keyId.isEmpty() ? tr("not signed") : tr("signed by %1").arg(p.keyId),
                             Format::bytes(p.archiveBytes));
        n.deletable = true;
        folders[p.modelId].children << n;
    }
    QList<std::pair<ItemRef, ExplorerNode>> out;
    for (qint64 model : std::as_const(order)) {
        ExplorerNode &f = folders[model];
        f.detail = QString::number(f.children.size());
        out.append(std::make_pair(ItemRef{ItemKind::Model, model}, f));
    }
    return out;
}

void PackageExplorerNodes::watch(Project &project, QObject *receiver, std::function<void()> reload)
{
    QObject::connect(&project, &Project::packagesChanged, receiver, reload);
    QObject::connect(&project, &Project::modelsChanged, receiver, reload);
}

} // namespace mlwb
