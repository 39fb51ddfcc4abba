// SPDX-License-Identifier: MIT
#include "panes/monitor/monitor_feature.h"

#include "commands/command_registry.h"
#include "common/format.h"
#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "mainwindow/workbench_context.h"
#include "models/item_kind_registry.h"
#include "models/project_tree_model.h"
#include "panes/deploy/deployments_branch.h"
#include "panes/monitor/monitor_watcher.h"
#include "panes/monitor/monitoring_branch.h"
#include "panes/monitor/monitoring_pane.h"
#include "store/alert_repository.h"
#include "store/dataset_repository.h"
#include "store/project.h"
#include "store/project_file.h"
#include "store/run_repository.h"
#include "train/train_job.h"
#include "train/training_config.h"
#include "widgets/icons.h"
#include "widgets/translate.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QPointer>
#include <QSystemTrayIcon>

namespace mlwb {

using text::tr;

namespace {

const char *kWatcherName = "mlwbMonitorWatcher";

qint64 oneOf(const CommandScope &scope, ItemKind kind)
{
    if (scope.selection.size() == 1 && scope.selection.first().kind == kind)
        return scope.selection.first().id;
    if (scope.document.kind == kind)
        return scope.document.id;
    return 0;
}

// The target a command acts on: a target, its monitor node or one of its alerts.
qint64 targetOf(WorkbenchContext &workbench, const CommandScope &scope)
{
    if (const qint64 t = oneOf(scope, kTargetKind))
        return t;
    if (const qint64 t = oneOf(scope, kMonitorKind))
        return t;
    if (const qint64 a = oneOf(scope, kAlertKind); a && workbench.project())
        if (auto alert = AlertRepository(workbench.project()->db()).alert(a))
            return alert->targetId;
    return 0;
}

Result<ItemDescription> describeMonitor(Project &project, qint64 id)
{
    auto t = project.targets().get(id);
    if (!t)
        return t.failure();
    // Named apart from the target's own tab, which is open beside it as often as not.
    ItemDescription out{tr("%1 \u00b7 monitoring").arg(t->name), tr("Monitoring"), {}, Icons::themed(QStringLiteral("utilities-system-monitor"))};
    const QString g = tr("General");
    auto firing = AlertRepository(project.db()).active(id);
    out.properties << ItemProperty::fact(g, tr("Target"), t->name) << ItemProperty::fact(g, tr("URL"), t->url)
                   << ItemProperty::fact(g, tr("Alerts firing"), firing ? QString::number(firing->size()) : firing.error());
    return out;
}

Result<ItemDescription> describeAlert(Project &project, qint64 id)
{
    auto a = AlertRepository(project.db()).alert(id);
    if (!a)
        return a.failure();
    ItemDescription out{tr("Alert %1").arg(a->id), tr("Alert"), {}, Icons::themed(QStringLiteral("dialog-warning"))};
    const QString g = tr("General");
    out.properties << ItemProperty::fact(g, tr("Model"), a->model) << ItemProperty::fact(g, tr("Version"), a->version)
                   << ItemProperty::fact(g, tr("Fired"), Format::dateTime(a->firedAt))
                   << ItemProperty::fact(g, tr("Cleared"), a->clearedAt.isValid() ? Format::dateTime(a->clearedAt) : tr("still firing"))
                   << ItemProperty::fact(g, tr("Value"), Format::metric(a->value)) << ItemProperty::fact(g, tr("Alert"), a->message);
    return out;
}

// Shows the alert on the desktop when it has a notification area, else in the window.
void notify(WorkbenchContext &workbench, const QJsonObject &alert)
{
    const bool fired = alert.value(QStringLiteral("fired")).toBool();
    const QString text = alert.value(QStringLiteral("message")).toString();
    static QPointer<QSystemTrayIcon> tray;
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        if (!tray) {
            tray = new QSystemTrayIcon(Icons::application(), workbench.dialogParent());
            tray->show();
        }
        tray->showMessage(fired ? tr("Alert fired") : tr("Alert cleared"), text,
                          fired ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information, 10'000);
    }
    workbench.showMessage(fired ? tr("Alert: %1").arg(text) : tr("Alert cleared: %1").arg(text),
                          fired ? MessageBar::Type::Warning : MessageBar::Type::Positive);
}

void openRetrainDialog(WorkbenchContext &workbench, qint64 alertId)
{
    Project *project = workbench.project();
    if (!project)
        return;
    auto alert = AlertRepository(project->db()).alert(alertId);
    if (!alert)
        return workbench.showError(tr("Cannot read alert %1: %2").arg(alertId).arg(alert.error()));
    auto datasets = project->datasets().list();
    if (!datasets)
        return workbench.showError(tr("Cannot list the data sets: %1").arg(datasets.error()));
    QDialog dialog(workbench.dialogParent());
    dialog.setWindowTitle(tr("Retrain %1").arg(alert->model));
    auto *form = new QFormLayout(&dialog);
    auto *why = new QLabel(tr("%1\n\nA new run of %2 with the hyperparameters of the run behind version %3, on the data set you pick "
                              "(import the agent's payload log, labelled, to train on what production sees). When it finishes, "
                              "the Compare tab opens on the old and the new run.")
                               .arg(alert->message, alert->model, alert->version),
                           &dialog);
    why->setWordWrap(true);
    form->addRow(why);
    auto *box = new QComboBox(&dialog);
    for (const DatasetRecord &d : std::as_const(*datasets))
        box->addItem(QStringLiteral("%1 (%2 rows)").arg(d.name, Format::count(d.rowCount)), d.name);
    form->addRow(tr("Data set"), box);
    auto *error = new QLabel(&dialog);
    error->setWordWrap(true);
    error->setStyleSheet(QStringLiteral("color: #d63a3a"));
    error->hide();
    form->addRow(error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Train"));
    buttons->button(QDialogButtonBox::Ok)->setEnabled(box->count() > 0);
    form->addRow(buttons);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, [&] {
        auto job = MonitorFeature::retrain(workbench, alertId, box->currentData().toString());
        if (!job) {
            error->setText(job.error());
            error->show();
            return;
        }
        dialog.accept();
    });
    dialog.exec();
}

} // namespace

MonitorWatcher *MonitorFeature::watcher(WorkbenchContext &workbench)
{
    return workbench.dialogParent()->findChild<MonitorWatcher *>(QString::fromLatin1(kWatcherName));
}

Result<int> MonitorFeature::retrain(WorkbenchContext &workbench, qint64 alertId, const QString &datasetName)
{
    Project *project = workbench.project();
    if (!project)
        return fail(QStringLiteral("no project is open"));
    if (project->isReadOnly())
        return invalidInput(QStringLiteral("the project is open read-only: training writes a run"));
    auto alert = AlertRepository(project->db()).alert(alertId);
    if (!alert)
        return alert.failure();
    auto package = project->packages().find(alert->model, alert->version);
    if (!package)
        return package.failure().reworded(
            tr("the project has no package %1 %2 to retrain from: %3").arg(alert->model, alert->version, package.error()));
    if (package->runId <= 0)
        return invalidInput(tr("package %1 %2 was built from no run of this project").arg(alert->model, alert->version));
    auto run = project->runs().get(package->runId);
    if (!run)
        return run.failure();
    auto config = TrainingConfig::fromJson(run->hyperparams);
    if (!config)
        return config.failure().reworded(tr("the hyperparameters of %1: %2").arg(Format::runName(run->name, run->id), config.error()));
    TrainRequest request;
    request.modelName = run->modelName;
    request.datasetName = datasetName;
    request.config = *config;
    request.modelVersion = run->modelVersion;
    request.runName = tr("retrain after alert %1").arg(alertId);
    request.ownerLease = project->file().leaseId();
    const qint64 oldRun = run->id;
    auto job = std::make_unique<TrainJob>(project->path(), request);
    TrainJob *raw = job.get();
    auto newRun = std::make_shared<std::atomic<qint64>>(0);
    raw->onRunCreated = [newRun](qint64 id) { newRun->store(id); };
    QPointer<QWidget> alive = workbench.dialogParent();
    WorkbenchContext *w = &workbench;
    const int id = workbench.jobManager()->submit(std::move(job), [alive, w, oldRun, newRun](const Status &status) {
        if (!alive)
            return;
        w->updateActions();
        if (Project *p = w->project())
            p->refresh();
        if (!status)
            return w->showError(tr("Retraining failed: %1").arg(status.error()));
        const qint64 created = newRun->load();
        if (created > 0)
            w->runCommand(QStringLiteral("compare.runs"), {{ItemKind::Run, oldRun}, {ItemKind::Run, created}});
    });
    workbench.updateActions();
    return id;
}

void MonitorFeature::install(WorkbenchContext &workbench)
{
    auto *watcher = new MonitorWatcher(workbench.dialogParent());
    watcher->setObjectName(QString::fromLatin1(kWatcherName));
    QObject::connect(watcher, &MonitorWatcher::alertChanged, watcher,
                     [&workbench](qint64, const QJsonObject &alert) { notify(workbench, alert); });

    ItemKindRegistry::Kind monitor;
    monitor.typeName = tr("Monitoring");
    monitor.table = QString(); // a view of its target, nothing of its own to delete
    monitor.icon = Icons::themed(QStringLiteral("utilities-system-monitor"));
    monitor.describe = describeMonitor;
    monitor.document = [&workbench, watcher](Project &project, const ItemRef &ref, QWidget *parent) -> QWidget * {
        auto *pane = new MonitoringPane(project, ref.id, &workbench, watcher, parent);
        QObject::connect(pane, &MonitoringPane::retrainRequested, pane, [&workbench](qint64 alert) { openRetrainDialog(workbench, alert); });
        return pane;
    };
    monitor.changes = {Aggregate::Target};
    monitor.lookup = [](Project &p, const QString &text) -> Result<qint64> {
        auto t = p.targets().find(text);
        if (!t)
            return t.failure();
        return t->id;
    };
    workbench.itemKinds().registerKind(kMonitorKind, monitor);

    ItemKindRegistry::Kind alert;
    alert.typeName = tr("Alert");
    alert.icon = Icons::themed(QStringLiteral("dialog-warning"));
    alert.describe = describeAlert;
    alert.changes = {Aggregate::Target};
    workbench.itemKinds().registerKind(kAlertKind, alert);

    workbench.projectTree()->addBranch(std::make_unique<MonitoringBranch>(watcher));

    Command open;
    open.id = QStringLiteral("monitor.open");
    open.text = tr("&Monitor Target");
    open.iconName = QStringLiteral("utilities-system-monitor");
    open.toolTip = tr("Open the target's Monitoring tab: traffic, latency, drift and alerts");
    open.menu = tr("&Deploy");
    open.menuGroup = QStringLiteral("monitor");
    open.contextMenu = true;
    open.appliesTo = {kTargetKind, kMonitorKind, kAlertKind};
    open.enabled = [&workbench](const CommandScope &scope) { return targetOf(workbench, scope) != 0; };
    open.run = [&workbench](const CommandScope &scope) {
        const qint64 target = targetOf(workbench, scope);
        if (!target)
            return;
        workbench.documents()->open({kMonitorKind, target});
        if (const qint64 a = oneOf(scope, kAlertKind))
            if (auto *pane = qobject_cast<MonitoringPane *>(workbench.documents()->currentDocument()))
                pane->selectAlert(a);
    };
    workbench.commands().add(open);

    Command watch;
    watch.id = QStringLiteral("monitor.watch");
    watch.text = tr("&Watch Target");
    watch.iconName = QStringLiteral("media-record");
    watch.toolTip = tr("Poll the target at its interval, keep what it says in the project, and fire its alerts");
    watch.menu = tr("&Deploy");
    watch.menuGroup = QStringLiteral("monitor");
    watch.contextMenu = true;
    watch.appliesTo = {kTargetKind, kMonitorKind};
    watch.needsWritable = true;
    watch.enabled = [&workbench, watcher](const CommandScope &scope) {
        const qint64 t = targetOf(workbench, scope);
        return scope.writable && t && !watcher->isWatching(t);
    };
    watch.run = [&workbench, watcher](const CommandScope &scope) {
        const qint64 target = targetOf(workbench, scope);
        Project *project = workbench.project();
        if (!target || !project)
            return;
        auto t = project->targets().get(target);
        if (!t)
            return workbench.showError(tr("Cannot watch target %1: %2").arg(target).arg(t.error()));
        watcher->start(project->path(), target, t->name);
        workbench.showMessage(tr("Watching %1; its Monitoring tab shows what it says.").arg(t->name), MessageBar::Type::Positive);
    };
    workbench.commands().add(watch);

    Command retrain;
    retrain.id = QStringLiteral("monitor.retrain");
    retrain.text = tr("&Retrain From Alert\u2026");
    retrain.iconName = QStringLiteral("view-refresh");
    retrain.toolTip = tr("Train the alert's model again on a data set you pick, then compare the old and new runs");
    retrain.menu = tr("&Deploy");
    retrain.menuGroup = QStringLiteral("monitor");
    retrain.contextMenu = true;
    retrain.appliesTo = {kAlertKind};
    retrain.needsWritable = true;
    retrain.enabled = [](const CommandScope &scope) { return scope.writable && oneOf(scope, kAlertKind) != 0; };
    retrain.run = [&workbench](const CommandScope &scope) {
        if (const qint64 a = oneOf(scope, kAlertKind))
            openRetrainDialog(workbench, a);
    };
    workbench.commands().add(retrain);

    // Closing the project ends its watches (their threads write to its file).
    QObject::connect(workbench.dialogParent(), &QObject::destroyed, watcher, [watcher] { watcher->stopAll(); });
}

} // namespace mlwb
