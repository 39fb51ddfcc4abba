// SPDX-License-Identifier: MIT
#include "panes/tracking/tracking_feature.h"

#include "commands/command_registry.h"
#include "common/format.h"
#include "jobs/job_manager.h"
#include "mainwindow/workbench_context.h"
#include "model/import_torchscript_job.h"
#include "models/item_kind_registry.h"
#include "models/project_tree_model.h"
#include "panes/tracking/experiments_branch.h"
#include "panes/tracking/import_artifact_dialog.h"
#include "panes/tracking/tracking_server_controller.h"
#include "panes/tracking/tracking_server_dialog.h"
#include "store/change_feed.h"
#include "store/experiment_repository.h"
#include "store/project.h"
#include "store/run_repository.h"
#include "widgets/icons.h"
#include "widgets/translate.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QMainWindow>
#include <QPointer>
#include <QStatusBar>
#include <QToolButton>

namespace mlwb {

namespace {

using text::tr;

const char *kControllerName = "trackingServerController";

Result<ItemDescription> describeExperiment(Project &project, qint64 id)
{
    auto e = ExperimentRepository(project.db()).get(id);
    if (!e)
        return e.failure();
    ItemDescription out{e->name, tr("Experiment"), {}, {}};
    const QString g = tr("General");
    out.properties << ItemProperty::name(e->name) << ItemProperty::fact(g, tr("Type"), tr("Experiment (logged by scripts through the tracking endpoint)"))
                   << ItemProperty::fact(g, tr("Experiment id"), QString::number(e->id))
                   << ItemProperty::fact(g, tr("Runs"), QString::number(e->runCount))
                   << ItemProperty::fact(g, tr("Created"), Format::dateTime(e->createdAt))
                   << ItemProperty::fact(g, tr("Artifacts"), e->artifactLocation.isEmpty() ? QStringLiteral("mlflow-artifacts:/%1").arg(e->id) : e->artifactLocation);
    for (const auto &[k, v] : e->tags)
        out.properties << ItemProperty::fact(tr("Tags"), k, v);
    return out;
}

// The one tracked run a command acts on, or none.
std::optional<RunRecord> trackedRun(WorkbenchContext &workbench, const CommandScope &scope)
{
    qint64 id = 0;
    if (scope.selection.size() == 1 && scope.selection.first().kind == ItemKind::Run)
        id = scope.selection.first().id;
    else if (scope.document.kind == ItemKind::Run)
        id = scope.document.id;
    Project *project = workbench.project();
    if (!id || !project)
        return std::nullopt;
    auto r = project->runs().get(id);
    if (!r || !r->tracked)
        return std::nullopt;
    return *r;
}

void importFromArtifact(WorkbenchContext &workbench, const RunRecord &run)
{
    Project *project = workbench.project();
    if (!project)
        return;
    auto artifacts = project->runs().artifacts(run.id);
    if (!artifacts)
        return workbench.showError(tr("Cannot read the artifacts of %1: %2").arg(Format::runName(run.name, run.id), artifacts.error()));
    QStringList names;
    for (const ArtifactInfo &a : std::as_const(*artifacts))
        names << a.name;
    QStringList datasets;
    if (auto all = project->datasets().list())
        for (const DatasetRecord &d : std::as_const(*all))
            datasets << d.name;
    QString logged;
    for (const QJsonValue &input : run.inputs) {
        const QString n = input.toObject().value(QLatin1String("dataset")).toObject().value(QLatin1String("name")).toString();
        if (datasets.contains(n)) {
            logged = n;
            break;
        }
    }
    ImportArtifactDialog dialog(Format::runName(run.name, run.id), names, datasets, logged, workbench.dialogParent());
    if (dialog.exec() != QDialog::Accepted)
        return;
    auto job = std::make_unique<ImportTorchScriptJob>(project->path(), run.id, dialog.artifact(), dialog.modelName(), dialog.dataset());
    ImportTorchScriptJob *raw = job.get();
    const QString name = dialog.modelName();
    workbench.jobManager()->submit(std::move(job), [&workbench, raw, name](const Status &status) {
        if (!status)
            return workbench.showError(tr("Cannot import %1: %2").arg(name, status.error()));
        workbench.showMessage(tr("Imported %1 as a model: evaluate, package and deploy it like any other.").arg(name), MessageBar::Type::Positive);
        workbench.revealItem({ItemKind::Model, raw->modelId()});
    });
}

} // namespace

TrackingServerController *TrackingFeature::controller(WorkbenchContext &workbench)
{
    return workbench.dialogParent()->findChild<TrackingServerController *>(QString::fromLatin1(kControllerName));
}

void TrackingFeature::install(WorkbenchContext &workbench)
{
    QWidget *window = workbench.dialogParent();
    auto *controller = new TrackingServerController(window);
    controller->setObjectName(QString::fromLatin1(kControllerName));

    ItemKindRegistry::Kind experiment;
    experiment.typeName = tr("Experiment");
    experiment.table = QStringLiteral("experiment");
    experiment.icon = Icons::themed(QStringLiteral("folder-script"));
    experiment.describe = describeExperiment;
    experiment.rename = [](Project &p, qint64 id, const QString &name) { return ExperimentRepository(p.db()).rename(id, name); };
    experiment.lookup = [](Project &p, const QString &text) -> Result<qint64> {
        auto e = ExperimentRepository(p.db()).find(text);
        if (!e)
            return e.failure();
        return e->id;
    };
    experiment.changes = {Aggregate::Experiment, Aggregate::Run};
    workbench.itemKinds().registerKind(kExperimentKind, experiment);
    workbench.projectTree()->addBranch(std::make_unique<ExperimentsBranch>());

    // The status bar: where it serves and how many scripts' runs are live; a click opens Tools >
    // Tracking Server.
    auto *indicator = new QToolButton(window);
    indicator->setObjectName(QStringLiteral("trackingIndicator"));
    indicator->setAutoRaise(true);
    indicator->setIcon(Icons::themed(QStringLiteral("network-server")));
    indicator->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    indicator->setVisible(false);
    if (auto *main = qobject_cast<QMainWindow *>(window))
        main->statusBar()->addPermanentWidget(indicator);
    auto updateIndicator = [indicator, controller] {
        indicator->setVisible(controller->isServing());
        const int live = controller->liveRuns();
        indicator->setText(tr("Tracking \u00b7 %1").arg(live == 1 ? tr("1 live run") : tr("%1 live runs").arg(live)));
        indicator->setToolTip(tr("The MLflow tracking API serves this project on %1 (Tools > Tracking Server)").arg(controller->url()));
    };
    QObject::connect(controller, &TrackingServerController::stateChanged, indicator, updateIndicator);
    QObject::connect(controller, &TrackingServerController::liveRunsChanged, indicator, updateIndicator);
    QObject::connect(controller, &TrackingServerController::failed, indicator, [&workbench](const QString &why) { workbench.showError(why); });

    auto dialog = std::make_shared<QPointer<TrackingServerDialog>>();
    auto openDialog = [&workbench, controller, dialog] {
        if (!*dialog)
            *dialog = new TrackingServerDialog(*controller, workbench, workbench.dialogParent());
        (*dialog)->show();
        (*dialog)->raise();
        (*dialog)->activateWindow();
    };
    QObject::connect(indicator, &QToolButton::clicked, indicator, openDialog);

    Command server;
    server.id = QStringLiteral("tracking.server");
    server.text = tr("&Tracking Server\u2026");
    server.iconName = QStringLiteral("network-server");
    server.toolTip = tr("Serve the MLflow tracking API for this project, so training scripts log their runs into it");
    server.menu = tr("&Tools");
    server.menuGroup = QStringLiteral("tracking");
    server.enabled = [](const CommandScope &scope) { return scope.projectOpen; };
    server.run = [openDialog](const CommandScope &) { openDialog(); };
    workbench.commands().add(server);

    Command import;
    import.id = QStringLiteral("tracking.importModel");
    import.text = tr("Import &Model From Artifact\u2026");
    import.iconName = QStringLiteral("document-import");
    import.toolTip = tr("Make the TorchScript file a script logged to this run a model of a data set");
    import.menu = tr("&Run");
    import.menuGroup = QStringLiteral("tracking");
    import.contextMenu = true;
    import.appliesTo = {ItemKind::Run};
    import.needsWritable = true;
    import.followsDocument = true;
    import.enabled = [&workbench](const CommandScope &scope) { return scope.writable && trackedRun(workbench, scope).has_value(); };
    import.run = [&workbench](const CommandScope &scope) {
        if (auto run = trackedRun(workbench, scope))
            importFromArtifact(workbench, *run);
    };
    workbench.commands().add(import);
}

} // namespace mlwb
