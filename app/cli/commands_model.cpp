// SPDX-License-Identifier: MIT
// Model development verbs: dataset import/list, model create/import/export, train, eval, runs.

#include "cli_context.h"
#include "metric_report.h"
#include "text_table.h"

#include "common/json_number.h"
#include "progress_runner.h"

#include "data/column_info.h"
#include "data/csv_importer.h"
#include "eval/scored_rows.h"
#include "model/model_spec.h"
#include "model/shape_inference.h"
#include "store/dataset_repository.h"
#include "store/metric_reader.h"
#include "store/model_repository.h"
#include "store/project_file.h"
#include "store/run_repository.h"
#include "data/dataset_catalog.h"
#include "model/model_catalog.h"
#include "inference/run_evaluator.h"
#include "train/training_session.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <optional>

namespace mlwb::cli {

namespace {

QJsonObject flatMetrics(const QJsonObject &report)
{
    return report.value(QStringLiteral("metrics")).toObject();
}


// --- dataset import ---------------------------------------------------------------------

int datasetImport(const Verb &verb, const Args &a)
{
    if (a.positional.size() != 2)
        return usageError(verb, QStringLiteral("expected FILE and data.csv"));
    ImportOptions options;
    options.target = a.value(QStringLiteral("target"));
    if (a.has(QStringLiteral("delimiter"))) {
        QString d = a.value(QStringLiteral("delimiter"));
        if (d == u"tab" || d == u"\\t")
            d = QStringLiteral("\t");
        if (d.size() != 1)
            return usageError(verb, QStringLiteral("--delimiter takes one character or \"tab\""));
        options.delimiter = d.at(0);
    }
    if (a.has(QStringLiteral("no-header")))
        options.header = 0;
    if (a.has(QStringLiteral("missing"))) {
        QString m = a.value(QStringLiteral("missing"));
        if (m == u"drop")
            m = QStringLiteral("drop-row");
        else if (!m.startsWith(u"impute-") && m != u"drop-row")
            m = QStringLiteral("impute-") + m;
        auto policy = missingPolicyFromName(m);
        if (!policy)
            return usageError(verb, QStringLiteral("--missing: drop, mean, median or mode"));
        options.missing = *policy;
    }
    if (a.has(QStringLiteral("task"))) {
        auto task = taskKindFromName(a.value(QStringLiteral("task")));
        if (!task)
            return usageError(verb, QStringLiteral("--task: classification or regression"));
        options.task = *task;
    }
    if (a.has(QStringLiteral("image"))) {
        const QStringList parts = a.value(QStringLiteral("image")).toLower().split(u'x');
        bool ok = parts.size() == 3;
        std::array<int, 3> shape{};
        for (int i = 0; ok && i < 3; ++i)
            shape[size_t(i)] = parts[i].toInt(&ok);
        if (!ok)
            return usageError(verb, QStringLiteral("--image takes CxHxW, e.g. 1x8x8"));
        options.imageShape = shape;
    }
    for (const QString &spec : a.values(QStringLiteral("type"))) {
        const auto col = spec.section(u'=', 0, 0);
        const auto type = columnTypeFromName(spec.section(u'=', 1));
        if (col.isEmpty() || !type)
            return usageError(verb, QStringLiteral("--type takes COLUMN=numeric|categorical|boolean"));
        options.typeOverrides.insert(col, *type);
    }
    SplitSpec split;
    if (a.has(QStringLiteral("split"))) {
        const QStringList f = a.value(QStringLiteral("split")).split(u',');
        if (f.size() < 2)
            return usageError(verb, QStringLiteral("--split takes TRAIN,VALIDATION fractions, e.g. 0.7,0.15"));
        split.trainFraction = f[0].toDouble();
        split.validationFraction = f[1].toDouble();
    }
    if (a.has(QStringLiteral("seed")))
        split.seed = a.value(QStringLiteral("seed")).toULongLong();
    const bool json = a.has(QStringLiteral("json"));
    // The import runs on this thread; its progress in the same form as training's.
    std::optional<ProgressLine> progress;
    QElapsedTimer clock;
    if (!json) {
        progress.emplace(stderr, ProgressLine::isTerminal(stderr));
        clock.start();
        options.progress = [&](double f) {
            progress->update(progressText(QStringLiteral("import"), f, {}, clock.elapsed()), f, clock.elapsed());
            return true;
        };
    }

    auto project = openProject(a.positional[0], QStringLiteral("mlwb dataset import"));
    if (!project)
        return Failure;
    const QString csv = a.positional[1];
    const QString name = a.value(QStringLiteral("name"), QFileInfo(csv).completeBaseName());
    DatasetCatalog catalog(project->db());
    auto id = catalog.importCsv(csv, name, options, split);
    progress.reset();
    if (!id)
        return failure(id.failure());
    auto loaded = catalog.load(*id);
    if (!loaded)
        return failure(loaded.failure());
    const auto counts = DatasetSplit::counts(loaded->split);
    const auto &d = loaded->data;
    if (json) {
        QJsonArray classes;
        for (const QString &c : d.classNames)
            classes.append(c);
        printJson({{QStringLiteral("id"), *id},
                   {QStringLiteral("name"), name},
                   {QStringLiteral("rows"), d.table.rowCount()},
                   {QStringLiteral("columns"), d.table.columnCount()},
                   {QStringLiteral("target"), d.targetName()},
                   {QStringLiteral("task"), taskKindName(d.task)},
                   {QStringLiteral("classes"), classes},
                   {QStringLiteral("dropped_rows"), d.droppedRows},
                   {QStringLiteral("sha256"), d.sha256},
                   {QStringLiteral("split"),
                    QJsonObject{{QStringLiteral("train"), counts[0]},
                                {QStringLiteral("validation"), counts[1]},
                                {QStringLiteral("test"), counts[2]}}}});
    } else {
        out() << "imported " << name << " (id " << *id << "): " << d.table.rowCount() << " rows, "
              << d.table.columnCount() << " columns, target " << d.targetName() << " ("
              << taskKindName(d.task);
        if (d.task == TaskKind::Classification)
            out() << ", " << d.classNames.size() << " classes";
        out() << ")\n  split train/validation/test: " << counts[0] << "/" << counts[1] << "/"
              << counts[2] << "\n  sha256 " << d.sha256 << Qt::endl;
    }
    return Ok;
}

int datasetList(const Verb &verb, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(verb, QStringLiteral("expected FILE"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb dataset list"), true);
    if (!project)
        return Failure;
    auto list = DatasetRepository(project->db()).list();
    if (!list)
        return failure(list.failure());
    if (a.has(QStringLiteral("json"))) {
        QJsonArray arr;
        for (const auto &d : *list)
            arr.append(d.toJson());
        printJson({{QStringLiteral("datasets"), arr}});
        return Ok;
    }
    using Align = TextTable::Align;
    TextTable table({{QStringLiteral("id"), Align::Right},
                     {QStringLiteral("name")},
                     {QStringLiteral("rows"), Align::Right},
                     {QStringLiteral("columns"), Align::Right},
                     {QStringLiteral("sha256")}});
    for (const auto &d : *list)
        table.addRow({QString::number(d.id), d.name, QString::number(d.rowCount), QString::number(d.columnCount),
                      d.contentHash.left(12)});
    out() << table.text();
    out().flush();
    return Ok;
}

int datasetSplit(const Verb &verb, const Args &a)
{
    if (a.positional.size() != 1 || !a.has(QStringLiteral("name")) || !a.has(QStringLiteral("split")))
        return usageError(verb, QStringLiteral("expected FILE, --name NAME and --split TRAIN,VAL"));
    const QStringList f = a.value(QStringLiteral("split")).split(u',');
    bool okTrain = false, okVal = false;
    SplitSpec split;
    if (f.size() == 2) {
        split.trainFraction = f[0].toDouble(&okTrain);
        split.validationFraction = f[1].toDouble(&okVal);
    }
    if (!okTrain || !okVal)
        return usageError(verb, QStringLiteral("--split takes TRAIN,VALIDATION fractions, e.g. 0.7,0.15"));
    if (a.has(QStringLiteral("seed"))) {
        bool ok = false;
        split.seed = a.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok)
            return usageError(verb, QStringLiteral("--seed takes a non-negative integer"));
    }
    if (auto s = split.validate(); !s)
        return usageError(verb, s.error());

    auto project = openProject(a.positional[0], QStringLiteral("mlwb dataset split"));
    if (!project)
        return Failure;
    const QString name = a.value(QStringLiteral("name"));
    auto record = DatasetRepository(project->db()).byName(name);
    if (!record)
        return failure(record.failure());
    DatasetCatalog catalog(project->db());
    if (auto s = catalog.resplit(record->id, split); !s)
        return failure(s.failure());
    auto loaded = catalog.load(record->id);
    if (!loaded)
        return failure(loaded.failure());
    const auto counts = DatasetSplit::counts(loaded->split);
    if (a.has(QStringLiteral("json"))) {
        printJson({{QStringLiteral("id"), record->id},
                   {QStringLiteral("name"), name},
                   {QStringLiteral("seed"), QString::number(split.seed)},
                   {QStringLiteral("split"),
                    QJsonObject{{QStringLiteral("train"), counts[0]},
                                {QStringLiteral("validation"), counts[1]},
                                {QStringLiteral("test"), counts[2]}}}});
    } else {
        out() << "split " << name << " train/validation/test: " << counts[0] << "/" << counts[1]
              << "/" << counts[2] << " (seed " << split.seed << ")" << Qt::endl;
    }
    return Ok;
}

// --- models -----------------------------------------------------------------------------

int printModel(ProjectFile &project, qint64 id, bool json)
{
    ModelRepository models(project.db());
    auto m = models.get(id);
    auto v = models.latestVersion(id);
    if (!m || !v)
        return failure(m ? v.error() : m.error());
    QJsonObject o = m->toJson();
    o.insert(QStringLiteral("version"), v->version);
    QString table;
    if (!v->specJson.isEmpty()) {
        if (auto spec = ModelSpec::fromJson(v->specJson)) {
            const ShapeReport report = ShapeInference::infer(*spec);
            o.insert(QStringLiteral("parameters"), report.totalParameters);
            o.insert(QStringLiteral("spec"), QJsonDocument::fromJson(v->specJson).object());
            table = ShapeInference::summary(report);
        }
    }
    if (json) {
        printJson(o);
    } else {
        out() << "created model " << m->name << " (id " << id << ", " << modelKindName(m->kind) << ", version "
              << v->version << ")\n" << table << Qt::endl;
    }
    return Ok;
}

int modelCreate(const Verb &verb, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(verb, QStringLiteral("expected FILE"));
    const QString name = a.value(QStringLiteral("name"));
    const QString dataset = a.value(QStringLiteral("dataset"));
    if (name.isEmpty() || dataset.isEmpty())
        return usageError(verb, QStringLiteral("--name and --dataset are required"));
    if (a.has(QStringLiteral("template")) == a.has(QStringLiteral("spec")))
        return usageError(verb, QStringLiteral("give either --template or --spec"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb model create"));
    if (!project)
        return Failure;
    ModelCatalog catalog(project->db());
    Result<qint64> id = Error{QString()};
    if (a.has(QStringLiteral("template"))) {
        id = catalog.createFromTemplate(name, dataset, a.value(QStringLiteral("template")));
    } else {
        QFile f(a.value(QStringLiteral("spec")));
        if (!f.open(QIODevice::ReadOnly))
            return failure(QStringLiteral("%1: cannot read: %2").arg(f.fileName(), f.errorString()));
        id = catalog.createFromSpec(name, dataset, f.readAll());
        if (!id)
            return failure(QStringLiteral("%1: %2").arg(f.fileName(), id.error()));
    }
    if (!id)
        return failure(id.failure());
    return printModel(*project, *id, a.has(QStringLiteral("json")));
}

Result<qint64> parseRun(const Args &a);

// A TorchScript file, or (issue #15) the TorchScript artifact a script logged to a tracked run:
// mlwb model import FILE --run RUN --artifact PATH. The run form names the model after the run
// and takes the data set the run logged (log-inputs) when the project has one of that name.
int modelImport(const Verb &verb, const Args &a)
{
    const bool fromRun = a.has(QStringLiteral("run")) || a.has(QStringLiteral("artifact"));
    if (fromRun ? a.positional.size() != 1 : a.positional.size() != 2)
        return usageError(verb, fromRun ? QStringLiteral("expected FILE (the model comes from --run RUN --artifact PATH)")
                                        : QStringLiteral("expected FILE and model.pt, or FILE --run RUN --artifact PATH"));
    QString name = a.value(QStringLiteral("name"));
    QString dataset = a.value(QStringLiteral("dataset"));
    if (!fromRun) {
        if (name.isEmpty() || dataset.isEmpty())
            return usageError(verb, QStringLiteral("--name and --dataset are required"));
        auto project = openProject(a.positional[0], QStringLiteral("mlwb model import"));
        if (!project)
            return Failure;
        auto id = ModelCatalog(project->db()).importTorchScript(name, dataset, a.positional[1]);
        if (!id)
            return failure(id.failure());
        return printModel(*project, *id, a.has(QStringLiteral("json")));
    }
    auto run = parseRun(a);
    if (!run)
        return usageError(verb, run.error());
    const QString artifact = a.value(QStringLiteral("artifact"));
    if (artifact.isEmpty())
        return usageError(verb, QStringLiteral("--artifact PATH names the run's TorchScript file (see the run's artifacts)"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb model import"));
    if (!project)
        return Failure;
    RunRepository runs(project->db());
    auto record = runs.get(*run);
    if (!record)
        return failure(record.failure());
    auto bytes = runs.artifact(*run, artifact);
    if (!bytes) {
        QStringList names;
        if (auto all = runs.artifacts(*run))
            for (const ArtifactInfo &i : std::as_const(*all))
                names << i.name;
        return failure(bytes.failure().reworded(QStringLiteral("run %1 has no artifact %2 (it has: %3)")
                                                    .arg(*run)
                                                    .arg(artifact, names.isEmpty() ? QStringLiteral("none") : names.join(QLatin1String(", ")))));
    }
    if (name.isEmpty())
        name = record->name.isEmpty() ? QStringLiteral("run-%1").arg(*run) : record->name;
    if (dataset.isEmpty()) {
        for (const QJsonValue &input : std::as_const(record->inputs)) {
            const QString logged = input.toObject().value(QLatin1String("dataset")).toObject().value(QLatin1String("name")).toString();
            if (!logged.isEmpty() && DatasetRepository(project->db()).byName(logged).ok()) {
                dataset = logged;
                break;
            }
        }
        if (dataset.isEmpty())
            return usageError(verb, QStringLiteral("--dataset NAME: run %1 logged no data set this project holds, so name the one the model "
                                                   "takes (see mlwb dataset list FILE)")
                                        .arg(*run));
    }
    auto id = ModelCatalog(project->db()).importTorchScriptBytes(name, dataset, *bytes, QStringLiteral("run %1 artifact %2").arg(*run).arg(artifact));
    if (!id)
        return failure(id.failure());
    return printModel(*project, *id, a.has(QStringLiteral("json")));
}

Result<qint64> parseRun(const Args &a)
{
    bool ok = false;
    const qint64 run = a.value(QStringLiteral("run")).toLongLong(&ok);
    if (!ok || run <= 0)
        return fail(QStringLiteral("--run takes a run id (see mlwb runs FILE)"));
    return run;
}

int modelExport(const Verb &verb, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(verb, QStringLiteral("expected FILE"));
    auto run = parseRun(a);
    if (!run)
        return usageError(verb, run.error());
    const QString target = a.value(QStringLiteral("o"), a.value(QStringLiteral("output")));
    if (target.isEmpty())
        return usageError(verb, QStringLiteral("-o model.pt is required"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb model export"), true);
    if (!project)
        return Failure;
    auto bytes = RunEvaluator(project->db()).trainedModel(*run);
    if (!bytes)
        return failure(bytes.failure());
    QFile f(target);
    if (!f.open(QIODevice::WriteOnly) || f.write(*bytes) != bytes->size())
        return failure(QStringLiteral("%1: cannot write: %2").arg(target, f.errorString()));
    f.close();
    if (a.has(QStringLiteral("json")))
        printJson({{QStringLiteral("run"), *run}, {QStringLiteral("file"), target},
                   {QStringLiteral("bytes"), bytes->size()}});
    else
        out() << "wrote " << target << " (" << bytes->size() << " bytes, TorchScript; "
              << "preprocessing in mlwb/preprocessing.json)" << Qt::endl;
    return Ok;
}

// --- train / eval / runs ------------------------------------------------------------------

int train(const Verb &verb, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(verb, QStringLiteral("expected FILE"));
    TrainRequest request;
    request.modelName = a.value(QStringLiteral("model"));
    request.datasetName = a.value(QStringLiteral("dataset"));
    request.runName = a.value(QStringLiteral("name"));
    if (a.has(QStringLiteral("resume"))) {
        request.resumeRunId = a.value(QStringLiteral("resume")).toLongLong();
        if (request.resumeRunId <= 0)
            return usageError(verb, QStringLiteral("--resume takes a run id"));
        if (a.has(QStringLiteral("version")))
            return usageError(verb, QStringLiteral("--version goes with --model; a resumed run keeps "
                                                   "the version it started with"));
    } else if (request.modelName.isEmpty()) {
        return usageError(verb, QStringLiteral("--model is required"));
    }
    if (a.has(QStringLiteral("version"))) {
        bool ok = false;
        request.modelVersion = a.value(QStringLiteral("version")).toInt(&ok);
        if (!ok || request.modelVersion <= 0)
            return usageError(verb, QStringLiteral("--version takes a model version number (1, 2, ...), "
                                                   "got \"%1\"").arg(a.value(QStringLiteral("version"))));
    }
    for (const QString &key : {QStringLiteral("epochs"), QStringLiteral("seed"),
                               QStringLiteral("lr"), QStringLiteral("batch_size"),
                               QStringLiteral("optimizer"), QStringLiteral("threads")}) {
        if (a.has(key)) {
            if (auto s = request.config.set(key, a.value(key)); !s)
                return usageError(verb, s.error());
        }
    }
    for (const QString &kv : a.values(QStringLiteral("set"))) {
        const int eq = int(kv.indexOf(u'='));
        if (eq <= 0)
            return usageError(verb, QStringLiteral("--set takes key=value, got \"%1\"").arg(kv));
        if (auto s = request.config.set(kv.left(eq), kv.mid(eq + 1)); !s)
            return usageError(verb, s.error());
    }
    if (auto s = request.config.validate(); !s)
        return usageError(verb, s.error());

    auto project = openProject(a.positional[0], QStringLiteral("mlwb train"));
    if (!project)
        return Failure;
    request.ownerLease = project->leaseId();
    const bool json = a.has(QStringLiteral("json"));
    auto result = runWithProgress(QStringLiteral("train"), [&](JobFeedback &feedback) {
        return TrainingSession::run(project->path(), request, &feedback, [](qint64 id) {
            ProgressLine::print(QStringLiteral("run %1 started").arg(id));
        });
    });
    if (!result)
        return failure(result.failure());
    const TrainResult &r = *result;
    if (json) {
        QJsonObject metrics;
        for (auto it = r.summary.begin(); it != r.summary.end(); ++it) {
            if (it.value().isDouble() || it.value().isNull())
                metrics.insert(it.key(), it.value());
        }
        printJson({{QStringLiteral("run"), r.runId},
                   {QStringLiteral("status"), runStatusName(r.status)},
                   {QStringLiteral("message"), r.message},
                   {QStringLiteral("metrics"), metrics}});
    } else {
        out() << "run " << r.runId << " " << runStatusName(r.status)
              << (r.message.isEmpty() ? QString() : QStringLiteral(": ") + r.message) << "\n";
        out() << MetricReport::training(r.summary, a.has(QStringLiteral("all")));
        out().flush();
    }
    if (r.status == RunStatus::Interrupted) {
        err() << "resume with: mlwb train " << a.positional[0] << " --resume " << r.runId << Qt::endl;
        if (stopSignal())
            return signalExitCode();
    }
    if (r.status != RunStatus::Finished)
        return Failure;
    return Ok;
}

int eval(const Verb &verb, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(verb, QStringLiteral("expected FILE"));
    auto run = parseRun(a);
    if (!run)
        return usageError(verb, run.error());
    auto project = openProject(a.positional[0], QStringLiteral("mlwb eval"));
    if (!project)
        return Failure;
    const QString split = a.value(QStringLiteral("split"), QStringLiteral("test"));
    const QString predictionsPath = a.value(QStringLiteral("predictions"));
    if (a.has(QStringLiteral("predictions")) && predictionsPath.isEmpty())
        return usageError(verb, QStringLiteral("--predictions takes a file name"));
    ScoredRows scored;
    auto record = RunEvaluator(project->db())
                      .evaluate(*run, a.value(QStringLiteral("dataset")), split,
                                predictionsPath.isEmpty() ? nullptr : &scored);
    if (!record)
        return failure(record.failure());
    if (!predictionsPath.isEmpty()) {
        QFile f(predictionsPath);
        const QByteArray csv = scored.toCsv();
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(csv) != csv.size())
            return failure(QStringLiteral("%1: cannot write: %2").arg(predictionsPath, f.errorString()));
    }
    const QJsonObject metrics = flatMetrics(record->report);
    if (a.has(QStringLiteral("json"))) {
        QJsonObject o = metrics;
        o.insert(QStringLiteral("run"), *run);
        o.insert(QStringLiteral("split"), record->split);
        o.insert(QStringLiteral("n"), record->report.value(QStringLiteral("n")));
        printJson(o);
    } else {
        out() << "run " << *run << " on " << record->split << " ("
              << record->report.value(QStringLiteral("n")).toInteger() << " rows)\n";
        out() << MetricReport::evaluation(metrics,
                                          record->report.value(QStringLiteral("kind")).toString(),
                                          a.has(QStringLiteral("all")))
              << MetricReport::confusionMatrix(record->report);
        out().flush();
    }
    return Ok;
}

int runsList(const Verb &verb, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(verb, QStringLiteral("expected FILE"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb runs"), true);
    if (!project)
        return Failure;
    auto list = RunRepository(project->db()).list();
    if (!list)
        return failure(list.failure());
    if (a.has(QStringLiteral("json"))) {
        QJsonArray arr;
        for (const auto &r : *list) {
            arr.append(r.toJson());
        }
        printJson({{QStringLiteral("runs"), arr}});
        return Ok;
    }
    using Align = TextTable::Align;
    TextTable table({{QStringLiteral("run"), Align::Right},
                     {QStringLiteral("name")},
                     {QStringLiteral("model")},
                     {QStringLiteral("status")},
                     {QStringLiteral("epochs"), Align::Right},
                     {QStringLiteral("sweep"), Align::Right},
                     {QStringLiteral("test metric")}});
    for (const auto &r : *list) {
        QString metric;
        for (const char *k : {"test_accuracy", "test_r2"}) {
            const QString key = QString::fromLatin1(k);
            if (r.summary.contains(key))
                metric = key.mid(5) + QLatin1Char(' ') + fmt(r.summary.value(key).toDouble());
        }
        table.addRow({QString::number(r.id), r.name.isEmpty() ? QStringLiteral("-") : r.name,
                      r.tracked ? QStringLiteral("experiment %1").arg(r.experimentName) : QStringLiteral("%1 v%2").arg(r.modelName).arg(r.modelVersion),
                      runStatusName(r.status),
                      QString::number(r.summary.value(QStringLiteral("epochs_run")).toInt()),
                      r.sweepId ? QString::number(r.sweepId) : QStringLiteral("-"), metric});
    }
    out() << table.text();
    out().flush();
    return Ok;
}

Verb make(const char *name, const char *usage, const char *summary,
          int (*fn)(const Verb &, const Args &), QStringList flags = {QStringLiteral("json")},
          QString details = {})
{
    Verb v{QString::fromLatin1(name), QString::fromLatin1(usage), QString::fromLatin1(summary), {},
           std::move(flags), std::move(details)};
    v.run = [v, fn](const Args &args) { return fn(v, args); };
    return v;
}

} // namespace

QList<Verb> modelVerbs()
{
    return {
        make("dataset import",
             "dataset import FILE data.csv --name NAME --target COLUMN [--image CxHxW] "
             "[--delimiter C|tab] [--no-header] [--missing drop|mean|median|mode] "
             "[--type COLUMN=numeric|categorical|boolean ...] [--task classification|regression] "
             "[--split TRAIN,VAL] [--seed N] [--json]",
             "import a CSV/TSV file as a data set (compressed, hashed, split)", datasetImport,
             {QStringLiteral("json"), QStringLiteral("no-header")}),
        make("dataset list", "dataset list FILE [--json]", "list the data sets", datasetList),
        make("dataset split", "dataset split FILE --name NAME --split TRAIN,VAL [--seed N] [--json]",
             "replace a data set's train/validation/test split (stratified for classification)",
             datasetSplit),
        make("model create",
             "model create FILE --name NAME --dataset NAME (--template mlp|cnn|linear|logistic | "
             "--spec spec.json) [--json]",
             "create a model for a data set from a template or a layer spec", modelCreate),
        make("model import", "model import FILE [model.pt --name NAME --dataset NAME] [--run RUN --artifact PATH [--name NAME] [--dataset NAME]] [--json]",
             "import a TorchScript model made elsewhere (torch.jit.script in Python), or one a script logged to a run as an artifact",
             modelImport),
        make("model export", "model export FILE --run RUN (-o|--output) model.pt [--json]",
             "write a run's trained model as a TorchScript file", modelExport),
        make("train",
             "train FILE (--model NAME [--version N] | --resume RUN) [--dataset NAME] [--epochs N] [--seed N] "
             "[--set key=value ...] [--name RUNNAME] [--lr X] [--batch_size N] [--optimizer NAME] "
             "[--threads N] [--all] [--json]",
             "train a model (its newest version, or --version N), or resume an interrupted run; "
             "prints the loss and the task's main metrics per split, --all every metric and the "
             "training facts (epochs, parameters, throughput); the keys --set takes are listed below",
             train, {QStringLiteral("json"), QStringLiteral("all")}, hyperparameterHelp()),
        make("eval",
             "eval FILE --run RUN [--dataset NAME] [--split test|validation|train|all] "
             "[--predictions rows.csv] [--all] [--json]",
             "evaluate a run's model on a data set split and store the report; prints the loss "
             "and the task's main metrics (--all: every metric) and the confusion matrix; "
             "--predictions also writes each row's label, prediction, probabilities and logits",
             eval, {QStringLiteral("json"), QStringLiteral("all")}),
        make("runs", "runs FILE [--json]", "list runs with status and final metrics", runsList),
    };
}

} // namespace mlwb::cli
