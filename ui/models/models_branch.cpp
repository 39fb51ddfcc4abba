// SPDX-License-Identifier: MIT
#include "models/models_branch.h"

#include "store/project.h"
#include "store/sweep_repository.h"
#include "common/format.h"
#include "widgets/icons.h"
#include "widgets/translate.h"

#include <QCoreApplication>
#include <QHash>

namespace mlwb {

using text::tr;

QString ModelsBranch::title() const
{
    return tr("Models");
}

QIcon ModelsBranch::icon() const
{
    return Icons::themed(QStringLiteral("code-context"));
}

Result<QList<ExplorerNode>> ModelsBranch::load(Project &project)
{
    auto models = project.models().list();
    if (!models)
        return models.failure();
    auto runs = project.runs().list();
    if (!runs)
        return runs.failure();
    auto sweeps = SweepRepository(project.db()).list();
    if (!sweeps)
        return sweeps.failure();
    QList<ExplorerNode> nodes;
    for (const ModelRecord &m : std::as_const(*models)) {
        ExplorerNode n;
        n.ref = {ItemKind::Model, m.id};
        n.name = m.name;
        n.icon = Icons::themed(m.kind == ModelKind::TorchScript
                                   ? QStringLiteral("application-x-executable-script")
                                   : QStringLiteral("code-class"));
        n.renamable = true;
        n.deletable = true;
        n.toolTip = m.description.isEmpty() ? m.name : m.name + QLatin1Char('\n') + m.description;
        // Runs carry the model's name, not its id: match on it (names are unique). Runs of a
        // sweep go under the sweep's node, after the model's own runs.
        QList<ExplorerNode> sweepNodes;
        QHash<qint64, qsizetype> sweepIndex;
        for (const SweepRecord &sw : std::as_const(*sweeps)) {
            if (sw.modelId != m.id)
                continue;
            ExplorerNode sn;
            sn.ref = {ItemKind::Sweep, sw.id};
            sn.name = sw.name.isEmpty() ? tr("sweep %1").arg(sw.id) : sw.name;
            sn.icon = Icons::themed(QStringLiteral("view-statistics"));
            sn.toolTip = tr("%1: %2 search").arg(sn.name, sw.strategy);
            sweepIndex.insert(sw.id, sweepNodes.size());
            sweepNodes << sn;
        }
        qsizetype runCount = 0;
        for (const RunRecord &r : std::as_const(*runs)) {
            if (r.modelId != m.id)
                continue;
            ExplorerNode rn;
            rn.ref = {ItemKind::Run, r.id};
            // Named one way everywhere (tabs, Compare, Inspector); the id is in the tooltip.
            rn.name = Format::runName(r.name, r.id);
            rn.detail = runStatusName(r.status);
            rn.icon = Icons::runStatus(r.status);
            rn.toolTip =
                tr("%1 (run %2, version %3): %4%5")
                    .arg(rn.name)
                    .arg(r.id)
                    .arg(r.modelVersion)
                    .arg(runStatusName(r.status),
                         r.message.isEmpty() ? QString() : QStringLiteral("\n") + r.message);
            rn.renamable = true;
            rn.deletable = r.status != RunStatus::Running;
            ++runCount;
            if (const auto it = sweepIndex.constFind(r.sweepId); r.sweepId != 0 && it != sweepIndex.constEnd())
                sweepNodes[*it].children << rn;
            else
                n.children << rn;
        }
        for (ExplorerNode &sn : sweepNodes) {
            const auto c = sn.children.size();
            sn.detail = QCoreApplication::translate("mlwb", "%n runs", nullptr, int(c));
            n.children << sn;
        }
        const auto count = runCount;
        n.detail = count == 0 ? QString() : QCoreApplication::translate("mlwb", "%n runs", nullptr, int(count));
        nodes << n;
    }
    return nodes;
}

void ModelsBranch::watch(Project &project, QObject *receiver, std::function<void()> reload)
{
    QObject::connect(&project, &Project::modelsChanged, receiver, reload);
    QObject::connect(&project, &Project::runsChanged, receiver, reload);
}

} // namespace mlwb
