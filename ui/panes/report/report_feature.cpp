// SPDX-License-Identifier: MIT
#include "panes/report/report_feature.h"

#include "commands/command_registry.h"
#include "common/format.h"
#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "mainwindow/workbench_context.h"
#include "models/item_kind_registry.h"
#include "models/project_tree_model.h"
#include "panes/compare/compare_view.h"
#include "panes/report/export_report_dialog.h"
#include "panes/report/reports_branch.h"
#include "report/report_builder.h"
#include "report/report_export.h"
#include "store/change_feed.h"
#include "store/project.h"
#include "store/run_repository.h"
#include "widgets/icons.h"
#include "widgets/translate.h"

#include <QDir>
#include <QFileInfo>
#include <QPointer>

namespace mlwb {

using text::tr;

namespace {

QString runLabel(const RunRecord &r)
{
    const QString name = r.name.isEmpty() ? tr("run %1").arg(r.id) : r.name;
    return r.modelName.isEmpty() ? name : QStringLiteral("%1 (%2)").arg(name, r.modelName);
}

// The runs a report from here would cover: the selected runs, a selected sweep's runs, else the
// run or Compare tab in front.
QList<qint64> runsInScope(const CommandScope &scope)
{
    QList<qint64> runs;
    Project *project = scope.workbench.project();
    for (const ItemRef &r : scope.selection) {
        if (r.kind == ItemKind::Run && !runs.contains(r.id))
            runs << r.id;
        if (r.kind == ItemKind::Sweep && project)
            if (auto swept = project->runs().listForSweep(r.id))
                for (const RunRecord &run : std::as_const(*swept))
                    if (!runs.contains(run.id))
                        runs << run.id;
    }
    if (!runs.isEmpty())
        return runs;
    if (scope.document.kind == ItemKind::Run)
        return {scope.document.id};
    if (scope.document.kind == ItemKind::Sweep && project)
        if (auto swept = project->runs().listForSweep(scope.document.id))
            for (const RunRecord &run : std::as_const(*swept))
                runs << run.id;
    if (!runs.isEmpty())
        return runs;
    if (auto *compare = qobject_cast<CompareView *>(scope.workbench.documents()->currentDocument()))
        return compare->runIds();
    return {};
}

qint64 reportInScope(const CommandScope &scope)
{
    if (scope.selection.size() == 1 && scope.selection.first().kind == kReportKind)
        return scope.selection.first().id;
    return 0;
}

Result<ItemDescription> describeReport(Project &project, qint64 id)
{
    auto r = ReportRepository(project.db()).get(id);
    if (!r)
        return r.failure();
    ItemDescription out{r->name, tr("Report"), {}, Icons::themed(QStringLiteral("x-office-document"))};
    const QString g = tr("General");
    QStringList runs;
    for (const qint64 run : r->runIds)
        runs << QString::number(run);
    QStringList sections;
    for (const QString &s : r->sections)
        sections << ReportBuilder::sectionTitle(s);
    out.properties << ItemProperty::fact(g, tr("Title"), r->title.isEmpty() ? tr("(from the runs)") : r->title)
                   << ItemProperty::fact(g, tr("Author"), r->author.isEmpty() ? tr("(who renders it)") : r->author)
                   << ItemProperty::fact(g, tr("Runs"), runs.join(QLatin1String(", ")))
                   << ItemProperty::fact(g, tr("Sections"), sections.isEmpty() ? tr("every section") : sections.join(QLatin1String(", ")))
                   << ItemProperty::fact(g, tr("Format"), r->format.toUpper())
                   << ItemProperty::fact(g, tr("Paper"), r->paper == QLatin1String("letter") ? tr("US Letter") : tr("A4"))
                   << ItemProperty::fact(g, tr("Last rendered"),
                                         r->renderedAt.isValid() ? tr("%1 to %2").arg(Format::dateTime(r->renderedAt), r->renderedTo)
                                                                 : tr("never"));
    return out;
}

QList<ExportReportDialog::Section> allSections()
{
    QList<ExportReportDialog::Section> out;
    for (const QString &id : ReportBuilder::sectionIds())
        out.append({id, ReportBuilder::sectionTitle(id)});
    return out;
}

// Export Report… with `initial` (a stored definition, or new defaults for `runs`).
void openDialog(WorkbenchContext &workbench, const ReportRecord &initial)
{
    Project *project = workbench.project();
    if (!project)
        return;
    QList<std::pair<qint64, QString>> runs;
    for (const qint64 id : initial.runIds) {
        auto r = project->runs().get(id);
        runs.append({id, r ? runLabel(*r) : tr("run %1 (removed since)").arg(id)});
    }
    ExportReportDialog dialog(runs, allSections(), initial, workbench.dialogParent());
    if (dialog.exec() != QDialog::Accepted)
        return;
    ReportRecord chosen = dialog.definition();
    if (!dialog.keepInProject())
        chosen.id = 0;
    if (auto job = ReportFeature::exportReport(workbench, chosen, dialog.outputPath()); !job)
        workbench.showError(tr("Cannot export the report: %1").arg(job.error()));
}

} // namespace

Result<int> ReportFeature::exportReport(WorkbenchContext &workbench, ReportRecord definition, const QString &path)
{
    Project *project = workbench.project();
    if (!project)
        return Error{tr("no project is open"), ErrorKind::InvalidInput};
    if (!definition.name.isEmpty()) {
        if (project->isReadOnly())
            return Error{tr("the project is open read-only: the report can be exported but not kept in it"), ErrorKind::Conflict};
        ReportRepository reports(project->db());
        auto existing = reports.find(definition.name);
        if (existing) {
            definition.id = existing->id;
            if (Status s = reports.update(definition); !s)
                return s.failure();
        } else if (existing.kind() == ErrorKind::NotFound) {
            auto id = reports.add(definition);
            if (!id)
                return id.failure();
            definition.id = *id;
        } else {
            return existing.failure();
        }
        project->refresh();
    } else {
        definition.id = 0;
    }
    const qint64 id = definition.id;
    QPointer<Project> alive(project);
    WorkbenchContext *w = &workbench;
    auto job = std::make_unique<ReportExportJob>(project->path(), definition, path);
    const int jobId = workbench.jobManager()->submit(std::move(job), [alive, w, id, path](const Status &status) {
        if (!status)
            return w->showError(tr("The report was not written: %1").arg(status.error()));
        if (alive && id > 0 && !alive->isReadOnly()) {
            if (Status s = ReportRepository(alive->db()).markRendered(id, path); !s)
                return w->showError(tr("The report was written to %1, but noting it in the project failed: %2").arg(path, s.error()));
            alive->refresh();
        }
        w->showMessage(tr("Report written to %1").arg(QDir::toNativeSeparators(path)), MessageBar::Type::Positive);
    });
    return jobId;
}

void ReportFeature::install(WorkbenchContext &workbench)
{
    ItemKindRegistry::Kind kind;
    kind.typeName = tr("Report");
    kind.table = QStringLiteral("report");
    kind.icon = Icons::themed(QStringLiteral("x-office-document"));
    kind.describe = describeReport;
    kind.rename = [](Project &project, qint64 id, const QString &name) { return ReportRepository(project.db()).rename(id, name); };
    kind.remove = [](Project &project, qint64 id) { return ReportRepository(project.db()).remove(id); };
    kind.changes = {Aggregate::Report};
    kind.lookup = [](Project &p, const QString &text) -> Result<qint64> {
        auto r = ReportRepository(p.db()).find(text);
        if (!r)
            return r.failure();
        return r->id;
    };
    workbench.itemKinds().registerKind(kReportKind, kind);
    workbench.projectTree()->addBranch(std::make_unique<ReportsBranch>());

    Command exportCommand;
    exportCommand.id = QStringLiteral("report.export");
    exportCommand.text = tr("Export &Report\u2026");
    exportCommand.iconName = QStringLiteral("document-export");
    exportCommand.toolTip = tr("A report on the runs as PDF, HTML, Markdown, CSV or JSON: data set, architecture, hyperparameters, "
                              "metrics, curves, checks, deployment, environment and lineage");
    exportCommand.menu = tr("&Run");
    exportCommand.menuGroup = QStringLiteral("report");
    exportCommand.contextMenu = true;
    exportCommand.followsDocument = true;
    exportCommand.appliesTo = {ItemKind::Run, ItemKind::Sweep, kReportKind};
    exportCommand.enabled = [](const CommandScope &scope) { return reportInScope(scope) != 0 || !runsInScope(scope).isEmpty(); };
    exportCommand.run = [&workbench](const CommandScope &scope) {
        Project *project = workbench.project();
        if (!project)
            return;
        if (const qint64 id = reportInScope(scope)) {
            auto stored = ReportRepository(project->db()).get(id);
            if (!stored)
                return workbench.showError(tr("Cannot read report %1: %2").arg(id).arg(stored.error()));
            return openDialog(workbench, *stored);
        }
        ReportRecord fresh;
        fresh.runIds = runsInScope(scope);
        if (fresh.runIds.isEmpty())
            return;
        openDialog(workbench, fresh);
    };
    workbench.commands().add(exportCommand);

    Command render;
    render.id = QStringLiteral("report.render");
    render.text = tr("Render Report &Again");
    render.iconName = QStringLiteral("view-refresh");
    render.toolTip = tr("Write the stored report again where it went last time, with the runs as they are now");
    render.menu = tr("&Run");
    render.menuGroup = QStringLiteral("report");
    render.contextMenu = true;
    render.appliesTo = {kReportKind};
    render.enabled = [](const CommandScope &scope) { return reportInScope(scope) != 0; };
    render.run = [&workbench](const CommandScope &scope) {
        Project *project = workbench.project();
        const qint64 id = reportInScope(scope);
        if (!project || !id)
            return;
        auto stored = ReportRepository(project->db()).get(id);
        if (!stored)
            return workbench.showError(tr("Cannot read report %1: %2").arg(id).arg(stored.error()));
        if (stored->renderedTo.isEmpty() || !QFileInfo(QFileInfo(stored->renderedTo).absolutePath()).isDir())
            return openDialog(workbench, *stored); // nowhere to go yet: ask
        if (auto job = ReportFeature::exportReport(workbench, *stored, stored->renderedTo); !job)
            workbench.showError(tr("Cannot render report %1: %2").arg(stored->name, job.error()));
    };
    workbench.commands().add(render);
}

} // namespace mlwb
