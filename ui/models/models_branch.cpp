// SPDX-License-Identifier: MIT
#include "models/models_branch.h"

#include "store/project.h"
#include "widgets/format.h"
#include "widgets/icons.h"

#include <QCoreApplication>

namespace mlwb {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("mlwb", text);
}
} // namespace

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
        return Error{models.error()};
    auto runs = project.runs().list();
    if (!runs)
        return Error{runs.error()};
    QList<ExplorerNode> nodes;
    for (const ModelRecord &m : std::as_const(*models)) {
        ExplorerNode n;
        n.ref = {ItemKind::Model, m.id};
        n.name = m.name;
        n.icon = Icons::themed(m.kind == QLatin1String("torchscript")
                                   ? QStringLiteral("application-x-executable-script")
                                   : QStringLiteral("code-class"));
        n.renamable = true;
        n.deletable = true;
        n.toolTip = m.description.isEmpty() ? m.name : m.name + QLatin1Char('\n') + m.description;
        // Runs carry the model's name, not its id: match on it (names are unique).
        for (const RunRecord &r : std::as_const(*runs)) {
            if (r.modelName != m.name)
                continue;
            ExplorerNode rn;
            rn.ref = {ItemKind::Run, r.id};
            rn.name = r.name.isEmpty() ? tr("run %1").arg(r.id)
                                       : QStringLiteral("%1 #%2").arg(r.name).arg(r.id);
            rn.detail = runStatusName(r.status);
            rn.icon = Icons::runStatus(r.status);
            rn.toolTip =
                tr("%1 (version %2): %3%4")
                    .arg(rn.name)
                    .arg(r.modelVersion)
                    .arg(runStatusName(r.status),
                         r.message.isEmpty() ? QString() : QStringLiteral("\n") + r.message);
            rn.renamable = true;
            rn.deletable = r.status != RunStatus::Running;
            n.children << rn;
        }
        const auto count = n.children.size();
        n.detail = count == 0 ? QString() : count == 1 ? tr("1 run") : tr("%1 runs").arg(count);
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
