// SPDX-License-Identifier: MIT
#include "panes/package/package_feature.h"

#include "checks/check_report.h"
#include "checks/package_check_job.h"
#include "commands/command_registry.h"
#include "common/format.h"
#include "inference/loaded_model.h"
#include "inference/torch_runtime.h"
#include "inference/triton_export.h"
#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "mainwindow/workbench_context.h"
#include "models/item_kind_registry.h"
#include "models/project_tree_model.h"
#include "package/package_catalog.h"
#include "package/package_manifest.h"
#include "panes/package/check_config_dialog.h"
#include "panes/package/override_gate_dialog.h"
#include "panes/package/package_create_dialog.h"
#include "panes/package/package_explorer_nodes.h"
#include "panes/package/package_pane.h"
#include "panes/package/package_state_text.h"
#include "panes/package/triton_export_dialog.h"
#include "panes/run/run_pane.h"
#include "store/project.h"
#include "widgets/icons.h"
#include "widgets/translate.h"

#include <QAction>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QPointer>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>

#include <optional>

namespace mlwb {

namespace {

using text::tr;

Result<ItemDescription> describePackage(Project &project, qint64 id)
{
    auto p = project.packages().get(id);
    if (!p)
        return p.failure();
    const QString reference = p->name + QLatin1Char(':') + p->version;
    ItemDescription out{reference, tr("Package"), {}, PackageStateText::icon(*p)};
    const QString g = tr("General");
    out.properties << ItemProperty::fact(g, tr("Name"), p->name) << ItemProperty::fact(g, tr("Version"), p->version)
                   << ItemProperty::fact(g, tr("Type"), tr("Sealed package"))
                   << ItemProperty::fact(g, tr("State"), PackageStateText::name(*p))
                   << ItemProperty::fact(g, tr("Model"), p->modelName);
    QString signer = tr("not signed");
    if (!p->keyId.isEmpty()) {
        signer = p->keyId;
        if (auto sealed = PackageCatalog(project.db()).open(id); sealed && sealed->seal().isSigned)
            signer = tr("%1 (%2)").arg(sealed->seal().keyId, sealed->seal().signer);
    }
    out.properties << ItemProperty::fact(g, tr("Signed by"), signer)
                   << ItemProperty::fact(g, tr("Size"), Format::bytes(p->archiveBytes), tr("%1 bytes").arg(p->archiveBytes))
                   << ItemProperty::fact(g, tr("Created"), Format::dateTime(p->createdAt))
                   << ItemProperty::fact(g, tr("Author"), p->author)
                   << ItemProperty::fact(g, tr("SHA-256"), Format::shortHash(p->archiveSha256), p->archiveSha256);
    if (p->checkedAt.isValid())
        out.properties << ItemProperty::fact(g, tr("Checked"), Format::dateTime(p->checkedAt));
    if (p->runId)
        out.properties << ItemProperty::fact(g, tr("Run"), tr("run %1").arg(p->runId));
    if (p->overridden()) {
        const QString o = tr("Overrides");
        for (const PackageOverrideRecord &r : std::as_const(p->overrides))
            out.properties << ItemProperty::fact(o, r.author, r.reason, Format::dateTime(r.createdAt));
    }
    return out;
}

// The one package a command acts on, or nullopt.
std::optional<PackageRecord> onePackage(WorkbenchContext &workbench, const CommandScope &scope)
{
    Project *project = workbench.project();
    if (!project || scope.selection.size() != 1 || scope.selection.first().kind != kPackageKind)
        return std::nullopt;
    auto list = project->packages().list();
    if (!list)
        return std::nullopt;
    for (const PackageRecord &p : std::as_const(*list))
        if (p.id == scope.selection.first().id)
            return p;
    return std::nullopt;
}

bool checking(WorkbenchContext &workbench, qint64 packageId)
{
    const int job = workbench.jobManager()->jobOf({kPackageKind, packageId});
    if (!job)
        return false;
    const auto status = workbench.jobManager()->job(job).status;
    return status == JobState::Status::Queued || status == JobState::Status::Running;
}

Command packageCommand(const QString &id, const QString &text, const QString &icon, const QString &toolTip)
{
    Command c;
    c.id = id;
    c.text = text;
    c.iconName = icon;
    c.toolTip = toolTip;
    c.menu = tr("&Package");
    c.menuGroup = QStringLiteral("package");
    c.contextMenu = true;
    c.appliesTo = {kPackageKind};
    c.followsDocument = true;
    return c;
}

void runChecks(WorkbenchContext &workbench, const PackageRecord &p)
{
    Project *project = workbench.project();
    const QString reference = p.name + QLatin1Char(':') + p.version;
    QPointer<QWidget> alive = workbench.dialogParent();
    WorkbenchContext *w = &workbench;
    workbench.jobManager()->submit(
        std::make_unique<PackageCheckJob>(project->path(), p.id),
        [alive, w, reference, projectPath = project->path()](const Status &status) {
            if (!alive)
                return;
            w->updateActions();
            if (Project *now = w->project(); now && now->path() == projectPath)
                now->refresh();
            if (!status)
                return w->showError(tr("The checks of %1 did not run: %2").arg(reference, status.error()));
            w->showMessage(tr("Checked %1.").arg(reference), MessageBar::Type::Positive);
        });
    workbench.updateActions();
}

} // namespace

void PackageFeature::install(WorkbenchContext &workbench)
{
    ItemKindRegistry::Kind kind;
    kind.typeName = tr("Package");
    kind.table = QStringLiteral("package");
    kind.icon = Icons::themed(QStringLiteral("package-x-generic"));
    kind.describe = describePackage;
    kind.remove = [&workbench](Project &p, qint64 id) -> Status {
        if (checking(workbench, id))
            return fail(tr("Package %1 is being checked; wait for the checks to end before deleting it.").arg(id));
        return p.packages().remove(id);
    };
    kind.document = [&workbench](Project &project, const ItemRef &ref, QWidget *parent) -> QWidget * {
        auto *pane = new PackagePane(project, ref.id, &workbench, parent);
        for (const char *id : {"package.check", "package.sign", "package.override", "package.export",
                               "package.exportTriton"})
            if (QAction *a = workbench.commandAction(QLatin1String(id)))
                pane->toolBar()->addAction(a);
        return pane;
    };
    kind.changes = {Aggregate::Package, Aggregate::Run, Aggregate::Model, Aggregate::Dataset};
    // package:NAME:VERSION, or package:NAME for its newest version.
    kind.lookup = [](Project &p, const QString &text) -> Result<qint64> {
        const QString name = text.section(u':', 0, 0);
        const QString version = text.section(u':', 1);
        if (!version.isEmpty()) {
            auto r = p.packages().find(name, version);
            if (!r)
                return r.failure();
            return r->id;
        }
        auto list = p.packages().list();
        if (!list)
            return list.failure();
        qint64 id = 0;
        for (const PackageRecord &r : std::as_const(*list))
            if (r.name == name)
                id = r.id; // listed by version: the last is the newest
        if (!id)
            return notFound(QStringLiteral("no package named \"%1\"").arg(name));
        return id;
    };
    workbench.itemKinds().registerKind(kPackageKind, kind);
    workbench.projectTree()->addChildren(std::make_unique<PackageExplorerNodes>());

    // The run tab gets a Create Package… button beside the run's name.
    if (const ItemKindRegistry::Kind *run = workbench.itemKinds().kind(ItemKind::Run); run && run->document) {
        workbench.itemKinds().setDocumentFactory(
            ItemKind::Run, [&workbench, inner = run->document](Project &project, const ItemRef &ref, QWidget *parent) {
                QWidget *w = inner(project, ref, parent);
                if (auto *pane = qobject_cast<RunPane *>(w))
                    if (QAction *a = workbench.commandAction(QStringLiteral("package.create")))
                        pane->addHeaderAction(a)->setObjectName(QStringLiteral("runCreatePackage"));
                return w;
            });
    }

    Command create;
    create.id = QStringLiteral("package.create");
    create.text = tr("Create &Package\u2026");
    create.iconName = QStringLiteral("package-x-generic");
    create.toolTip = tr("Seal the selected finished run's model into a signed package");
    create.menu = tr("&Package");
    create.menuGroup = QStringLiteral("create");
    create.contextMenu = true;
    create.appliesTo = {ItemKind::Run};
    create.followsDocument = true;
    create.needsWritable = true;
    create.enabled = [&workbench](const CommandScope &scope) {
        Project *project = workbench.project();
        if (!project || scope.selection.size() != 1 || scope.selection.first().kind != ItemKind::Run)
            return false;
        auto run = project->runs().get(scope.selection.first().id);
        // A script's run has no model in the project until one is imported from its artifact.
        return run.ok() && run->status == RunStatus::Finished && run->modelVersionId > 0;
    };
    create.run = [&workbench](const CommandScope &scope) {
        if (scope.selection.size() == 1)
            PackageCreateDialog::start(workbench, scope.selection.first().id);
    };
    workbench.commands().add(create);

    Command check = packageCommand(QStringLiteral("package.check"), tr("Run &Checks"), QStringLiteral("run-build"),
                                   tr("Run the pre-deployment checks on the package (a job)"));
    check.needsWritable = true;
    check.enabled = [&workbench](const CommandScope &scope) {
        auto p = onePackage(workbench, scope);
        return p && !checking(workbench, p->id);
    };
    check.run = [&workbench](const CommandScope &scope) {
        if (auto p = onePackage(workbench, scope))
            runChecks(workbench, *p);
    };
    workbench.commands().add(check);

    Command sign = packageCommand(QStringLiteral("package.sign"), tr("&Sign"), QStringLiteral("document-sign"),
                                  tr("Seal and sign the package anew with your key"));
    sign.needsWritable = true;
    sign.enabled = [&workbench](const CommandScope &scope) {
        auto p = onePackage(workbench, scope);
        return p && !checking(workbench, p->id);
    };
    sign.run = [&workbench](const CommandScope &scope) {
        auto p = onePackage(workbench, scope);
        if (!p)
            return;
        Project *project = workbench.project();
        if (const Status s = PackageCatalog(project->db()).sign(p->id); !s)
            return workbench.showError(tr("Cannot sign %1:%2: %3").arg(p->name, p->version, s.error()));
        project->refresh();
        workbench.showMessage(tr("Signed %1:%2.").arg(p->name, p->version), MessageBar::Type::Positive);
    };
    workbench.commands().add(sign);

    Command override_ = packageCommand(QStringLiteral("package.override"), tr("&Override Gate\u2026"),
                                       QStringLiteral("security-low"),
                                       tr("Record why the package may ship although a gate failed"));
    override_.needsWritable = true;
    override_.enabled = [&workbench](const CommandScope &scope) {
        auto p = onePackage(workbench, scope);
        return p && p->state == PackageState::GateFailed;
    };
    // scope.path carries the reason when the command runs without its dialog (tests, scripts).
    override_.run = [&workbench](const CommandScope &scope) {
        auto p = onePackage(workbench, scope);
        if (!p)
            return;
        Project *project = workbench.project();
        QString reason = scope.path.trimmed();
        if (reason.isEmpty()) {
            QStringList failed;
            if (auto full = project->packages().get(p->id); full && !full->checks.isEmpty())
                if (auto report = CheckReport::fromJson(full->checks))
                    failed = report->failedGates();
            OverrideGateDialog dialog(p->name + QLatin1Char(':') + p->version, failed, workbench.dialogParent());
            if (dialog.exec() != QDialog::Accepted)
                return;
            reason = dialog.reason();
        }
        if (auto added = PackageCatalog(project->db()).addOverride(p->id, reason); !added)
            return workbench.showError(tr("Cannot override the gate of %1:%2: %3").arg(p->name, p->version, added.error()));
        project->refresh();
        workbench.showMessage(tr("Recorded the override of %1:%2.").arg(p->name, p->version), MessageBar::Type::Warning);
    };
    workbench.commands().add(override_);

    // A model's check configuration: what Run Checks demands of its packages.
    Command checkConfig;
    checkConfig.id = QStringLiteral("package.checkConfig");
    checkConfig.text = tr("Check &Configuration\u2026");
    checkConfig.iconName = QStringLiteral("configure");
    checkConfig.toolTip = tr("The gates and budgets the selected model's packages are checked against");
    checkConfig.menu = tr("&Package");
    checkConfig.menuGroup = QStringLiteral("create");
    checkConfig.contextMenu = true;
    checkConfig.appliesTo = {ItemKind::Model};
    checkConfig.followsDocument = true;
    checkConfig.needsWritable = true;
    checkConfig.enabled = [](const CommandScope &scope) {
        return scope.selection.size() == 1 && scope.selection.first().kind == ItemKind::Model;
    };
    checkConfig.run = [&workbench](const CommandScope &scope) {
        Project *project = workbench.project();
        if (!project || scope.selection.size() != 1)
            return;
        const qint64 modelId = scope.selection.first().id;
        auto model = project->models().get(modelId);
        if (!model)
            return workbench.showError(model.error());
        // The defaults follow the task of the model's data set (classification when unknown).
        bool classification = true;
        if (auto dataset = project->datasets().get(model->datasetId))
            classification = QJsonDocument::fromJson(dataset->schemaJson).object().value(QStringLiteral("task")).toString() !=
                             QLatin1String("regression");
        auto stored = project->packages().checkConfig(modelId);
        if (!stored)
            return workbench.showError(tr("Cannot read %1's check configuration: %2").arg(model->name, stored.error()));
        std::optional<CheckConfig> current;
        if (*stored) {
            auto parsed = CheckConfig::fromJson(**stored);
            if (parsed)
                current = *parsed;
        }
        CheckConfigDialog dialog(model->name, current, CheckConfig::defaults(classification), workbench.dialogParent());
        if (dialog.exec() != QDialog::Accepted)
            return;
        const QJsonObject json = dialog.config() ? dialog.config()->toJson() : QJsonObject();
        if (const Status s = project->packages().setCheckConfig(modelId, json); !s)
            return workbench.showError(tr("Cannot store %1's check configuration: %2").arg(model->name, s.error()));
        project->refresh();
        workbench.showMessage(dialog.config() ? tr("Stored %1's check configuration.").arg(model->name)
                                              : tr("%1's packages are checked with the defaults for its task.").arg(model->name),
                              MessageBar::Type::Positive);
    };
    workbench.commands().add(checkConfig);

    Command exportPackage = packageCommand(QStringLiteral("package.export"), tr("&Export\u2026"),
                                           QStringLiteral("document-export"),
                                           tr("Write the sealed package to a .mlwbpkg file"));
    exportPackage.menuGroup = QStringLiteral("export");
    exportPackage.enabled = [&workbench](const CommandScope &scope) { return onePackage(workbench, scope).has_value(); };
    exportPackage.run = [&workbench](const CommandScope &scope) {
        auto p = onePackage(workbench, scope);
        if (!p)
            return;
        Project *project = workbench.project();
        QString path = scope.path;
        if (path.isEmpty()) {
            const QString suggested = QDir(QFileInfo(project->path()).absolutePath())
                                          .filePath(QStringLiteral("%1-%2.mlwbpkg").arg(p->name, p->version));
            path = QFileDialog::getSaveFileName(workbench.dialogParent(), tr("Export Package"), suggested,
                                                tr("Packages (*.mlwbpkg)"));
            if (path.isEmpty())
                return;
        }
        if (const Status s = PackageCatalog(project->db()).exportTo(p->id, path); !s)
            return workbench.showError(tr("Cannot export %1:%2: %3").arg(p->name, p->version, s.error()));
        auto *open = new QAction(tr("Open Folder"), workbench.dialogParent());
        QObject::connect(open, &QAction::triggered, open, [path] {
            QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
        });
        workbench.showMessage(tr("Exported %1:%2 to %3.").arg(p->name, p->version, QDir::toNativeSeparators(path)),
                              MessageBar::Type::Positive, {open});
    };
    workbench.commands().add(exportPackage);

    Command triton = packageCommand(QStringLiteral("package.exportTriton"), tr("Export for &Triton\u2026"),
                                    QStringLiteral("network-server"),
                                    tr("Write the model as a Triton Inference Server model repository entry"));
    triton.menuGroup = QStringLiteral("export");
    triton.enabled = exportPackage.enabled;
    // scope.path: the repository directory, with the default options (no dialog).
    triton.run = [&workbench](const CommandScope &scope) {
        auto p = onePackage(workbench, scope);
        if (!p)
            return;
        Project *project = workbench.project();
        QString directory = scope.path;
        TritonExport::Options options;
        options.name = p->name;
        if (directory.isEmpty()) {
            TritonExportDialog dialog(p->name, QFileInfo(project->path()).absolutePath(), workbench.dialogParent());
            if (dialog.exec() != QDialog::Accepted)
                return;
            directory = dialog.directory();
            options = dialog.options();
        }
        auto sealed = PackageCatalog(project->db()).open(p->id);
        if (!sealed)
            return workbench.showError(tr("Cannot export %1:%2 for Triton: %3").arg(p->name, p->version, sealed.error()));
        // Loading the TorchScript module takes well under a second for the models a package holds.
        QGuiApplication::setOverrideCursor(Qt::WaitCursor);
        TorchRuntime::initialize();
        const QString source = p->name + QLatin1Char(':') + p->version;
        Status written;
        auto model = LoadedModel::fromArchive(sealed->entry(QLatin1String(SealedPackage::kModelEntry)), source);
        if (!model)
            written = model.failure();
        else
            written = TritonExport::write(directory, options, *model, source);
        QGuiApplication::restoreOverrideCursor();
        if (!written)
            return workbench.showError(tr("Cannot export %1 for Triton: %2").arg(source, written.error()));
        const QString where = QDir(directory).filePath(options.name);
        auto *open = new QAction(tr("Open Folder"), workbench.dialogParent());
        QObject::connect(open, &QAction::triggered, open,
                         [where] { QDesktopServices::openUrl(QUrl::fromLocalFile(where)); });
        workbench.showMessage(tr("Exported %1 for Triton to %2.").arg(source, QDir::toNativeSeparators(where)),
                              MessageBar::Type::Positive, {open});
    };
    workbench.commands().add(triton);
}

} // namespace mlwb
