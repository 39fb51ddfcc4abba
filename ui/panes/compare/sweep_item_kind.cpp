// SPDX-License-Identifier: MIT
#include "panes/compare/sweep_item_kind.h"

#include "eval/metric_direction.h"
#include "models/item_kind_registry.h"
#include "panes/compare/compare_view.h"
#include "store/project.h"
#include "store/sweep_repository.h"
#include "train/sweep_spec.h"
#include "common/format.h"
#include "widgets/icons.h"
#include "widgets/translate.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>

#include <cmath>

namespace mlwb {

namespace {

using text::tr;

Result<ItemDescription> describeSweep(Project &project, qint64 id)
{
    SweepRepository sweeps(project.db());
    auto sweep = sweeps.get(id);
    if (!sweep)
        return sweep.failure();
    auto runs = sweeps.runs(id);
    if (!runs)
        return runs.failure();
    ItemDescription out{sweep->name, tr("Sweep"), {}};
    const QString g = tr("General");
    const QJsonObject spec = sweep->spec;
    const QString metric = spec.value(QStringLiteral("metric")).toString();
    out.properties << ItemProperty::fact(g, tr("Name"), sweep->name) << ItemProperty::fact(g, tr("Type"), tr("Hyperparameter sweep"))
                   << ItemProperty::fact(g, tr("Model"), sweep->modelName)
                   << ItemProperty::fact(g, tr("Strategy"), sweep->strategy)
                   << ItemProperty::fact(g, tr("Created"), Format::dateTime(sweep->createdAt))
                   << ItemProperty::fact(g, tr("Runs"), QString::number(runs->size()));
    if (!metric.isEmpty())
        out.properties << ItemProperty::fact(g, tr("Metric"), metric);
    const QString p = tr("Searched parameters");
    for (const QJsonValue &v : spec.value(QStringLiteral("parameters")).toArray()) {
        const QJsonObject param = v.toObject();
        const QString key = param.value(QStringLiteral("key")).toString();
        // The CLI's form without the key: "0.001,0.01" or "log:0.0001:0.1".
        auto parsed = SweepParameter::fromJson(param);
        const QString text = parsed ? parsed->toText().section(u'=', 1)
                                    : QString::fromUtf8(QJsonDocument(param).toJson(QJsonDocument::Compact));
        out.properties << ItemProperty::fact(p, key, text);
    }
    // The best finished run by the sweep's metric, in the metric's direction.
    const RunRecord *best = nullptr;
    double bestValue = std::nan("");
    for (const RunRecord &r : std::as_const(*runs)) {
        const QJsonValue v = r.summary.value(metric);
        if (r.status != RunStatus::Finished || !v.isDouble())
            continue;
        if (!best || isImprovement(metric, v.toDouble(), bestValue)) {
            best = &r;
            bestValue = v.toDouble();
        }
    }
    if (best) {
        const QString b = tr("Best run");
        out.properties << ItemProperty::fact(b, tr("Run"), Format::runName(best->name, best->id))
                       << ItemProperty::fact(b, metric, Format::metric(bestValue));
    }
    return out;
}

} // namespace

void SweepItemKind::registerKind(ItemKindRegistry &registry)
{
    ItemKindRegistry::Kind sweep;
    sweep.typeName = tr("Sweep");
    sweep.table = QStringLiteral("sweep");
    sweep.icon = Icons::themed(QStringLiteral("view-statistics"));
    sweep.describe = describeSweep;
    sweep.document = [](Project &project, const ItemRef &ref, QWidget *parent) -> QWidget * {
        QList<qint64> ids;
        if (auto runs = SweepRepository(project.db()).runs(ref.id)) {
            for (const RunRecord &r : std::as_const(*runs))
                ids << r.id;
        }
        if (ids.isEmpty()) {
            auto *empty = new QLabel(tr("This sweep has no runs yet. Its trials appear here as "
                                        "they are queued."),
                                     parent);
            empty->setAlignment(Qt::AlignCenter);
            return empty;
        }
        auto *view = new CompareView(project, ids, parent);
        // The sweep's tab judges its trials by the sweep's metric; without one, by the metric
        // the sweep runner chose (validation accuracy where there is one, else validation loss).
        QString metric;
        if (auto sweep = SweepRepository(project.db()).get(ref.id))
            metric = sweep->spec.value(QStringLiteral("metric")).toString();
        if (metric.isEmpty())
            metric = view->comparison().metricKeys().contains(QStringLiteral("val_accuracy"))
                         ? QStringLiteral("val_accuracy")
                         : QStringLiteral("val_loss");
        view->setFocusMetric(metric);
        return view;
    };
    sweep.changes = {Aggregate::Sweep, Aggregate::Run, Aggregate::Metrics};
    sweep.lookup = [](Project &project, const QString &name) -> Result<qint64> {
        auto sweeps = SweepRepository(project.db()).list();
        if (!sweeps)
            return sweeps.failure();
        for (const SweepRecord &sw : std::as_const(*sweeps))
            if (sw.name == name)
                return sw.id;
        return notFound(QStringLiteral("no sweep named \"%1\"").arg(name));
    };
    registry.registerKind(ItemKind::Sweep, sweep);
}

} // namespace mlwb
