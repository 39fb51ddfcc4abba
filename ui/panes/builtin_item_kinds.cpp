// SPDX-License-Identifier: MIT
#include "panes/builtin_item_kinds.h"

#include "models/item_kind_registry.h"
#include "panes/dataset/dataset_overview.h"
#include "panes/model/model_overview.h"
#include "panes/run/run_overview.h"
#include "store/project.h"
#include "common/format.h"
#include "widgets/icons.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace mlwb {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("mlwb", text);
}

QString jsonText(const QJsonValue &v)
{
    if (v.isDouble())
        return Format::metric(v.toDouble());
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? tr("yes") : tr("no");
    if (v.isNull() || v.isUndefined())
        return QStringLiteral("\u2013");
    return QString::fromUtf8(v.isArray()
                                 ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                 : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
}

ItemProperty nameProperty(const QString &name)
{
    return ItemProperty{tr("General"), QStringLiteral("name"), tr("Name"), name, {}, true};
}

Result<QString> datasetName(Project &project, qint64 id)
{
    if (id <= 0)
        return QStringLiteral("\u2013");
    auto d = project.datasets().get(id);
    if (!d)
        return QStringLiteral("\u2013");
    return d->name;
}

Result<ItemDescription> describeDataset(Project &project, qint64 id)
{
    auto d = project.datasets().get(id);
    if (!d)
        return d.failure();
    ItemDescription out{d->name, tr("Dataset"), {}};
    const QString g = tr("General");
    out.properties << nameProperty(d->name) << ItemProperty::fact(g, tr("Type"), tr("Dataset"))
                   << ItemProperty::fact(g, tr("Created"), Format::dateTime(d->createdAt))
                   << ItemProperty::fact(g, tr("Rows"), QString::number(d->rowCount))
                   << ItemProperty::fact(g, tr("Columns"), QString::number(d->columnCount))
                   << ItemProperty::fact(g, tr("Content hash"), Format::shortHash(d->contentHash),
                           tr("SHA-256 of the imported file: %1").arg(d->contentHash))
                   << ItemProperty::fact(g, tr("Source"), d->sourcePath, d->sourcePath);
    const QJsonObject schema = QJsonDocument::fromJson(d->schemaJson).object();
    const QString s = tr("Schema");
    if (schema.contains(QStringLiteral("task")))
        out.properties << ItemProperty::fact(s, tr("Task"), schema.value(QStringLiteral("task")).toString());
    if (schema.contains(QStringLiteral("target")))
        out.properties << ItemProperty::fact(s, tr("Target"), schema.value(QStringLiteral("target")).toString());
    const QJsonArray classes = schema.value(QStringLiteral("classNames")).toArray();
    if (!classes.isEmpty()) {
        QStringList names;
        for (const QJsonValue &c : classes)
            names << c.toString();
        out.properties << ItemProperty::fact(s, tr("Classes"), QString::number(names.size()),
                               names.join(QStringLiteral(", ")));
    }
    return out;
}

Result<ItemDescription> describeModel(Project &project, qint64 id)
{
    auto m = project.models().get(id);
    if (!m)
        return m.failure();
    auto versions = project.models().versions(id);
    auto runs = project.runs().list(id);
    ItemDescription out{m->name, tr("Model"), {}};
    const QString g = tr("General");
    out.properties << nameProperty(m->name)
                   << ItemProperty::fact(g, tr("Type"),
                           m->kind == QLatin1String("torchscript")
                               ? tr("Model (imported TorchScript)")
                               : tr("Model (layer spec)"))
                   << ItemProperty::fact(g, tr("Created"), Format::dateTime(m->createdAt))
                   << ItemProperty::fact(g, tr("Dataset"), datasetName(project, m->datasetId).value());
    if (!m->description.isEmpty())
        out.properties << ItemProperty::fact(g, tr("Description"), m->description, m->description);
    if (versions)
        out.properties << ItemProperty::fact(g, tr("Versions"), QString::number(versions->size()));
    if (runs)
        out.properties << ItemProperty::fact(g, tr("Runs"), QString::number(runs->size()));
    return out;
}

Result<ItemDescription> describeRun(Project &project, qint64 id)
{
    auto r = project.runs().get(id);
    if (!r)
        return r.failure();
    const QString name = Format::runName(r->name, r->id);
    ItemDescription out{name, tr("Run"), {}};
    const QString g = tr("General");
    out.properties << nameProperty(name) << ItemProperty::fact(g, tr("Type"), tr("Training run"))
                   << ItemProperty::fact(g, tr("Model"),
                           tr("%1, version %2").arg(r->modelName).arg(r->modelVersion))
                   << ItemProperty::fact(g, tr("Dataset"), datasetName(project, r->datasetId).value())
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
    for (auto it = r->hyperparams.constBegin(); it != r->hyperparams.constEnd(); ++it)
        out.properties << ItemProperty::fact(hp, it.key(), jsonText(it.value()));
    const QString sm = tr("Summary");
    for (auto it = r->summary.constBegin(); it != r->summary.constEnd(); ++it)
        out.properties << ItemProperty::fact(sm, it.key(), jsonText(it.value()));
    if (auto latest = project.metrics().latest({id})) {
        const QString lm = tr("Latest metrics");
        for (const LatestMetric &l : std::as_const(*latest))
            out.properties << ItemProperty::fact(lm, l.key, Format::metric(l.value), tr("step %1").arg(l.step));
    }
    return out;
}

} // namespace

void BuiltinItemKinds::registerAll(ItemKindRegistry &registry)
{
    ItemKindRegistry::Kind dataset;
    dataset.typeName = tr("Dataset");
    dataset.table = QStringLiteral("dataset");
    dataset.icon = Icons::themed(QStringLiteral("table"));
    dataset.describe = describeDataset;
    dataset.rename = [](Project &p, qint64 id, const QString &name) {
        return p.datasets().rename(id, name);
    };
    dataset.remove = [](Project &p, qint64 id) { return p.datasets().remove(id); };
    dataset.document = [](Project &p, const ItemRef &ref, QWidget *parent) -> QWidget * {
        return new DatasetOverview(p, ref.id, parent);
    };
    registry.registerKind(ItemKind::Dataset, dataset);

    ItemKindRegistry::Kind model;
    model.typeName = tr("Model");
    model.table = QStringLiteral("model");
    model.icon = Icons::themed(QStringLiteral("code-class"));
    model.describe = describeModel;
    model.rename = [](Project &p, qint64 id, const QString &name) {
        return p.models().rename(id, name);
    };
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
    model.document = [](Project &p, const ItemRef &ref, QWidget *parent) -> QWidget * {
        return new ModelOverview(p, ref.id, parent);
    };
    registry.registerKind(ItemKind::Model, model);

    ItemKindRegistry::Kind run;
    run.typeName = tr("Run");
    run.table = QStringLiteral("run");
    run.icon = Icons::runStatus(RunStatus::Finished);
    run.describe = describeRun;
    run.rename = [](Project &p, qint64 id, const QString &name) {
        return p.runs().rename(id, name);
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
    run.document = [](Project &p, const ItemRef &ref, QWidget *parent) -> QWidget * {
        return new RunOverview(p, ref.id, parent);
    };
    registry.registerKind(ItemKind::Run, run);
}

} // namespace mlwb
