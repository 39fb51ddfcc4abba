// SPDX-License-Identifier: MIT
#include "panes/deploy/deploy_feature.h"

#include "commands/command_registry.h"
#include "commands/delete_item_command.h"
#include "common/format.h"
#include "deploy/local_agent.h"
#include "deploy/token_store.h"
#include "jobs/job_feedback.h"
#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "mainwindow/workbench_context.h"
#include "models/item_kind_registry.h"
#include "models/project_tree_model.h"
#include "package/key_store.h"
#include "package/package_manifest.h"
#include "panes/deploy/add_target_dialog.h"
#include "panes/deploy/deploy_dialog.h"
#include "panes/deploy/deployment_pane.h"
#include "panes/deploy/deployments_branch.h"
#include "store/project.h"
#include "widgets/icons.h"
#include "widgets/translate.h"

#include <QFile>
#include <QPointer>
#include <QToolBar>
#include <QUndoStack>

#include <memory>

namespace mlwb {

namespace {

using text::tr;

Result<ItemDescription> describeTarget(Project &project, qint64 id)
{
    auto t = project.targets().get(id);
    if (!t)
        return t.failure();
    ItemDescription out{t->name, tr("Deployment target"), {}, Icons::themed(QStringLiteral("network-server"))};
    const QString g = tr("General");
    const TokenStore tokens;
    out.properties << ItemProperty::fact(g, tr("Name"), t->name) << ItemProperty::fact(g, tr("URL"), t->url)
                   << ItemProperty::fact(g, tr("CA certificate"), t->caCert.isEmpty() ? tr("the system's") : tr("its own"))
                   << ItemProperty::fact(g, tr("Token"), tokens.has(t->name) ? tr("stored") : tr("none"),
                                         tokens.location(t->name))
                   << ItemProperty::fact(g, tr("Added"), Format::dateTime(t->createdAt))
                   << ItemProperty::fact(g, tr("Added by"), t->createdBy);
    return out;
}

Result<QString> readCaCert(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return ioError(QStringLiteral("cannot read the CA certificate %1: %2").arg(path, f.errorString()));
    const QString pem = QString::fromUtf8(f.read(1024 * 1024));
    if (!pem.contains(QStringLiteral("-----BEGIN CERTIFICATE-----")))
        return invalidInput(QStringLiteral("%1 is not a PEM certificate (no -----BEGIN CERTIFICATE----- line)").arg(path));
    return pem;
}

// The one item of a kind a command acts on, or 0.
qint64 oneOf(const CommandScope &scope, ItemKind kind)
{
    if (scope.selection.size() == 1 && scope.selection.first().kind == kind)
        return scope.selection.first().id;
    if (scope.document.kind == kind)
        return scope.document.id;
    return 0;
}

// What a finished deploy leaves for its onDone: the JobManager frees the job before onDone runs.
struct DeployOutcome {
    QJsonObject answer;
    bool refusedByGate = false;
};

// Starts the local agent (or finds it running) off the GUI thread, as a job the Jobs pane shows.
class StartLocalAgentJob : public Job {
public:
    explicit StartLocalAgentJob(std::shared_ptr<LocalAgent::Running> outcome) : m_outcome(std::move(outcome)) {}
    QString title() const override { return tr("Start the local agent"); }
    Status run(JobFeedback &feedback) override
    {
        feedback.setMessage(tr("starting mlwb-agent on 127.0.0.1"));
        auto running = LocalAgent().start();
        if (!running)
            return running.failure();
        *m_outcome = *running;
        return {};
    }

private:
    std::shared_ptr<LocalAgent::Running> m_outcome;
};

class RecordedDeployJob : public DeployJob {
public:
    RecordedDeployJob(Request request, std::shared_ptr<DeployOutcome> outcome)
        : DeployJob(std::move(request)), m_outcome(std::move(outcome))
    {
    }
    Status run(JobFeedback &feedback) override
    {
        Status s = DeployJob::run(feedback);
        m_outcome->answer = answer();
        m_outcome->refusedByGate = refusedByGate();
        return s;
    }

private:
    std::shared_ptr<DeployOutcome> m_outcome;
};

void openDeployDialog(WorkbenchContext &workbench, qint64 targetId, qint64 packageId)
{
    Project *project = workbench.project();
    if (!project)
        return;
    auto targets = project->targets().list();
    if (targets && targets->isEmpty()) {
        // No target yet: the next step is adding one, then deploying to it.
        workbench.runCommand(QStringLiteral("deploy.addTarget"), {});
        targets = project->targets().list();
        if (targets && targets->isEmpty())
            return;
    }
    auto packages = project->packages().list();
    if (!targets)
        return workbench.showError(tr("Cannot list the targets: %1").arg(targets.error()));
    if (!packages)
        return workbench.showError(tr("Cannot list the packages: %1").arg(packages.error()));
    if (targets->isEmpty())
        return workbench.showError(tr("The project has no deployment target yet: add one with Deploy \u2192 Add Target\u2026"));
    if (packages->isEmpty())
        return workbench.showError(tr("The project has no package yet: create one from a finished run (Create Package\u2026)."));
    DeployDialog dialog(*targets, *packages, targetId, packageId, workbench.dialogParent());
    if (dialog.exec() != QDialog::Accepted)
        return;
    DeployJob::Request r;
    r.projectPath = project->path();
    r.packageId = dialog.packageId();
    r.target = dialog.targetName();
    r.canaryPercent = dialog.canaryPercent();
    r.overrideReason = dialog.overrideReason();
    if (r.target == QLatin1String(LocalAgent::kTargetName)) {
        // The local agent is started for the user (or found running) before the upload.
        DeployFeature::startLocalAgent(workbench, [&workbench, r](const QString &) { DeployFeature::startDeploy(workbench, r); });
        return;
    }
    DeployFeature::startDeploy(workbench, r);
}

} // namespace

Result<qint64> DeployFeature::addTarget(Project &project, const QString &name, const QString &url,
                                        const QString &caCertFile, const QByteArray &token, const QString &tokenFile)
{
    TargetRecord t;
    t.name = name.trimmed();
    t.url = url.trimmed();
    t.createdBy = KeyStore::userAtHost();
    if (auto s = TokenStore::checkTargetName(t.name); !s)
        return s.failure();
    if (!caCertFile.isEmpty()) {
        auto pem = readCaCert(caCertFile);
        if (!pem)
            return pem.failure();
        t.caCert = *pem;
    }
    // The token is read before anything is stored, so a bad token file leaves no half-made target.
    QByteArray secret = token.trimmed();
    if (secret.isEmpty() && !tokenFile.isEmpty()) {
        auto read = TokenStore::readTokenFile(tokenFile);
        if (!read)
            return read.failure();
        secret = *read;
    }
    auto id = project.targets().add(t);
    if (!id)
        return id.failure();
    if (!secret.isEmpty())
        if (auto s = TokenStore().save(t.name, secret); !s)
            return s.failure().reworded(
                QStringLiteral("target %1 was added, but its token was not stored: %2").arg(t.name, s.error()));
    return id;
}

int DeployFeature::startDeploy(WorkbenchContext &workbench, DeployJob::Request request)
{
    QPointer<QWidget> alive = workbench.dialogParent();
    WorkbenchContext *w = &workbench;
    const QString target = request.target;
    const QString projectPath = request.projectPath;
    auto outcome = std::make_shared<DeployOutcome>();
    auto job = std::make_unique<RecordedDeployJob>(std::move(request), outcome);
    const QString title = job->title();
    const int id = workbench.jobManager()->submit(std::move(job), [alive, w, outcome, target, title, projectPath](const Status &status) {
        if (!alive)
            return;
        w->updateActions();
        if (Project *now = w->project(); now && now->path() == projectPath)
            now->refresh();
        if (!status) {
            if (outcome->refusedByGate)
                return DeploymentPane::report(
                    *w, target, tr("%1 was refused: its checks failed. Deploy it again with the reason it may go out anyway.").arg(title),
                    MessageBar::Type::Error);
            return DeploymentPane::report(*w, target, tr("%1 failed: %2").arg(title, status.error()), MessageBar::Type::Error);
        }
        const QJsonObject &a = outcome->answer;
        DeploymentPane::report(*w, target,
                               tr("Deployed %1 %2 to %3 (%4).")
                                   .arg(a.value(QStringLiteral("model")).toString(), a.value(QStringLiteral("version")).toString(),
                                        target, a.value(QStringLiteral("state")).toString()),
                               MessageBar::Type::Positive);
    });
    workbench.updateActions();
    return id;
}

int DeployFeature::startLocalAgent(WorkbenchContext &workbench, std::function<void(const QString &url)> then)
{
    QPointer<QWidget> alive = workbench.dialogParent();
    WorkbenchContext *w = &workbench;
    const QString projectPath = workbench.project() ? workbench.project()->path() : QString();
    auto outcome = std::make_shared<LocalAgent::Running>();
    const int id = workbench.jobManager()->submit(
        std::make_unique<StartLocalAgentJob>(outcome), [alive, w, outcome, projectPath, then = std::move(then)](const Status &status) {
            if (!alive)
                return;
            w->updateActions();
            if (!status)
                return w->showError(tr("The local agent did not start: %1").arg(status.error()));
            Project *project = w->project();
            if (project && project->path() == projectPath && !project->isReadOnly()) {
                if (Status s = LocalAgent::registerTarget(project->db(), outcome->url); !s)
                    return w->showError(tr("The local agent runs on %1, but the project's target \"local\" was not updated: %2")
                                            .arg(outcome->url, s.error()));
                project->refresh();
                if (auto t = project->targets().find(QString::fromLatin1(LocalAgent::kTargetName)))
                    w->revealItem({kTargetKind, t->id});
            }
            if (!then)
                w->showMessage(outcome->reused ? tr("The local agent runs on %1 (pid %2).").arg(outcome->url).arg(outcome->pid)
                                               : tr("Started the local agent on %1 (pid %2).").arg(outcome->url).arg(outcome->pid),
                               MessageBar::Type::Positive);
            else
                then(outcome->url);
        });
    workbench.updateActions();
    return id;
}

void DeployFeature::install(WorkbenchContext &workbench)
{
    auto health = std::make_shared<TargetHealthBook>();

    ItemKindRegistry::Kind kind;
    kind.typeName = tr("Target");
    kind.table = QStringLiteral("target");
    kind.icon = Icons::themed(QStringLiteral("network-server"));
    kind.describe = describeTarget;
    kind.remove = [](Project &p, qint64 id) -> Status { return p.targets().remove(id); };
    kind.document = [&workbench, health](Project &project, const ItemRef &ref, QWidget *parent) -> QWidget * {
        return new DeploymentPane(project, ref.id, &workbench, health, parent);
    };
    kind.changes = {Aggregate::Target, Aggregate::Package};
    kind.lookup = [](Project &p, const QString &text) -> Result<qint64> {
        auto t = p.targets().find(text);
        if (!t)
            return t.failure();
        return t->id;
    };
    workbench.itemKinds().registerKind(kTargetKind, kind);
    workbench.projectTree()->addBranch(std::make_unique<DeploymentsBranch>(health));

    Command add;
    add.id = QStringLiteral("deploy.addTarget");
    add.text = tr("Add &Target\u2026");
    add.iconName = QStringLiteral("list-add");
    add.toolTip = tr("Add an mlwb-agent this project deploys to (its token stays with you)");
    add.menu = tr("&Deploy");
    add.menuGroup = QStringLiteral("target");
    add.contextMenu = true;
    add.appliesTo = {kTargetKind};
    add.needsWritable = true;
    add.enabled = [](const CommandScope &scope) { return scope.writable; };
    add.run = [&workbench](const CommandScope &) {
        Project *project = workbench.project();
        if (!project)
            return;
        AddTargetDialog dialog(workbench.dialogParent());
        while (dialog.exec() == QDialog::Accepted) {
            auto id = addTarget(*project, dialog.name(), dialog.url(), dialog.caCertFile(), dialog.token().toUtf8(),
                                dialog.tokenFile());
            if (!id) {
                dialog.showError(id.error());
                continue;
            }
            project->refresh();
            workbench.revealItem({kTargetKind, *id});
            workbench.showMessage(tr("Added target %1.").arg(dialog.name()), MessageBar::Type::Positive);
            return;
        }
    };
    workbench.commands().add(add);

    Command local;
    local.id = QStringLiteral("deploy.startLocalAgent");
    local.text = tr("Start &Local Agent");
    local.iconName = QStringLiteral("media-playback-start");
    local.toolTip = tr("Run an mlwb-agent on 127.0.0.1 for you (state, token and trusted key in your data folder) "
                       "and make it this project's target \"local\"");
    local.menu = tr("&Deploy");
    local.menuGroup = QStringLiteral("target");
    local.needsWritable = true;
    local.enabled = [](const CommandScope &scope) { return scope.writable; };
    local.run = [&workbench](const CommandScope &) { startLocalAgent(workbench, {}); };
    workbench.commands().add(local);

    Command remove;
    remove.id = QStringLiteral("deploy.removeTarget");
    remove.text = tr("&Remove Target");
    remove.iconName = QStringLiteral("list-remove");
    remove.toolTip = tr("Remove the target and its deployment records from the project (undoable); the agent keeps serving");
    remove.menu = tr("&Deploy");
    remove.menuGroup = QStringLiteral("target");
    remove.contextMenu = true;
    remove.appliesTo = {kTargetKind};
    remove.needsWritable = true;
    remove.enabled = [](const CommandScope &scope) { return oneOf(scope, kTargetKind) != 0; };
    remove.run = [&workbench](const CommandScope &scope) {
        if (const qint64 id = oneOf(scope, kTargetKind))
        {
            Project *project = workbench.project();
            auto t = project ? project->targets().get(id) : Result<TargetRecord>(fail(QStringLiteral("no project")));
            if (!t)
                return workbench.showError(tr("Cannot remove target %1: %2").arg(id).arg(t.error()));
            workbench.undoStack()->push(new DeleteItemCommand(workbench.commandContext(), {kTargetKind, id}, t->name));
        }
    };
    workbench.commands().add(remove);

    Command deploy;
    deploy.id = QStringLiteral("deploy.deploy");
    deploy.text = tr("&Deploy\u2026");
    deploy.iconName = QStringLiteral("cloud-upload");
    deploy.toolTip = tr("Push a package to a target (a job with upload progress)");
    deploy.menu = tr("&Deploy");
    deploy.menuGroup = QStringLiteral("deploy");
    deploy.contextMenu = true;
    deploy.appliesTo = {kPackageKind, kTargetKind};
    deploy.followsDocument = true;
    deploy.needsWritable = true;
    deploy.enabled = [](const CommandScope &scope) {
        return scope.selection.size() <= 1 || oneOf(scope, kPackageKind) || oneOf(scope, kTargetKind);
    };
    deploy.run = [&workbench](const CommandScope &scope) {
        openDeployDialog(workbench, oneOf(scope, kTargetKind), oneOf(scope, kPackageKind));
    };
    workbench.commands().add(deploy);

    // The package tab gets Deploy… on its toolbar, after its own actions.
    if (const ItemKindRegistry::Kind *package = workbench.itemKinds().kind(kPackageKind); package && package->document) {
        workbench.itemKinds().setDocumentFactory(
            kPackageKind, [&workbench, inner = package->document](Project &project, const ItemRef &ref, QWidget *parent) {
                QWidget *w = inner(project, ref, parent);
                if (auto *toolBar = w ? w->findChild<QToolBar *>() : nullptr)
                    if (QAction *a = workbench.commandAction(QStringLiteral("deploy.deploy")))
                        toolBar->addAction(a);
                return w;
            });
    }
}

} // namespace mlwb
