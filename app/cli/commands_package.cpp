// SPDX-License-Identifier: MIT
// mlwb package: sealed model packages (.mlwbpkg). create packages a finished run into the
// project (signed with the user's key), list shows a project's packages and their state, check
// runs the pre-deployment checks (exit 3 when a gate fails), override records a reason to ship
// anyway, sign signs anew, export writes the package file, export-triton a Triton model
// repository, and verify checks a package file on its own (exit 1 when anything is off).

#include "cli_context.h"
#include "progress_line.h"
#include "progress_runner.h"
#include "text_table.h"

#include "checks/check_config.h"
#include "checks/package_check_job.h"
#include "common/semantic_version.h"
#include "inference/loaded_model.h"
#include "inference/torch_runtime.h"
#include "inference/triton_export.h"
#include "jobs/job_feedback.h"
#include "package/key_store.h"
#include "package/package_archive.h"
#include "package/package_builder.h"
#include "package/package_catalog.h"
#include "package/package_seal.h"
#include "package/sealed_package.h"
#include "package/signing_key.h"
#include "store/model_repository.h"
#include "store/package_repository.h"
#include "store/project_file.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <cmath>

namespace mlwb::cli {

namespace {

constexpr int kGateFailed = 3;

Result<QByteArray> readPackageFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return ioError(QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    const PackageArchive::Limits limits;
    if (f.size() > limits.maxTotalBytes)
        return corrupt(QStringLiteral("%1 is %2 bytes; a package is at most %3").arg(QFileInfo(path).fileName()).arg(f.size()).arg(limits.maxTotalBytes));
    const QByteArray bytes = f.readAll();
    if (bytes.size() != f.size())
        return ioError(QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    return bytes;
}

Status writeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
        return ioError(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

// --package NAME:VERSION in a project.
Result<PackageRecord> findPackage(Database &db, const Args &a)
{
    const QString ref = a.value(QStringLiteral("package"));
    const qsizetype colon = ref.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0 || colon == ref.size() - 1)
        return invalidInput(QStringLiteral("--package takes NAME:VERSION (see mlwb package list FILE), got \"%1\"").arg(ref));
    return PackageRepository(db).find(ref.left(colon), ref.mid(colon + 1));
}

QList<PublicKey> trustedOrEmpty(const Args &a, Error *error)
{
    if (const QString dir = a.value(QStringLiteral("trusted-keys")); !dir.isEmpty()) {
        auto keys = KeyStore::readKeyDirectory(dir);
        if (!keys) {
            *error = keys.failure();
            return {};
        }
        return *keys;
    }
    auto keys = KeyStore().trustedKeys();
    if (!keys) {
        *error = keys.failure();
        return {};
    }
    return *keys;
}

QString metricsLine(const QJsonObject &metrics)
{
    QStringList parts;
    for (const char *k : {"accuracy", "f1_macro", "roc_auc", "r2", "rmse", "mae"}) {
        const QString key = QString::fromLatin1(k);
        if (metrics.contains(key))
            parts << QStringLiteral("%1 %2").arg(key, fmt(metrics.value(key).toDouble(std::nan(""))));
    }
    return parts.join(QStringLiteral(", "));
}

int packageVerify(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected pkg.mlwbpkg"));
    const QString path = a.positional[0];
    const QString source = QFileInfo(path).fileName();
    const bool json = a.has(QStringLiteral("json"));
    auto report = [&](const Error &error) {
        if (json)
            printJson({{QStringLiteral("file"), path}, {QStringLiteral("ok"), false},
                       {QStringLiteral("error"), error.message}, {QStringLiteral("kind"), QString::fromLatin1(errorKindName(error.kind))}});
        err() << "mlwb: " << error.message << Qt::endl;
        return int(Failure);
    };
    auto bytes = readPackageFile(path);
    if (!bytes)
        return report(bytes.failure());
    Error keyError;
    const QList<PublicKey> trusted = trustedOrEmpty(a, &keyError);
    if (!keyError.message.isEmpty())
        return report(keyError);
    auto package = SealedPackage::open(*bytes, source, trusted, !a.has(QStringLiteral("allow-unsigned")));
    if (!package)
        return report(package.failure());
    const PackageManifest &m = package->manifest();
    const PackageSeal::Verified &seal = package->seal();
    if (json) {
        QJsonArray entries;
        for (const auto &e : package->archive().entries())
            entries.append(QJsonObject{{QStringLiteral("name"), e.name}, {QStringLiteral("bytes"), qint64(e.data.size())},
                                       {QStringLiteral("sha256"), PackageSeal::sha256Hex(e.data)}});
        printJson({{QStringLiteral("file"), path}, {QStringLiteral("ok"), true},
                   {QStringLiteral("signed"), seal.isSigned}, {QStringLiteral("key_id"), seal.keyId},
                   {QStringLiteral("signer"), seal.signer}, {QStringLiteral("entries"), entries},
                   {QStringLiteral("manifest"), m.toJson()},
                   {QStringLiteral("checks"), package->checks().value(QStringLiteral("status"))}});
        return Ok;
    }
    out() << source << ": " << m.reference() << ", every entry matches hashes.json; "
          << (seal.isSigned ? QStringLiteral("signed by %1 (%2), a trusted key").arg(seal.keyId, seal.signer)
                            : QStringLiteral("not signed"))
          << "\n";
    out() << "  made " << m.created.toString(Qt::ISODate) << " by " << m.author << " from run " << m.lineage.runId
          << " (" << m.lineage.runName << ") of " << m.lineage.modelName << " v" << m.lineage.modelVersion << "\n";
    out() << "  data set " << m.lineage.datasetName << " sha256 " << m.lineage.datasetSha256.left(16) << "; test: "
          << metricsLine(m.lineage.metrics) << "\n";
    out() << "  input " << m.input.name << " FP32 [" << m.input.features.size() << "] raw features; output "
          << m.output.name << " " << m.output.task << " [" << m.output.labels.join(QStringLiteral(", ")) << "]; libtorch "
          << m.libtorchVersion << "\n";
    out() << "  checks: " << package->checks().value(QStringLiteral("status")).toString() << "\n";
    for (const auto &e : package->archive().entries())
        out() << "  " << PackageSeal::sha256Hex(e.data).left(16) << "  " << qSetFieldWidth(10) << e.data.size() << qSetFieldWidth(0)
              << "  " << e.name << "\n";
    out().flush();
    return Ok;
}

int packageCreate(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected FILE"));
    bool ok = false;
    const qint64 run = a.value(QStringLiteral("run")).toLongLong(&ok);
    if (!ok || run <= 0)
        return usageError(v, QStringLiteral("--run takes a run id (see mlwb runs FILE)"));
    PackageBuilder::Request r;
    r.runId = run;
    r.name = a.value(QStringLiteral("name"));
    r.version = a.value(QStringLiteral("version"));
    r.description = a.value(QStringLiteral("description"));
    r.projectName = QFileInfo(a.positional[0]).fileName();
    if (r.name.isEmpty() || r.version.isEmpty())
        return usageError(v, QStringLiteral("--name NAME and --version X.Y.Z are required"));
    if (auto version = SemanticVersion::parse(r.version); !version)
        return usageError(v, QStringLiteral("--version: %1").arg(version.error()));
    const QString output = a.value(QStringLiteral("o"), a.value(QStringLiteral("output")));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb package create"));
    if (!project)
        return Failure;
    PackageCatalog catalog(project->db());
    auto id = catalog.create(r, !a.has(QStringLiteral("unsigned")));
    if (!id)
        return failure(id.failure());
    auto built = catalog.open(*id);
    if (!built)
        return failure(built.failure());
    auto stored = PackageRepository(project->db()).get(*id);
    if (!stored)
        return failure(stored.failure());
    const QByteArray &archive = stored->archive;
    if (!output.isEmpty()) {
        if (auto s = writeFile(output, archive); !s)
            return failure(s.failure());
    }
    const PackageManifest &m = built->manifest();
    const QString keyId = built->seal().keyId;
    if (a.has(QStringLiteral("json"))) {
        printJson({{QStringLiteral("id"), *id}, {QStringLiteral("package"), m.reference()},
                   {QStringLiteral("run"), run}, {QStringLiteral("key_id"), keyId},
                   {QStringLiteral("bytes"), qint64(archive.size())}, {QStringLiteral("file"), output},
                   {QStringLiteral("manifest"), m.toJson()}});
        return Ok;
    }
    out() << "package " << m.reference() << " (id " << *id << ") made from run " << run << ", " << archive.size()
          << " bytes, " << (keyId.isEmpty() ? QStringLiteral("not signed") : QStringLiteral("signed by key %1").arg(keyId))
          << "\n  test: " << metricsLine(m.lineage.metrics) << "\n";
    if (!output.isEmpty())
        out() << "  written to " << output << "\n";
    out() << "  next: mlwb package check " << a.positional[0] << " --package " << m.reference() << "\n";
    out().flush();
    return Ok;
}

QString stateText(const PackageRecord &p)
{
    QString s = packageStateName(p.state);
    if (p.state == PackageState::GateFailed && !p.overrides.isEmpty())
        s += QStringLiteral(" (overridden)");
    return s;
}

int packageList(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected FILE"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb package list"), true);
    if (!project)
        return Failure;
    auto list = PackageRepository(project->db()).list();
    if (!list)
        return failure(list.failure());
    if (a.has(QStringLiteral("json"))) {
        QJsonArray arr;
        for (const PackageRecord &p : *list)
            arr.append(p.toJson());
        printJson({{QStringLiteral("packages"), arr}});
        return Ok;
    }
    using Align = TextTable::Align;
    TextTable table({{QStringLiteral("package")}, {QStringLiteral("version")}, {QStringLiteral("model")},
                     {QStringLiteral("run"), Align::Right}, {QStringLiteral("state")}, {QStringLiteral("signed by")},
                     {QStringLiteral("created")}});
    for (const PackageRecord &p : *list)
        table.addRow({p.name, p.version, p.modelName, QString::number(p.runId), stateText(p),
                      p.keyId.isEmpty() ? QStringLiteral("-") : p.keyId, p.createdAt.toString(Qt::ISODate)});
    out() << table.text();
    out().flush();
    return Ok;
}

// A check's number for reading: four significant digits (latency in microseconds and a 1e-7
// difference both show), "n/a" for NaN.
QString figure(double v)
{
    return std::isnan(v) ? QStringLiteral("n/a") : QString::number(v, 'g', 4);
}

void printReport(const CheckReport &report)
{
    using Align = TextTable::Align;
    TextTable table({{QStringLiteral("group")}, {QStringLiteral("check")}, {QStringLiteral("value"), Align::Right},
                     {QStringLiteral("threshold"), Align::Right}, {QStringLiteral("result")}});
    for (const CheckReport::Item &i : report.items) {
        const QString value = i.op.isEmpty() ? QString() : figure(i.value) + (i.unit.isEmpty() ? QString() : QLatin1Char(' ') + i.unit);
        const QString threshold = i.op.isEmpty() ? QString() : i.op + QLatin1Char(' ') + figure(i.threshold);
        table.addRow({i.group, i.name, value, threshold,
                      i.passed ? QStringLiteral("pass") : i.gate ? QStringLiteral("FAIL") : QStringLiteral("not run")});
    }
    out() << table.text();
    const QJsonArray batches = report.latency.value(QStringLiteral("batches")).toArray();
    for (const QJsonValue &b : batches)
        out() << "  batch " << b[QStringLiteral("batch")].toInteger() << ": p50 " << figure(b[QStringLiteral("p50_ms")].toDouble())
              << " ms, p95 " << figure(b[QStringLiteral("p95_ms")].toDouble()) << " ms, p99 "
              << figure(b[QStringLiteral("p99_ms")].toDouble()) << " ms, " << qint64(b[QStringLiteral("rows_per_s")].toDouble())
              << " rows/s\n";
    for (const QJsonValue &t : report.latency.value(QStringLiteral("threads")).toArray())
        out() << "  " << t[QStringLiteral("threads")].toInteger()
              << (t[QStringLiteral("threads")].toInteger() == 1 ? " thread: " : " threads: ")
              << qint64(t[QStringLiteral("rows_per_s")].toDouble()) << " single rows/s\n";
    for (const QJsonValue &c : report.robustness) {
        if (!c[QStringLiteral("passed")].toBool())
            out() << "  robustness: " << c[QStringLiteral("case")].toString() << ": expected "
                  << c[QStringLiteral("expected")].toString() << ", got " << c[QStringLiteral("outcome")].toString() << "\n";
    }
}

// Reads a CheckConfig from a JSON file, naming the file in errors.
Result<CheckConfig> readCheckConfig(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return ioError(QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    if (!doc.isObject())
        return invalidInput(QStringLiteral("%1 is not a JSON object (%2)").arg(path, error.errorString()));
    auto parsed = CheckConfig::fromJson(doc.object());
    if (!parsed)
        return parsed.failure().reworded(QStringLiteral("%1: %2").arg(path, parsed.error()));
    return parsed;
}

int packageCheck(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected FILE"));
    if (a.value(QStringLiteral("package")).isEmpty())
        return usageError(v, QStringLiteral("--package NAME:VERSION is required"));
    std::optional<CheckConfig> config;
    if (const QString path = a.value(QStringLiteral("config")); !path.isEmpty()) {
        auto parsed = readCheckConfig(path);
        if (!parsed)
            return failure(parsed.failure());
        config = *parsed;
    }
    auto project = openProject(a.positional[0], QStringLiteral("mlwb package check"));
    if (!project)
        return Failure;
    auto record = findPackage(project->db(), a);
    if (!record)
        return failure(record.failure());
    const bool json = a.has(QStringLiteral("json"));
    // The job on its own connection, its progress on stderr; Ctrl+C stops it between checks.
    PackageCheckJob job(a.positional[0], record->id, config);
    const Status ran = runWithProgress(QStringLiteral("check"), [&](JobFeedback &feedback) { return job.run(feedback); });
    if (!ran)
        return failure(ran.failure());
    const CheckReport *report = &job.report();
    const bool passed = report->passed();
    if (json) {
        QJsonObject o = report->toJson();
        o.insert(QStringLiteral("package"), QStringLiteral("%1:%2").arg(record->name, record->version));
        printJson(o);
    } else {
        out() << "package " << record->name << ":" << record->version << " on " << report->metrics.value(QStringLiteral("rows")).toInteger()
              << " test rows, through the " << report->route << " route\n";
        printReport(*report);
        out() << (passed ? QStringLiteral("every gate passed: state checked\n")
                         : QStringLiteral("gate failed: %1; state gate_failed (ship anyway only with mlwb package override "
                                          "--reason TEXT)\n")
                               .arg(report->failedGates().join(QStringLiteral("; "))));
        out().flush();
    }
    return passed ? Ok : kGateFailed;
}

int packageCheckConfig(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected FILE"));
    const QString modelName = a.value(QStringLiteral("model"));
    if (modelName.isEmpty())
        return usageError(v, QStringLiteral("--model NAME is required"));
    const QString set = a.value(QStringLiteral("set"));
    const bool reset = a.has(QStringLiteral("reset"));
    if (!set.isEmpty() && reset)
        return usageError(v, QStringLiteral("--set and --reset exclude each other"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb package check-config"), set.isEmpty() && !reset);
    if (!project)
        return Failure;
    auto model = ModelRepository(project->db()).byName(modelName);
    if (!model)
        return failure(model.failure());
    PackageRepository packages(project->db());
    if (!set.isEmpty()) {
        auto config = readCheckConfig(set);
        if (!config)
            return failure(config.failure());
        if (auto s = packages.setCheckConfig(model->id, config->toJson()); !s)
            return failure(s.failure());
    } else if (reset) {
        if (auto s = packages.setCheckConfig(model->id, {}); !s)
            return failure(s.failure());
    }
    auto stored = packages.checkConfig(model->id);
    if (!stored)
        return failure(stored.failure());
    if (a.has(QStringLiteral("json"))) {
        printJson({{QStringLiteral("model"), model->name},
                   {QStringLiteral("stored"), bool(*stored)},
                   {QStringLiteral("config"), *stored ? QJsonValue(**stored) : QJsonValue(QJsonValue::Null)},
                   {QStringLiteral("defaults"), QJsonObject{{QStringLiteral("classification"), CheckConfig::defaults(true).toJson()},
                                                            {QStringLiteral("regression"), CheckConfig::defaults(false).toJson()}}}});
        return Ok;
    }
    if (*stored)
        out() << "model " << model->name << "'s checks: "
              << QString::fromUtf8(QJsonDocument(**stored).toJson(QJsonDocument::Compact)) << "\n";
    else
        out() << "model " << model->name << " has no check configuration of its own: the checks use the defaults for its "
              << "task (classification: " << QString::fromUtf8(QJsonDocument(CheckConfig::defaults(true).toJson()).toJson(QJsonDocument::Compact))
              << "; regression: " << QString::fromUtf8(QJsonDocument(CheckConfig::defaults(false).toJson()).toJson(QJsonDocument::Compact))
              << ")\n";
    out().flush();
    return Ok;
}

int packageOverride(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected FILE"));
    const QString reason = a.value(QStringLiteral("reason")).trimmed();
    if (reason.isEmpty())
        return usageError(v, QStringLiteral("--reason TEXT is required: say why the package may ship anyway"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb package override"));
    if (!project)
        return Failure;
    auto record = findPackage(project->db(), a);
    if (!record)
        return failure(record.failure());
    if (record->state != PackageState::GateFailed)
        return failure(conflict(QStringLiteral("package %1:%2 is %3: only a failed gate can be overridden")
                                    .arg(record->name, record->version, packageStateName(record->state))));
    auto id = PackageCatalog(project->db()).addOverride(record->id, reason);
    if (!id)
        return failure(id.failure());
    if (a.has(QStringLiteral("json"))) {
        printJson({{QStringLiteral("package"), QStringLiteral("%1:%2").arg(record->name, record->version)},
                   {QStringLiteral("override"), *id}, {QStringLiteral("by"), KeyStore::userAtHost()},
                   {QStringLiteral("reason"), reason}});
        return Ok;
    }
    out() << "package " << record->name << ":" << record->version << ": failed gate overridden by "
          << KeyStore::userAtHost() << ": " << reason << "\n";
    out().flush();
    return Ok;
}

int packageSign(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected FILE"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb package sign"));
    if (!project)
        return Failure;
    auto record = findPackage(project->db(), a);
    if (!record)
        return failure(record.failure());
    if (auto s = PackageCatalog(project->db()).sign(record->id); !s)
        return failure(s.failure());
    auto key = KeyStore().signingKey();
    if (!key)
        return failure(key.failure());
    out() << "package " << record->name << ":" << record->version << " signed by " << key->publicKey().id() << " ("
          << key->publicKey().comment() << ")\n";
    out().flush();
    return Ok;
}

int packageExport(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected FILE"));
    const QString output = a.value(QStringLiteral("o"), a.value(QStringLiteral("output")));
    if (output.isEmpty())
        return usageError(v, QStringLiteral("-o pkg.mlwbpkg is required"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb package export"), true);
    if (!project)
        return Failure;
    auto record = findPackage(project->db(), a);
    if (!record)
        return failure(record.failure());
    if (auto s = PackageCatalog(project->db()).exportTo(record->id, output); !s)
        return failure(s.failure());
    out() << "package " << record->name << ":" << record->version << " written to " << output << " ("
          << record->archive.size() << " bytes, sha256 " << record->archiveSha256.left(16) << ")\n";
    out().flush();
    return Ok;
}

int packageExportTriton(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected FILE"));
    const QString output = a.value(QStringLiteral("o"), a.value(QStringLiteral("output")));
    if (output.isEmpty())
        return usageError(v, QStringLiteral("-o DIR is required"));
    TritonExport::Options options;
    const auto intOption = [&](const char *name, int &into, int min) -> bool {
        const QString text = a.value(QString::fromLatin1(name));
        if (text.isEmpty())
            return true;
        bool ok = false;
        const int n = text.toInt(&ok);
        if (!ok || n < min)
            return false;
        into = n;
        return true;
    };
    if (!intOption("max-batch-size", options.maxBatchSize, 1) || !intOption("instances", options.instances, 1) ||
        !intOption("queue-delay-us", options.maxQueueDelayMicroseconds, 0))
        return usageError(v, QStringLiteral("--max-batch-size and --instances take a positive number, --queue-delay-us a "
                                            "number of microseconds"));
    auto project = openProject(a.positional[0], QStringLiteral("mlwb package export-triton"), true);
    if (!project)
        return Failure;
    auto record = findPackage(project->db(), a);
    if (!record)
        return failure(record.failure());
    const QString source = QStringLiteral("package %1:%2").arg(record->name, record->version);
    auto package = PackageCatalog(project->db()).open(record->id);
    if (!package)
        return failure(package.failure());
    TorchRuntime::initialize();
    auto model = LoadedModel::fromArchive(package->entry(QString::fromLatin1(SealedPackage::kModelEntry)), source);
    if (!model)
        return failure(model.failure());
    options.name = a.value(QStringLiteral("model-name"), record->name);
    if (auto s = TritonExport::write(output, options, *model, source); !s)
        return failure(s.failure());
    out() << source << " written as Triton model " << options.name << " to " << output << "/" << options.name
          << " (config.pbtxt, 1/model.pt taking raw FP32 rows)\n";
    out().flush();
    return Ok;
}

} // namespace

QList<Verb> packageVerbs()
{
    const auto make = [](const char *name, const char *usage, const char *summary, int (*fn)(const Verb &, const Args &),
                         QStringList flags = {QStringLiteral("json")}) {
        Verb v{QString::fromLatin1(name), QString::fromLatin1(usage), QString::fromLatin1(summary), {}, flags, {}};
        v.run = [v, fn](const Args &a) { return fn(v, a); };
        return v;
    };
    return {
        make("package create",
             "package create FILE --run RUN --name NAME --version X.Y.Z [-o pkg.mlwbpkg] [--description TEXT] "
             "[--unsigned] [--json]",
             "package a finished run: model.pt, the manifest with its lineage, the training distribution "
             "(baseline.json) and an input example, sealed and signed with your key; stored in the project, "
             "and with -o also written to a file",
             packageCreate, {QStringLiteral("json"), QStringLiteral("unsigned")}),
        make("package list", "package list FILE [--json]",
             "list the project's packages with version, model, run, state (built, checked, gate_failed) and signer",
             packageList),
        make("package check", "package check FILE --package NAME:VERSION [--config checks.json] [--json]",
             "run the pre-deployment checks (quality gates, regression against the previous version, latency, "
             "memory, robustness, determinism, python3-torch round trip, seal) and seal the results into the "
             "package; exit 3 when a gate fails",
             packageCheck),
        make("package check-config", "package check-config FILE --model NAME [--set checks.json | --reset] [--json]",
             "show a model's check configuration (gates, tolerance, budgets), store one from a JSON file, or "
             "--reset it to the defaults for its task; package check uses it unless --config is given",
             packageCheckConfig, {QStringLiteral("json"), QStringLiteral("reset")}),
        make("package override", "package override FILE --package NAME:VERSION --reason TEXT [--json]",
             "record why a package whose gate failed may be deployed anyway (with who and when)", packageOverride),
        make("package sign", "package sign FILE --package NAME:VERSION",
             "seal and sign a stored package anew with your key", packageSign, {}),
        make("package export", "package export FILE --package NAME:VERSION -o pkg.mlwbpkg",
             "write a stored package to a file", packageExport, {}),
        make("package export-triton",
             "package export-triton FILE --package NAME:VERSION -o DIR [--model-name NAME] [--max-batch-size N] "
             "[--instances N] [--queue-delay-us N]",
             "write a Triton model repository entry: DIR/NAME/config.pbtxt and DIR/NAME/1/model.pt, which takes raw "
             "rows (the preprocessing is inside it)",
             packageExportTriton, {}),
        make("package verify", "package verify pkg.mlwbpkg [--trusted-keys DIR] [--allow-unsigned] [--json]",
             "check a package file: its zip container, every entry against hashes.json, its signature and that the "
             "key is trusted (yours and `key trust`ed ones, or the .pub files of --trusted-keys DIR), the manifest; "
             "prints what it is and where it came from; exit 1 when anything is off",
             packageVerify, {QStringLiteral("json"), QStringLiteral("allow-unsigned")}),
    };
}

} // namespace mlwb::cli
