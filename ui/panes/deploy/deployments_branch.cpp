// SPDX-License-Identifier: MIT
#include "panes/deploy/deployments_branch.h"

#include "store/project.h"
#include "widgets/icons.h"
#include "widgets/translate.h"

namespace mlwb {

using text::tr;

QString DeploymentsBranch::title() const
{
    return tr("Deployments");
}

QIcon DeploymentsBranch::icon() const
{
    return Icons::themed(QStringLiteral("network-server"));
}

Result<QList<ExplorerNode>> DeploymentsBranch::load(Project &project)
{
    auto targets = project.targets().list();
    if (!targets)
        return targets.failure();
    QList<ExplorerNode> nodes;
    for (const TargetRecord &t : std::as_const(*targets)) {
        ExplorerNode n;
        n.ref = {kTargetKind, t.id};
        n.name = t.name;
        const QString badge = m_health ? m_health->badge(t.id) : QString();
        n.detail = badge.isEmpty() ? t.url : badge;
        n.toolTip = tr("%1 at %2%3").arg(t.name, t.url, badge.isEmpty() ? QString() : tr("\nhealth: %1").arg(badge));
        n.icon = Icons::themed(badge == QLatin1String("unreachable") ? QStringLiteral("network-disconnect")
                                                                     : QStringLiteral("network-server"));
        n.deletable = true;
        nodes << n;
    }
    return nodes;
}

void DeploymentsBranch::watch(Project &project, QObject *receiver, std::function<void()> reload)
{
    QObject::connect(&project, &Project::targetsChanged, receiver, reload);
    if (m_health)
        QObject::connect(m_health.get(), &TargetHealthBook::changed, receiver, reload);
}

} // namespace mlwb
