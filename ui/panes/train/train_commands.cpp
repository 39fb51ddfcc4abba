// SPDX-License-Identifier: MIT
#include "panes/train/train_commands.h"

#include "commands/command_registry.h"

#include "common/format.h"
#include "inference/run_evaluator.h"
#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "mainwindow/workbench_context.h"
#include "panes/model/model_version_kind.h"
#include "panes/train/new_model_dialog.h"
#include "panes/train/train_dialog.h"
#include "store/project.h"
#include "train/train_job.h"

#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QPointer>
#include <QUrl>

#include <atomic>
#include <memory>
#include <optional>

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
    train.toolTip = tr("Train the selected model, or train a run's model again with the run's "
                       "settings");
    train.menu = tr("&Run");
    train.menuGroup = QStringLiteral("train");
    train.toolBarGroup = QStringLiteral("run");
    train.contextMenu = true;
    train.appliesTo = {ItemKind::Model, ItemKind::Run, kModelVersionKind};
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

    Command resume;
    resume.id = QStringLiteral("train.resume");
    resume.text = tr("Res&ume");
    resume.iconName = QStringLiteral("media-seek-forward");
    resume.toolTip = tr("Continue the selected interrupted run from its latest checkpoint");
    resume.menu = tr("&Run");
    resume.menuGroup = QStringLiteral("train");
    resume.contextMenu = true;
    resume.appliesTo = {ItemKind::Run};
    resume.followsDocument = true;
    resume.needsWritable = true;
    resume.enabled = [guard](const CommandScope &scope) { return guard && guard->canResume(scope.selection); };
    resume.run = [guard](const CommandScope &scope) {
        if (guard)
            guard->resume(scope.selection);
    };
    workbench.commands().add(resume);

    // The path comes from a file dialog; runCommand's path argument gives it without one.
    Command exportModel;
    exportModel.id = QStringLiteral("run.exportTorchScript");
    exportModel.text = tr("&Export TorchScript…");
    exportModel.iconName = QStringLiteral("document-export");
    exportModel.toolTip = tr("Save the selected finished run's trained model as a TorchScript file");
    exportModel.menu = tr("&File");
    exportModel.menuGroup = QStringLiteral("export");
    exportModel.contextMenu = true;
    exportModel.appliesTo = {ItemKind::Run};
    exportModel.followsDocument = true;
    exportModel.enabled = [&workbench](const CommandScope &scope) {
        Project *project = workbench.project();
        if (!project || scope.selection.size() != 1 || scope.selection.first().kind != ItemKind::Run)
            return false;
        auto run = project->runs().get(scope.selection.first().id);
        return run.ok() && run->status == RunStatus::Finished;
    };
    exportModel.run = [guard, &workbench](const CommandScope &scope) {
        Project *project = workbench.project();
        if (!guard || !project || scope.selection.size() != 1)
            return;
        const qint64 runId = scope.selection.first().id;
        QString path = scope.path;
        if (path.isEmpty()) {
            auto run = project->runs().get(runId);
            const QString suggested =
                QDir(QFileInfo(project->path()).absolutePath())
                    .filePath(QStringLiteral("%1-run%2.pt")
                                  .arg(run.ok() ? run->modelName : QStringLiteral("model"))
                                  .arg(runId));
            path = QFileDialog::getSaveFileName(workbench.dialogParent(), tr("Export TorchScript"),
                                                suggested, tr("TorchScript (*.pt)"));
            if (path.isEmpty())
                return;
        }
        if (const Status s = guard->exportTorchScript(runId, path); !s.ok())
            workbench.showError(s.error());
    };
    workbench.commands().add(exportModel);

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
        && (selection.first().kind == ItemKind::Model || selection.first().kind == ItemKind::Run
            || selection.first().kind == kModelVersionKind);
}

void TrainCommands::train(const QList<ItemRef> &selection)
{
    Project *project = m_workbench.project();
    if (!project || !canTrain(selection) || m_dialog)
        return;
    const ItemRef ref = selection.first();
    qint64 modelId = 0;
    int version = 0;
    QString datasetName; // empty: the model's own
    std::optional<RunRecord> again;
    if (ref.kind == ItemKind::Model) {
        modelId = ref.id;
    } else if (ref.kind == kModelVersionKind) {
        auto v = project->models().version(ref.id);
        if (!v)
            return m_workbench.showError(tr("Cannot train: %1").arg(v.error()));
        modelId = v->modelId;
        version = v->version;
    } else {
        auto run = project->runs().get(ref.id);
        if (!run)
            return m_workbench.showError(tr("Cannot train: %1").arg(run.error()));
        again = *run;
        modelId = run->modelId;
        version = run->modelVersion;
    }
    auto model = project->models().get(modelId);
    if (!model) {
        m_workbench.showError(tr("Cannot train: the selected item has no model."));
        return;
    }
    const QString modelName = model->name;
    auto *dialog = new TrainDialog(modelName, m_workbench.dialogParent());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QList<int> numbers;
    if (auto versions = project->models().versions(modelId))
        for (const ModelVersionRecord &v : std::as_const(*versions))
            numbers << v.version;
    dialog->setVersions(numbers);
    if (version)
        dialog->setVersion(version);
    if (again) {
        // Train again: the run's settings, on the run's version and data set.
        dialog->setWindowTitle(tr("Train “%1” again with the settings of %2")
                                   .arg(modelName, Format::runName(again->name, again->id)));
        auto config = TrainingConfig::fromJson(again->hyperparams);
        if (config)
            dialog->setConfig(*config);
        else
            m_workbench.showMessage(tr("The settings of %1 could not be read (%2); the dialog "
                                       "shows the defaults.")
                                        .arg(Format::runName(again->name, again->id), config.error()),
                                    MessageBar::Type::Warning);
        if (again->datasetId != model->datasetId)
            if (auto ds = project->datasets().get(again->datasetId))
                datasetName = ds->name;
    }
    m_dialog = dialog;
    connect(dialog, &QDialog::finished, this, [this, dialog, modelName, datasetName](int result) {
        m_dialog = nullptr;
        if (result != QDialog::Accepted || !dialog->isValid())
            return;
        TrainRequest request;
        request.modelName = modelName;
        request.datasetName = datasetName;
        request.config = dialog->config();
        request.runName = dialog->runName();
        request.modelVersion = dialog->version();
        submit(request);
    });
    dialog->open();
}

bool TrainCommands::canResume(const QList<ItemRef> &selection) const
{
    Project *project = m_workbench.project();
    if (!project || project->isReadOnly() || selection.size() != 1
        || selection.first().kind != ItemKind::Run)
        return false;
    if (jobOfRun(selection.first().id)) {
        const auto status = m_workbench.jobManager()->job(jobOfRun(selection.first().id)).status;
        if (status == JobState::Status::Queued || status == JobState::Status::Running)
            return false;
    }
    auto run = project->runs().get(selection.first().id);
    return run.ok() && run->status == RunStatus::Interrupted;
}

void TrainCommands::resume(const QList<ItemRef> &selection)
{
    Project *project = m_workbench.project();
    if (!project || !canResume(selection))
        return;
    auto run = project->runs().get(selection.first().id);
    if (!run)
        return m_workbench.showError(run.error());
    TrainRequest request;
    request.modelName = run->modelName;
    request.runName = run->name;
    request.resumeRunId = run->id;
    submit(request);
    m_workbench.documents()->open({ItemKind::Run, run->id});
}

Status TrainCommands::exportTorchScript(qint64 runId, const QString &path)
{
    Project *project = m_workbench.project();
    if (!project)
        return fail(tr("No project is open."));
    auto bytes = RunEvaluator(project->db()).trainedModel(runId);
    if (!bytes)
        return bytes.failure();
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(*bytes) != bytes->size())
        return fail(tr("%1: cannot write: %2").arg(path, f.errorString()));
    if (!f.flush())
        return fail(tr("%1: cannot write: %2").arg(path, f.errorString()));
    f.close();
    const QString folder = QFileInfo(path).absolutePath();
    auto *open = new QAction(tr("Open Folder"), this);
    connect(open, &QAction::triggered, open, [folder] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
    });
    // The bar does not own its actions; this one lives until the next export replaces it.
    delete m_openFolder;
    m_openFolder = open;
    m_workbench.showMessage(tr("Exported the trained model to %1 (%2, TorchScript with its "
                               "preprocessing).")
                                .arg(QDir::toNativeSeparators(path), Format::bytes(bytes->size())),
                            MessageBar::Type::Positive, {open});
    return {};
}

void TrainCommands::submit(TrainRequest request)
{
    Project *project = m_workbench.project();
    if (!project)
        return;
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
        if (result == QDialog::Accepted && dialog->createdModelId()) {
            // A new model opens in its tab (the builder), selected in the explorer.
            m_workbench.revealItem({ItemKind::Model, dialog->createdModelId()});
            m_workbench.documents()->open({ItemKind::Model, dialog->createdModelId()});
        }
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
