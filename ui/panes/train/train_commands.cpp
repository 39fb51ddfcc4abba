// SPDX-License-Identifier: MIT
#include "panes/train/train_commands.h"

#include "commands/command_registry.h"

#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "mainwindow/workbench_context.h"
#include "panes/train/new_model_dialog.h"
#include "panes/train/train_dialog.h"
#include "store/project.h"
#include "train/train_job.h"

#include <QAction>
#include <QPointer>

#include <atomic>
#include <memory>

namespace mlwb {

TrainCommands *TrainCommands::install(WorkbenchContext &workbench)
{
    auto *commands = new TrainCommands(workbench);
    commands->setObjectName(QStringLiteral("trainCommands"));
    QPointer<TrainCommands> guard(commands);

    Command train;
    train.id = QStringLiteral("train.run");
    train.text = tr("&Train");
    train.iconName = QStringLiteral("media-playback-start");
    train.shortcut = QKeySequence(Qt::CTRL | Qt::Key_R);
    train.toolTip = tr("Train the selected model (or a run's model again)");
    train.menu = tr("&Run");
    train.menuGroup = QStringLiteral("train");
    train.toolBarGroup = QStringLiteral("run");
    train.contextMenu = true;
    train.appliesTo = {ItemKind::Model, ItemKind::Run, ItemKind::Dataset};
    train.followsDocument = true;
    train.needsWritable = true;
    train.enabled = [guard](const CommandScope &scope) { return guard && guard->canTrain(scope.selection); };
    train.run = [guard](const CommandScope &scope) {
        if (guard)
            guard->train(scope.selection);
    };
    workbench.commands().add(train);

    Command stop;
    stop.id = QStringLiteral("train.stop");
    stop.text = tr("&Stop");
    stop.iconName = QStringLiteral("media-playback-stop");
    stop.shortcut = QKeySequence(Qt::CTRL | Qt::Key_Period);
    stop.toolTip = tr("Stop the selected run's training (it can be resumed)");
    stop.menu = tr("&Run");
    stop.menuGroup = QStringLiteral("train");
    stop.toolBarGroup = QStringLiteral("run");
    stop.contextMenu = true;
    stop.appliesTo = {ItemKind::Run};
    stop.followsDocument = true;
    stop.enabled = [guard](const CommandScope &scope) { return guard && guard->canStop(scope.selection); };
    stop.run = [guard](const CommandScope &scope) {
        if (guard)
            guard->stop(scope.selection);
    };
    workbench.commands().add(stop);

    // Explorer context menu on a data set: New model from template...
    Command newModel;
    newModel.id = QStringLiteral("model.newFromTemplate");
    newModel.text = tr("New Model from Template\u2026");
    newModel.iconName = QStringLiteral("list-add");
    newModel.contextMenu = true;
    newModel.appliesTo = {ItemKind::Dataset};
    newModel.needsWritable = true;
    newModel.enabled = [](const CommandScope &scope) { return scope.selection.size() == 1; };
    newModel.run = [guard](const CommandScope &scope) {
        if (guard && scope.selection.size() == 1 && scope.selection.first().kind == ItemKind::Dataset)
            guard->newModel(scope.selection.first().id);
    };
    workbench.commands().add(newModel);

    connect(workbench.jobManager(), &JobManager::jobChanged, commands,
            [&workbench](int) { workbench.updateActions(); });
    return commands;
}

QAction *TrainCommands::newModelAction() const
{
    return m_workbench.commandAction(QStringLiteral("model.newFromTemplate"));
}

TrainCommands::TrainCommands(WorkbenchContext &workbench)
    : QObject(workbench.dialogParent())
    , m_workbench(workbench)
{
}

QString TrainCommands::modelNameFor(const ItemRef &ref) const
{
    Project *project = m_workbench.project();
    if (!project)
        return {};
    if (ref.kind == ItemKind::Model) {
        auto model = project->models().get(ref.id);
        return model.ok() ? model->name : QString();
    }
    if (ref.kind == ItemKind::Run) {
        auto run = project->runs().get(ref.id);
        return run.ok() ? run->modelName : QString();
    }
    return {};
}

bool TrainCommands::canTrain(const QList<ItemRef> &selection) const
{
    Project *project = m_workbench.project();
    return project && !project->isReadOnly() && selection.size() == 1
        && (selection.first().kind == ItemKind::Model || selection.first().kind == ItemKind::Run);
}

void TrainCommands::train(const QList<ItemRef> &selection)
{
    if (!canTrain(selection) || m_dialog)
        return;
    const QString modelName = modelNameFor(selection.first());
    if (modelName.isEmpty()) {
        m_workbench.showError(tr("Cannot train: the selected item has no model."));
        return;
    }
    auto *dialog = new TrainDialog(modelName, m_workbench.dialogParent());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog = dialog;
    connect(dialog, &QDialog::finished, this, [this, dialog, modelName](int result) {
        m_dialog = nullptr;
        if (result == QDialog::Accepted && dialog->isValid())
            submit(modelName, *dialog);
    });
    dialog->open();
}

void TrainCommands::submit(const QString &modelName, const TrainDialog &dialog)
{
    Project *project = m_workbench.project();
    if (!project)
        return;
    TrainRequest request;
    request.modelName = modelName;
    request.config = dialog.config();
    request.ownerLease = project->file().leaseId();
    auto job = std::make_unique<TrainJob>(project->path(), request);
    TrainJob *raw = job.get();
    // The id is known only after submit(); the callback runs later on the worker thread.
    auto jobId = std::make_shared<std::atomic<int>>(0);
    QPointer<TrainCommands> self(this);
    raw->onRunCreated = [self, jobId](qint64 runId) {
        QMetaObject::invokeMethod(
            self.data(),
            [self, jobId, runId] {
                if (self)
                    self->runCreated(jobId->load(), runId);
            },
            Qt::QueuedConnection);
    };
    const int id = m_workbench.jobManager()->submit(std::move(job), [self](const Status &status) {
        if (!self)
            return;
        if (!status.ok() && status.kind() != ErrorKind::Cancelled) // a Stop is not an error
            self->m_workbench.showError(status.error());
        self->m_workbench.updateActions();
    });
    jobId->store(id);
}

int TrainCommands::jobOfRun(qint64 runId) const
{
    return m_workbench.jobManager()->jobOf({ItemKind::Run, runId});
}

void TrainCommands::runCreated(int jobId, qint64 runId)
{
    m_workbench.jobManager()->setSubject(jobId, {ItemKind::Run, runId});
    m_workbench.documents()->open({ItemKind::Run, runId});
    m_workbench.updateActions();
}

void TrainCommands::newModel(qint64 datasetId)
{
    Project *project = m_workbench.project();
    if (!project || m_newModelDialog)
        return;
    auto *dialog = new NewModelDialog(*project, datasetId, m_workbench.dialogParent());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_newModelDialog = dialog;
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        m_newModelDialog = nullptr;
        if (result == QDialog::Accepted && dialog->createdModelId())
            m_workbench.revealItem({ItemKind::Model, dialog->createdModelId()});
    });
    dialog->open();
}

bool TrainCommands::canStop(const QList<ItemRef> &selection) const
{
    for (const ItemRef &ref : selection) {
        if (ref.kind != ItemKind::Run)
            continue;
        const int job = m_workbench.jobManager()->jobOf(ref);
        const auto status = m_workbench.jobManager()->job(job).status;
        if (job && (status == JobState::Status::Queued || status == JobState::Status::Running))
            return true;
    }
    return false;
}

void TrainCommands::stop(const QList<ItemRef> &selection)
{
    for (const ItemRef &ref : selection) {
        if (ref.kind == ItemKind::Run)
            if (const int job = m_workbench.jobManager()->jobOf(ref))
                m_workbench.jobManager()->cancel(job);
    }
    m_workbench.updateActions();
}

} // namespace mlwb
