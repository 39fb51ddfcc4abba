// SPDX-License-Identifier: MIT
#include "panes/monitor/monitoring_branch.h"

#include "common/format.h"
#include "panes/monitor/monitor_watcher.h"
#include "store/alert_repository.h"
#include "store/project.h"
#include "widgets/icons.h"
#include "widgets/translate.h"

namespace mlwb {

using text::tr;

QString MonitoringBranch::title() const { return tr("Monitoring"); }

QIcon MonitoringBranch::icon() const { return Icons::themed(QStringLiteral("utilities-system-monitor")); }

Result<QList<ExplorerNode>> MonitoringBranch::load(Project &project)
{
    auto targets = project.targets().list();
    if (!targets)
        return targets.failure();
    AlertRepository alerts(project.db());
    QList<ExplorerNode> nodes;
    for (const TargetRecord &t : std::as_const(*targets)) {
        auto firing = alerts.active(t.id);
        if (!firing)
            return firing.failure();
        ExplorerNode n;
        n.ref = {kMonitorKind, t.id};
        n.name = t.name;
        const bool watching = m_watcher && m_watcher->isWatching(t.id);
        n.detail = firing->isEmpty() ? (watching ? tr("watching") : tr("not watched"))
                                     : (firing->size() == 1 ? tr("1 alert fires") : tr("%1 alerts fire").arg(firing->size()));
        n.toolTip = tr("Monitoring of %1 (%2)").arg(t.name, n.detail);
        n.icon = Icons::themed(firing->isEmpty() ? QStringLiteral("utilities-system-monitor") : QStringLiteral("dialog-warning"));
        for (const AlertRecord &a : std::as_const(*firing)) {
            ExplorerNode c;
            c.ref = {kAlertKind, a.id};
            c.name = a.message.section(QLatin1String(" ("), 0, 0);
            c.detail = tr("since %1").arg(Format::dateTime(a.firedAt));
            c.toolTip = a.message;
            c.icon = Icons::themed(QStringLiteral("dialog-warning"));
            n.children << c;
        }
        nodes << n;
    }
    return nodes;
}

void MonitoringBranch::watch(Project &project, QObject *receiver, std::function<void()> reload)
{
    QObject::connect(&project, &Project::targetsChanged, receiver, reload);
    QObject::connect(&project, &Project::externallyChanged, receiver, reload);
    if (m_watcher) {
        QObject::connect(m_watcher, &MonitorWatcher::alertChanged, receiver, reload);
        QObject::connect(m_watcher, &MonitorWatcher::watchingChanged, receiver, reload);
    }
}

} // namespace mlwb
