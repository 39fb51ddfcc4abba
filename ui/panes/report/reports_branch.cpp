// SPDX-License-Identifier: MIT
#include "panes/report/reports_branch.h"

#include "common/format.h"
#include "store/change_feed.h"
#include "store/project.h"
#include "store/report_repository.h"
#include "widgets/icons.h"
#include "widgets/translate.h"

namespace mlwb {

using text::tr;

QString ReportsBranch::title() const { return tr("Reports"); }

QIcon ReportsBranch::icon() const { return Icons::themed(QStringLiteral("x-office-document")); }

Result<QList<ExplorerNode>> ReportsBranch::load(Project &project)
{
    auto reports = ReportRepository(project.db()).list();
    if (!reports)
        return reports.failure();
    QList<ExplorerNode> nodes;
    for (const ReportRecord &r : std::as_const(*reports)) {
        ExplorerNode n;
        n.ref = {kReportKind, r.id};
        n.name = r.name;
        n.detail = QStringLiteral("%1 \u00b7 %2").arg(r.format.toUpper(), r.runIds.size() == 1 ? tr("1 run") : tr("%1 runs").arg(r.runIds.size()));
        n.toolTip = r.renderedAt.isValid() ? tr("%1: last rendered %2 to %3").arg(r.name, Format::dateTime(r.renderedAt), r.renderedTo)
                                           : tr("%1: not rendered yet").arg(r.name);
        n.icon = Icons::themed(QStringLiteral("x-office-document"));
        n.deletable = true;
        nodes << n;
    }
    return nodes;
}

void ReportsBranch::watch(Project &project, QObject *receiver, std::function<void()> reload)
{
    QObject::connect(&project, &Project::changed, receiver, [reload](const QString &aggregate, const QList<qint64> &) {
        if (aggregate == Aggregate::Report)
            reload();
    });
    QObject::connect(&project, &Project::externallyChanged, receiver, reload);
}

} // namespace mlwb
