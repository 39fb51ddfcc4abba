// SPDX-License-Identifier: MIT
#include "panes/run/run_feature.h"

#include "common/format.h"
#include "mainwindow/workbench_context.h"
#include "models/item_kind_registry.h"
#include "panes/run/run_pane.h"
#include "panes/train/train_commands.h"
#include "store/project.h"
#include "widgets/hyperparameter_text.h"
#include "widgets/icons.h"
#include "widgets/translate.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

namespace mlwb {

namespace {

using text::tr;

Result<ItemDescription> describeRun(Project &project, qint64 id)
{
    auto r = project.runs().get(id);
    if (!r)
        return r.failure();
    const QString name = Format::runName(r->name, r->id);
    ItemDescription out{name, tr("Run"), {}, Icons::runStatus(r->status)};
    const QString g = tr("General");
    out.properties << ItemProperty::name(name);
    if (r->tracked) // logged by a script through the tracking endpoint (issue #15)
        out.properties << ItemProperty::fact(g, tr("Type"), tr("Run logged by a script"))
                       << ItemProperty::fact(g, tr("Experiment"), r->experimentName)
                       << ItemProperty::fact(g, tr("Logged by"), r->user)
                       << ItemProperty::fact(g, tr("Last written"), Format::dateTime(r->heartbeatAt));
    else
        out.properties << ItemProperty::fact(g, tr("Type"), tr("Training run"))
                       << ItemProperty::fact(g, tr("Model"), tr("%1, version %2").arg(r->modelName).arg(r->modelVersion));
    out.properties << ItemProperty::fact(g, tr("Data set"), ItemProperty::datasetName(project, r->datasetId))
                   << ItemProperty::fact(g, tr("Status"), runStatusName(r->status), r->message)
                   << ItemProperty::fact(g, tr("Created"), Format::dateTime(r->createdAt));
    if (r->startedAt.isValid())
        out.properties << ItemProperty::fact(g, tr("Started"), Format::dateTime(r->startedAt));
    if (r->finishedAt.isValid()) {
        out.properties << ItemProperty::fact(g, tr("Finished"), Format::dateTime(r->finishedAt));
        if (r->startedAt.isValid())
            out.properties << ItemProperty::fact(
                g, tr("Duration"),
                Format::duration(double(r->startedAt.msecsTo(r->finishedAt)) / 1000.0));
    }
    if (!r->message.isEmpty())
        out.properties << ItemProperty::fact(g, tr("Message"), r->message, r->message);
    const QString hp = tr("Hyperparameters");
    auto dataset = project.datasets().get(r->datasetId);
    const std::optional<TaskKind> task =
        HyperparameterText::taskOf(r->summary, dataset ? dataset->schemaJson : QByteArray());
    for (auto it = r->hyperparams.constBegin(); it != r->hyperparams.constEnd(); ++it) {
        const std::optional<QString> byTask = HyperparameterText::byTask(it.key(), it.value(), task);
        out.properties << ItemProperty::fact(hp, it.key(), byTask ? *byTask : ItemProperty::jsonText(it.value()));
    }
    const QString sm = tr("Summary");
    for (auto it = r->summary.constBegin(); it != r->summary.constEnd(); ++it)
        out.properties << ItemProperty::fact(sm, it.key(), ItemProperty::jsonText(it.value()));
    if (auto latest = project.metrics().latest({id})) {
        const QString lm = tr("Latest metrics");
        for (const LatestMetric &l : std::as_const(*latest))
            out.properties << ItemProperty::fact(lm, l.key, Format::metric(l.value), tr("step %1").arg(l.step));
    }
    return out;
}

} // namespace

void RunFeature::install(WorkbenchContext &workbench)
{
    TrainCommands *trainCommands = TrainCommands::install(workbench);

    ItemKindRegistry::Kind run;
    run.typeName = tr("Run");
    run.table = QStringLiteral("run");
    run.icon = Icons::runStatus(RunStatus::Finished);
    run.describe = describeRun;
    run.rename = [](Project &p, qint64 id, const QString &name) { return p.runs().rename(id, name); };
    run.storedName = [](Project &p, qint64 id) -> Result<QString> {
        auto r = p.runs().get(id);
        if (!r)
            return r.failure();
        return r->name;
    };
    run.remove = [](Project &p, qint64 id) -> Status {
        auto r = p.runs().get(id);
        if (!r)
            return r.failure();
        if (r->status == RunStatus::Running)
            return fail(tr("Run \u201c%1\u201d is in progress; stop it before deleting it.")
                            .arg(Format::runName(r->name, r->id)));
        return p.runs().remove(id);
    };
    run.document = [&workbench, trainCommands = QPointer<TrainCommands>(trainCommands)](
                       Project &project, const ItemRef &ref, QWidget *parent) -> QWidget * {
        auto *pane = new RunPane(project, ref.id, parent);
        RunJobControl control;
        control.jobs = workbench.jobManager();
        control.jobOfRun = [trainCommands](qint64 runId) {
            return trainCommands ? trainCommands->jobOfRun(runId) : 0;
        };
        control.stop = [&workbench](qint64 runId) {
            workbench.runCommand(QStringLiteral("train.stop"), {{ItemKind::Run, runId}});
        };
        control.resume = [&workbench](qint64 runId) {
            workbench.runCommand(QStringLiteral("train.resume"), {{ItemKind::Run, runId}});
        };
        pane->setJobControl(control);
        return pane;
    };
    run.changes = {Aggregate::Run, Aggregate::Metrics, Aggregate::Evaluation, Aggregate::Model,
                   Aggregate::Dataset};
    run.lookup = [](Project &p, const QString &number) -> Result<qint64> {
        bool ok = false;
        const qint64 id = number.toLongLong(&ok);
        if (!ok)
            return invalidInput(QStringLiteral("\"%1\" is not a run number").arg(number));
        auto r = p.runs().get(id);
        if (!r)
            return r.failure();
        return r->id;
    };
    workbench.itemKinds().registerKind(ItemKind::Run, run);
}

} // namespace mlwb
