// SPDX-License-Identifier: MIT
#include "panes/tracking/experiments_branch.h"

#include "common/format.h"
#include "store/change_feed.h"
#include "store/experiment_repository.h"
#include "store/project.h"
#include "store/run_repository.h"
#include "widgets/icons.h"
#include "widgets/translate.h"

#include <QCoreApplication>

namespace mlwb {

using text::tr;

QString ExperimentsBranch::title() const { return tr("Experiments"); }

QIcon ExperimentsBranch::icon() const { return Icons::themed(QStringLiteral("folder-script")); }

Result<QList<ExplorerNode>> ExperimentsBranch::load(Project &project)
{
    auto experiments = ExperimentRepository(project.db()).list();
    if (!experiments)
        return experiments.failure();
    RunRepository runs(project.db());
    QList<ExplorerNode> nodes;
    for (const ExperimentRecord &e : std::as_const(*experiments)) {
        if (e.id == ExperimentRepository::kDefaultId && e.runCount == 0)
            continue;
        ExplorerNode n;
        n.ref = {kExperimentKind, e.id};
        n.name = e.name;
        n.detail = QCoreApplication::translate("mlwb", "%n runs", nullptr, int(e.runCount));
        n.toolTip = tr("%1: experiment %2 of the tracking endpoint, %3").arg(e.name, QString::number(e.id), n.detail);
        n.icon = Icons::themed(QStringLiteral("folder-script"));
        auto list = runs.listForExperiment(e.id);
        if (!list)
            return list.failure();
        for (const RunRecord &r : std::as_const(*list)) {
            ExplorerNode rn;
            rn.ref = {ItemKind::Run, r.id};
            rn.name = Format::runName(r.name, r.id);
            rn.detail = runStatusName(r.status);
            rn.icon = Icons::runStatus(r.status);
            rn.toolTip = r.status == RunStatus::Running && r.heartbeatAt.isValid()
                             ? tr("%1 (run %2, logged by %3): running, last written %4").arg(rn.name, QString::number(r.id), r.user, Format::dateTime(r.heartbeatAt))
                             : tr("%1 (run %2, logged by %3): %4").arg(rn.name, QString::number(r.id), r.user, runStatusName(r.status));
            rn.renamable = true;
            n.children << rn;
        }
        nodes << n;
    }
    return nodes;
}

void ExperimentsBranch::watch(Project &project, QObject *receiver, std::function<void()> reload)
{
    QObject::connect(&project, &Project::changed, receiver, [reload](const QString &aggregate, const QList<qint64> &) {
        if (aggregate == Aggregate::Experiment)
            reload();
    });
    QObject::connect(&project, &Project::runsChanged, receiver, reload);
    QObject::connect(&project, &Project::externallyChanged, receiver, reload);
}

} // namespace mlwb
