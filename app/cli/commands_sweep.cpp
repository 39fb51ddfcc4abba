// SPDX-License-Identifier: MIT
// Hyperparameter sweep verbs: sweep (grid or random search over --param ranges), sweeps.

#include "cli_context.h"
#include "text_table.h"
#include "progress_runner.h"

#include "eval/metric_direction.h"
#include "store/project_file.h"
#include "store/sweep_repository.h"
#include "train/sweep_runner.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace mlwb::cli {

namespace {

QJsonValue metricJson(double v) { return std::isnan(v) ? QJsonValue() : QJsonValue(v); }

QJsonObject paramsJson(const SweepOverrides &params)
{
    QJsonObject o;
    for (auto it = params.begin(); it != params.end(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QString direction(const QString &metric)
{
    return higherIsBetter(metric) ? QStringLiteral("higher is better")
                                  : QStringLiteral("lower is better");
}

void printTrials(const SweepResult &r)
{
    const QStringList keys = r.spec.keys();
    const QList<SweepTrial> ranked = r.ranked();
    out() << "sweep " << r.sweepId << " \"" << r.name << "\": " << r.trials.size() << " trials, "
          << r.spec.strategy << " search, ranked by " << r.metric << " (" << direction(r.metric)
          << ")\n";
    using Align = TextTable::Align;
    QList<TextTable::Column> columns{{QStringLiteral("trial"), Align::Right},
                                     {QStringLiteral("run"), Align::Right},
                                     {QStringLiteral("status")},
                                     {r.metric}};
    for (const QString &k : keys)
        columns << TextTable::Column{k};
    TextTable table(columns);
    for (const SweepTrial &t : ranked) {
        QStringList cells{QString::number(t.index), t.runId ? QString::number(t.runId) : QStringLiteral("-"),
                          runStatusName(t.status), fmt(t.metric)};
        for (const QString &k : keys)
            cells << t.params.value(k);
        table.addRow(cells);
    }
    out() << table.text();
    if (const SweepTrial *best = r.bestTrial())
        out() << "best: run " << best->runId << " (trial " << best->index << ") " << r.metric
              << " " << fmt(best->metric) << "  " << r.spec.describe(best->params) << "\n";
    else if (std::any_of(r.trials.begin(), r.trials.end(),
                         [](const SweepTrial &t) { return t.status == RunStatus::Finished; }))
        out() << "best: none (no finished trial has " << r.metric << ")\n";
    else
        out() << "best: none (no trial finished)\n";
    out().flush();
}

int sweep(const Verb &verb, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(verb, QStringLiteral("expected FILE"));
    SweepRequest request;
    request.modelName = a.value(QStringLiteral("model"));
    request.datasetName = a.value(QStringLiteral("dataset"));
    request.name = a.value(QStringLiteral("name"));
    if (request.modelName.isEmpty())
        return usageError(verb, QStringLiteral("--model is required"));
    const bool grid = a.has(QStringLiteral("grid"));
    if (grid == a.has(QStringLiteral("random")))
        return usageError(verb, QStringLiteral("give either --grid or --random N"));
    SweepSpec &spec = request.spec;
    spec.strategy = grid ? QStringLiteral("grid") : QStringLiteral("random");
    if (!grid) {
        bool ok = false;
        spec.trials = a.value(QStringLiteral("random")).toInt(&ok);
        if (!ok || spec.trials < 1)
            return usageError(verb, QStringLiteral("--random takes a number of trials, got \"%1\"")
                                        .arg(a.value(QStringLiteral("random"))));
    }
    for (const QString &text : a.values(QStringLiteral("param"))) {
        auto p = SweepParameter::parse(text);
        if (!p)
            return usageError(verb, QStringLiteral("--param %1: %2").arg(text, p.error()));
        spec.parameters.push_back(*p);
    }
    spec.metric = a.value(QStringLiteral("metric"));
    if (a.has(QStringLiteral("parallel"))) {
        bool ok = false;
        spec.parallel = a.value(QStringLiteral("parallel")).toInt(&ok);
        if (!ok || spec.parallel < 1)
            return usageError(verb, QStringLiteral("--parallel takes a number of trials at a time, "
                                                   "got \"%1\"")
                                        .arg(a.value(QStringLiteral("parallel"))));
    }
    TrainingConfig &base = request.base;
    for (const QString &key : {QStringLiteral("epochs"), QStringLiteral("seed"),
                               QStringLiteral("threads")}) {
        if (a.has(key)) {
            if (auto s = base.set(key, a.value(key)); !s)
                return usageError(verb, s.error());
        }
    }
    for (const QString &kv : a.values(QStringLiteral("set"))) {
        const int eq = int(kv.indexOf(u'='));
        if (eq <= 0)
            return usageError(verb, QStringLiteral("--set takes key=value, got \"%1\"").arg(kv));
        if (auto s = base.set(kv.left(eq), kv.mid(eq + 1)); !s)
            return usageError(verb, s.error());
    }
    // --seed is the training seed of every trial and the random search's sampling seed.
    spec.seed = base.seed;
    auto trials = spec.expand();
    if (!trials)
        return usageError(verb, trials.error());
    if (auto configs = SweepRunner::trialConfigs(request, *trials); !configs)
        return usageError(verb, configs.error());

    auto project = openProject(a.positional[0], QStringLiteral("mlwb sweep"), false);
    if (!project)
        return Failure;
    request.ownerLease = project->leaseId();
    const bool json = a.has(QStringLiteral("json"));
    auto result = runWithProgress(QStringLiteral("sweep"), [&](JobFeedback &feedback) {
        return SweepRunner::run(project->path(), request, &feedback);
    });
    if (!result)
        return failure(result.failure());
    const SweepResult &r = *result;
    const SweepTrial *best = r.bestTrial();
    if (json) {
        QJsonArray list;
        for (const SweepTrial &t : r.trials)
            list.append(
                QJsonObject{{QStringLiteral("trial"), t.index},
                            {QStringLiteral("run"), t.runId ? QJsonValue(t.runId) : QJsonValue()},
                            {QStringLiteral("status"), runStatusName(t.status)},
                            {QStringLiteral("message"), t.message},
                            {QStringLiteral("params"), paramsJson(t.params)},
                            {QStringLiteral("metric"), metricJson(t.metric)}});
        printJson({{QStringLiteral("sweep"), r.sweepId},
                   {QStringLiteral("name"), r.name},
                   {QStringLiteral("metric"), r.metric},
                   {QStringLiteral("best_run"), best ? QJsonValue(best->runId) : QJsonValue()},
                   {QStringLiteral("best_metric"), best ? metricJson(best->metric) : QJsonValue()},
                   {QStringLiteral("trials"), list}});
    } else {
        printTrials(r);
        for (const SweepTrial &t : r.trials) {
            if (t.status == RunStatus::Failed)
                err() << "trial " << t.index << " failed: " << t.message << "\n";
        }
        err().flush();
    }
    if (r.allFinished())
        return Ok;
    return stopSignal() ? signalExitCode() : Failure;
}

int sweepsList(const Verb &verb, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(verb, QStringLiteral("expected FILE"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb sweeps"), true);
    if (!project)
        return Failure;
    auto list = SweepRepository(project->db()).list();
    if (!list)
        return failure(list.failure());
    QJsonArray arr;
    QStringList lines;
    for (const SweepRecord &s : *list) {
        auto r = SweepRunner::load(project->db(), s.id);
        if (!r)
            return failure(r.failure());
        const SweepTrial *best = r->bestTrial();
        const auto finished =
            std::count_if(r->trials.begin(), r->trials.end(),
                          [](const SweepTrial &t) { return t.status == RunStatus::Finished; });
        QJsonObject o = s.toJson();
        o.insert(QStringLiteral("finished"), qint64(finished));
        o.insert(QStringLiteral("metric"), r->metric);
        o.insert(QStringLiteral("best_run"), best ? QJsonValue(best->runId) : QJsonValue());
        o.insert(QStringLiteral("best_metric"), best ? metricJson(best->metric) : QJsonValue());
        arr.append(o);
        lines << QStringLiteral("%1  %2  %3  %4  %5  %6")
                     .arg(s.id, 5)
                     .arg(s.name, -20)
                     .arg(s.modelName, -12)
                     .arg(s.strategy, -8)
                     .arg(QStringLiteral("%1/%2").arg(finished).arg(s.runCount), 7)
                     .arg(best ? QStringLiteral("run %1 %2 %3")
                                     .arg(best->runId)
                                     .arg(r->metric, fmt(best->metric))
                               : QStringLiteral("-"));
    }
    if (a.has(QStringLiteral("json"))) {
        printJson({{QStringLiteral("sweeps"), arr}});
        return Ok;
    }
    out() << QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                 .arg(QStringLiteral("sweep"), 5)
                 .arg(QStringLiteral("name"), -20)
                 .arg(QStringLiteral("model"), -12)
                 .arg(QStringLiteral("strategy"), -8)
                 .arg(QStringLiteral("done"), 7)
                 .arg(QStringLiteral("best"));
    for (const QString &l : lines)
        out() << l << "\n";
    out().flush();
    return Ok;
}

Verb make(const char *name, const char *usage, const char *summary,
          int (*fn)(const Verb &, const Args &), QStringList flags, QString details = {})
{
    Verb v{QString::fromLatin1(name), QString::fromLatin1(usage), QString::fromLatin1(summary), {},
           std::move(flags), std::move(details)};
    v.run = [v, fn](const Args &args) { return fn(v, args); };
    return v;
}

} // namespace

QList<Verb> sweepVerbs()
{
    return {
        make("sweep",
             "sweep FILE --model NAME [--dataset NAME] (--grid | --random N) --param key=spec ... "
             "[--metric val_accuracy] [--parallel N] [--epochs N] [--seed N] [--set key=value ...] "
             "[--name NAME] [--json]",
             "hyperparameter search; --param lr=0.001,0.01 (list), lr=log:1e-4:1e-1, "
             "momentum=uniform:0.8:0.99 (random only), batch_size=int:16:128",
             sweep, {QStringLiteral("json"), QStringLiteral("grid")}, hyperparameterHelp()),
        make("sweeps", "sweeps FILE [--json]", "list sweeps with their runs and best trial",
             sweepsList, {QStringLiteral("json")}),
    };
}

} // namespace mlwb::cli
