// SPDX-License-Identifier: MIT
#include "panes/compare/compare_feature.h"

#include "commands/command_registry.h"
#include "mainwindow/document_area.h"
#include "mainwindow/workbench_context.h"
#include "panes/compare/compare_view.h"

#include <QCoreApplication>
#include <QIcon>

#include <algorithm>

namespace mlwb {

namespace {

QList<qint64> runsIn(const QList<ItemRef> &selection)
{
    QList<qint64> runs;
    for (const ItemRef &r : selection)
        if (r.kind == ItemKind::Run && !runs.contains(r.id))
            runs << r.id;
    return runs;
}

} // namespace

void CompareFeature::install(WorkbenchContext &workbench)
{
    Command compare;
    compare.id = QStringLiteral("compare.runs");
    compare.text = QCoreApplication::translate("mlwb", "&Compare Runs");
    compare.iconName = QStringLiteral("office-chart-line");
    compare.shortcut = QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C);
    compare.toolTip = QCoreApplication::translate("mlwb", "Compare the selected runs in one tab");
    compare.menu = QCoreApplication::translate("mlwb", "&Run");
    compare.menuGroup = QStringLiteral("compare");
    compare.toolBarGroup = QStringLiteral("run");
    compare.contextMenu = true;
    compare.appliesTo = {ItemKind::Run};
    compare.enabled = [](const CommandScope &scope) { return runsIn(scope.selection).size() >= 2; };
    compare.run = [](const CommandScope &scope) {
        const QList<qint64> runs = runsIn(scope.selection);
        WorkbenchContext &w = scope.workbench;
        if (runs.size() < 2 || !w.project())
            return;
        auto *view = new CompareView(*w.project(), runs);
        w.documents()->addDocument(view, QIcon::fromTheme(QStringLiteral("view-statistics")),
                                   QCoreApplication::translate("mlwb", "Compare %n runs", nullptr,
                                                               int(runs.size())));
    };
    workbench.commands().add(compare);
}

} // namespace mlwb
