// SPDX-License-Identifier: MIT
#include "panes/model/model_feature.h"

#include "commands/command_registry.h"
#include "common/format.h"
#include "mainwindow/workbench_context.h"
#include "models/item_kind_registry.h"
#include "models/models_branch.h"
#include "models/project_tree_model.h"
#include "model/model_catalog.h"
#include "panes/builder/model_builder.h"
#include "panes/model/model_overview.h"
#include "panes/model/model_version_kind.h"
#include "panes/torchscript/import_torchscript_dialog.h"
#include "store/project.h"
#include "widgets/icons.h"
#include "widgets/translate.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace mlwb {

namespace {

using text::tr;

Result<ItemDescription> describeModel(Project &project, qint64 id)
{
    auto m = project.models().get(id);
    if (!m)
        return m.failure();
    auto versions = project.models().versions(id);
    auto runs = project.runs().list(id);
    ItemDescription out{m->name, tr("Model"), {}};
    const QString g = tr("General");
    out.properties << ItemProperty::name(m->name)
                   << ItemProperty::fact(g, tr("Type"),
                           m->kind == ModelKind::TorchScript
                               ? tr("Model (imported TorchScript)")
                               : tr("Model (layer spec)"))
                   << ItemProperty::fact(g, tr("Created"), Format::dateTime(m->createdAt))
                   << ItemProperty::fact(g, tr("Data set"), ItemProperty::datasetName(project, m->datasetId));
    if (!m->description.isEmpty())
        out.properties << ItemProperty::fact(g, tr("Description"), m->description, m->description);
    if (versions)
        out.properties << ItemProperty::fact(g, tr("Versions"), QString::number(versions->size()));
    if (runs)
        out.properties << ItemProperty::fact(g, tr("Runs"), QString::number(runs->size()));
    return out;
}

} // namespace

void ModelFeature::install(WorkbenchContext &workbench)
{
    ItemKindRegistry::Kind model;
    model.typeName = tr("Model");
    model.table = QStringLiteral("model");
    model.icon = Icons::themed(QStringLiteral("code-class"));
    model.describe = describeModel;
    model.rename = [](Project &p, qint64 id, const QString &name) { return p.models().rename(id, name); };
    model.remove = [](Project &p, qint64 id) -> Status {
        auto runs = p.runs().list(id);
        if (!runs)
            return runs.failure();
        for (const RunRecord &r : std::as_const(*runs)) {
            if (r.status == RunStatus::Running)
                return fail(
                    tr("Model \u201c%1\u201d has a run in progress (%2); stop it before "
                       "deleting the model.")
                        .arg(r.modelName, Format::runName(r.name, r.id)));
        }
        return p.models().remove(id);
    };
    // The model builder (layers, shapes, templates, Save version, Train...); its edits go on
    // its own undo stack (the window's Undo while its tab is active); Train runs train.run.
    model.document = [&workbench](Project &project, const ItemRef &ref, QWidget *parent) -> QWidget * {
        auto *builder = new ModelBuilder(project, ref.id, nullptr, parent);
        QObject::connect(builder, &ModelBuilder::trainRequested, builder, [&workbench](qint64 modelId) {
            workbench.runCommand(QStringLiteral("train.run"), {{ItemKind::Model, modelId}});
        });
        // The Versions page: train or restore the selected version.
        QObject::connect(builder->history(), &ModelOverview::trainVersionRequested, builder,
                         [&workbench](qint64 versionId) {
                             workbench.runCommand(QStringLiteral("train.run"), {{kModelVersionKind, versionId}});
                         });
        QObject::connect(builder->history(), &ModelOverview::restoreVersionRequested, builder,
                         [&workbench](qint64 versionId) {
                             workbench.runCommand(QStringLiteral("model.restoreVersion"),
                                                  {{kModelVersionKind, versionId}});
                         });
        QObject::connect(builder->history(), &ModelOverview::exportRunRequested, builder,
                         [&workbench](qint64 runId) {
                             workbench.runCommand(QStringLiteral("run.exportTorchScript"),
                                                  {{ItemKind::Run, runId}});
                         });
        return builder;
    };
    model.changes = {Aggregate::Model, Aggregate::Run, Aggregate::Dataset};
    model.lookup = [](Project &p, const QString &name) -> Result<qint64> {
        auto m = p.models().byName(name);
        if (!m)
            return m.failure();
        return m->id;
    };
    workbench.itemKinds().registerKind(ItemKind::Model, model);
    workbench.projectTree()->addBranch(std::make_unique<ModelsBranch>());

    Command import;
    import.id = QStringLiteral("model.importTorchScript");
    import.text = tr("Import &TorchScript Model\u2026");
    import.iconName = QStringLiteral("document-import");
    import.toolTip = tr("Import a model saved with torch.jit.save");
    import.menu = tr("&File");
    import.menuGroup = QStringLiteral("import");
    import.toolBarGroup = QStringLiteral("import");
    import.needsWritable = true;
    import.run = [](const CommandScope &scope) { ImportTorchScriptDialog::start(scope.workbench, scope.path); };
    workbench.commands().add(import);

    // A model version's layers saved again as the newest version (the Versions page asks
    // first); the older versions and their runs stay as they are.
    Command restore;
    restore.id = QStringLiteral("model.restoreVersion");
    restore.text = tr("&Restore as New Version");
    restore.iconName = QStringLiteral("edit-undo");
    restore.appliesTo = {kModelVersionKind};
    restore.needsWritable = true;
    restore.enabled = [&workbench](const CommandScope &scope) {
        Project *project = workbench.project();
        if (!project || scope.selection.size() != 1 || scope.selection.first().kind != kModelVersionKind)
            return false;
        auto v = project->models().version(scope.selection.first().id);
        if (!v || v->specJson.isEmpty())
            return false;
        auto newest = project->models().latestVersion(v->modelId);
        return newest && newest->version != v->version;
    };
    restore.run = [&workbench](const CommandScope &scope) {
        Project *project = workbench.project();
        if (!project || scope.selection.size() != 1)
            return;
        auto v = project->models().version(scope.selection.first().id);
        if (!v)
            return workbench.showError(tr("Cannot restore the version: %1").arg(v.error()));
        auto added = ModelCatalog(project->db()).addSpecVersion(v->modelId, v->specJson);
        if (!added)
            return workbench.showError(
                tr("Cannot restore version %1: %2").arg(v->version).arg(added.error()));
        workbench.showMessage(tr("Restored version %1 as version %2, the model's newest.")
                                  .arg(v->version)
                                  .arg(added->version),
                              MessageBar::Type::Positive);
    };
    workbench.commands().add(restore);
}

} // namespace mlwb
