// SPDX-License-Identifier: MIT
#include "store/records.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace mlwb {

namespace {

QJsonValue timeJson(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toString(Qt::ISODate)) : QJsonValue(QJsonValue::Null);
}

// Reads the fields of one record, remembering the first that has the wrong type.
class FieldReader {
public:
    FieldReader(const QJsonObject &o, const char *what) : m_o(o), m_what(what) {}

    qint64 integer(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return 0;
        if (v.isDouble() && v.toDouble() == double(v.toInteger()))
            return v.toInteger();
        if (v.isString()) { // int64 as a string, as protobuf's JSON writes it
            bool ok = false;
            const qint64 n = v.toString().toLongLong(&ok);
            if (ok)
                return n;
        }
        wrong(key, "an integer");
        return 0;
    }
    QString string(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isString())
            wrong(key, "a string");
        return v.toString();
    }
    QJsonObject object(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isObject())
            wrong(key, "an object");
        return v.toObject();
    }
    QJsonArray array(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isArray())
            wrong(key, "an array");
        return v.toArray();
    }
    QDateTime time(const char *key)
    {
        const QString text = string(key);
        if (text.isEmpty())
            return {};
        const QDateTime t = QDateTime::fromString(text, Qt::ISODate);
        if (!t.isValid())
            wrong(key, "an ISO 8601 time");
        return t;
    }
    void wrong(const char *key, const char *expected)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1: \"%2\" must be %3").arg(QLatin1String(m_what), QLatin1String(key),
                                                                  QLatin1String(expected));
    }
    // A nested record's failure, with the field it came from.
    void nested(const char *key, const QString &error)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1: \"%2\": %3").arg(QLatin1String(m_what), QLatin1String(key), error);
    }
    template <typename T>
    Result<T> done(T value) const
    {
        if (!m_error.isEmpty())
            return invalidInput(m_error);
        return value;
    }

private:
    const QJsonObject &m_o;
    const char *m_what;
    QString m_error;
};

} // namespace

QString runStatusName(RunStatus status)
{
    switch (status) {
    case RunStatus::Queued: return QStringLiteral("queued");
    case RunStatus::Running: return QStringLiteral("running");
    case RunStatus::Finished: return QStringLiteral("finished");
    case RunStatus::Failed: return QStringLiteral("failed");
    case RunStatus::Interrupted: return QStringLiteral("interrupted");
    }
    return QStringLiteral("failed");
}

RunStatus runStatusFromName(const QString &name)
{
    if (name == u"queued") return RunStatus::Queued;
    if (name == u"running") return RunStatus::Running;
    if (name == u"finished") return RunStatus::Finished;
    if (name == u"interrupted") return RunStatus::Interrupted;
    return RunStatus::Failed;
}

QString modelKindName(ModelKind kind)
{
    return kind == ModelKind::TorchScript ? QStringLiteral("torchscript") : QStringLiteral("spec");
}

std::optional<ModelKind> modelKindFromName(const QString &name)
{
    if (name == u"spec")
        return ModelKind::Spec;
    if (name == u"torchscript")
        return ModelKind::TorchScript;
    return std::nullopt;
}

QJsonObject DatasetRecord::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("created"), timeJson(createdAt)},
            {QStringLiteral("source"), sourcePath},
            {QStringLiteral("sha256"), contentHash},
            {QStringLiteral("rows"), rowCount},
            {QStringLiteral("columns"), columnCount},
            {QStringLiteral("schema"), QJsonDocument::fromJson(schemaJson).object()}};
}

Result<DatasetRecord> DatasetRecord::fromJson(const QJsonObject &o)
{
    FieldReader f(o, "dataset");
    DatasetRecord r;
    r.id = f.integer("id");
    r.name = f.string("name");
    r.createdAt = f.time("created");
    r.sourcePath = f.string("source");
    r.contentHash = f.string("sha256");
    r.rowCount = f.integer("rows");
    r.columnCount = f.integer("columns");
    if (const QJsonObject schema = f.object("schema"); !schema.isEmpty())
        r.schemaJson = QJsonDocument(schema).toJson(QJsonDocument::Compact);
    return f.done(std::move(r));
}

QJsonObject ModelRecord::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("kind"), modelKindName(kind)},
            {QStringLiteral("dataset_id"), datasetId},
            {QStringLiteral("created"), timeJson(createdAt)},
            {QStringLiteral("description"), description}};
}

Result<ModelRecord> ModelRecord::fromJson(const QJsonObject &o)
{
    FieldReader f(o, "model");
    ModelRecord r;
    r.id = f.integer("id");
    r.name = f.string("name");
    if (const QString kind = f.string("kind"); !kind.isEmpty()) {
        if (auto k = modelKindFromName(kind))
            r.kind = *k;
        else
            f.wrong("kind", "\"spec\" or \"torchscript\"");
    }
    r.datasetId = f.integer("dataset_id");
    r.createdAt = f.time("created");
    r.description = f.string("description");
    return f.done(std::move(r));
}

QJsonObject ModelVersionRecord::toJson() const
{
    QJsonObject o{{QStringLiteral("id"), id},
                  {QStringLiteral("model_id"), modelId},
                  {QStringLiteral("version"), version},
                  {QStringLiteral("created"), timeJson(createdAt)}};
    if (!specJson.isEmpty())
        o.insert(QStringLiteral("spec"), QJsonDocument::fromJson(specJson).object());
    if (!torchscript.isEmpty())
        o.insert(QStringLiteral("torchscript_bytes"), qint64(torchscript.size()));
    return o;
}

Result<ModelVersionRecord> ModelVersionRecord::fromJson(const QJsonObject &o)
{
    FieldReader f(o, "model version");
    ModelVersionRecord r;
    r.id = f.integer("id");
    r.modelId = f.integer("model_id");
    r.version = int(f.integer("version"));
    r.createdAt = f.time("created");
    if (const QJsonObject spec = f.object("spec"); !spec.isEmpty())
        r.specJson = QJsonDocument(spec).toJson(QJsonDocument::Compact);
    return f.done(std::move(r));
}

QJsonObject RunRecord::toJson() const
{
    QJsonObject metrics;
    for (auto it = summary.begin(); it != summary.end(); ++it) {
        if (it.value().isDouble())
            metrics.insert(it.key(), it.value());
    }
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("model"), modelName},
            {QStringLiteral("model_id"), modelId},
            {QStringLiteral("model_version"), modelVersion},
            {QStringLiteral("model_version_id"), modelVersionId},
            {QStringLiteral("dataset_id"), datasetId},
            {QStringLiteral("status"), runStatusName(status)},
            {QStringLiteral("message"), message},
            {QStringLiteral("sweep"), sweepId},
            {QStringLiteral("created"), timeJson(createdAt)},
            {QStringLiteral("started"), timeJson(startedAt)},
            {QStringLiteral("finished"), timeJson(finishedAt)},
            {QStringLiteral("hyperparameters"), hyperparams},
            {QStringLiteral("summary"), summary},
            {QStringLiteral("metrics"), metrics},
            {QStringLiteral("experiment"), experimentName},
            {QStringLiteral("experiment_id"), experimentId ? QJsonValue(*experimentId) : QJsonValue()},
            {QStringLiteral("origin"), tracked ? QStringLiteral("tracking") : QStringLiteral("workbench")},
            {QStringLiteral("user"), user},
            {QStringLiteral("deleted"), timeJson(deletedAt)},
            {QStringLiteral("heartbeat"), timeJson(heartbeatAt)}};
}

Result<RunRecord> RunRecord::fromJson(const QJsonObject &o)
{
    FieldReader f(o, "run");
    RunRecord r;
    r.id = f.integer("id");
    r.name = f.string("name");
    r.modelName = f.string("model");
    r.modelId = f.integer("model_id");
    r.modelVersion = int(f.integer("model_version"));
    r.modelVersionId = f.integer("model_version_id");
    r.datasetId = f.integer("dataset_id");
    if (const QString status = f.string("status"); !status.isEmpty()) {
        r.status = runStatusFromName(status);
        if (runStatusName(r.status) != status)
            f.wrong("status", "queued, running, finished, failed or interrupted");
    }
    r.message = f.string("message");
    r.sweepId = f.integer("sweep");
    r.createdAt = f.time("created");
    r.startedAt = f.time("started");
    r.finishedAt = f.time("finished");
    r.hyperparams = f.object("hyperparameters");
    r.summary = f.object("summary");
    if (r.summary.isEmpty())
        r.summary = f.object("metrics");
    r.experimentName = f.string("experiment");
    if (o.value(QLatin1String("experiment_id")).isDouble())
        r.experimentId = f.integer("experiment_id");
    r.tracked = f.string("origin") == QLatin1String("tracking");
    r.user = f.string("user");
    r.deletedAt = f.time("deleted");
    r.heartbeatAt = f.time("heartbeat");
    return f.done(std::move(r));
}

QJsonObject SweepRecord::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("model"), modelName},
            {QStringLiteral("model_id"), modelId},
            {QStringLiteral("strategy"), strategy},
            {QStringLiteral("spec"), spec},
            {QStringLiteral("created"), timeJson(createdAt)},
            {QStringLiteral("runs"), runCount}};
}

Result<SweepRecord> SweepRecord::fromJson(const QJsonObject &o)
{
    FieldReader f(o, "sweep");
    SweepRecord r;
    r.id = f.integer("id");
    r.name = f.string("name");
    r.modelName = f.string("model");
    r.modelId = f.integer("model_id");
    r.strategy = f.string("strategy");
    r.spec = f.object("spec");
    r.createdAt = f.time("created");
    r.runCount = f.integer("runs");
    return f.done(std::move(r));
}

QString packageStateName(PackageState state)
{
    switch (state) {
    case PackageState::Built: return QStringLiteral("built");
    case PackageState::Checked: return QStringLiteral("checked");
    case PackageState::GateFailed: return QStringLiteral("gate_failed");
    }
    return QStringLiteral("built");
}

std::optional<PackageState> packageStateFromName(const QString &name)
{
    if (name == u"built")
        return PackageState::Built;
    if (name == u"checked")
        return PackageState::Checked;
    if (name == u"gate_failed")
        return PackageState::GateFailed;
    return std::nullopt;
}

QJsonObject PackageOverrideRecord::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("package_id"), packageId},
            {QStringLiteral("reason"), reason},
            {QStringLiteral("author"), author},
            {QStringLiteral("created"), timeJson(createdAt)}};
}

Result<PackageOverrideRecord> PackageOverrideRecord::fromJson(const QJsonObject &o)
{
    FieldReader f(o, "package override");
    PackageOverrideRecord r;
    r.id = f.integer("id");
    r.packageId = f.integer("package_id");
    r.reason = f.string("reason");
    r.author = f.string("author");
    r.createdAt = f.time("created");
    return f.done(std::move(r));
}

QJsonObject PackageRecord::toJson() const
{
    QJsonArray overrideList;
    for (const PackageOverrideRecord &o : overrides)
        overrideList.append(o.toJson());
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("version"), version},
            {QStringLiteral("model"), modelName},
            {QStringLiteral("model_id"), modelId},
            {QStringLiteral("run_id"), runId},
            {QStringLiteral("created"), timeJson(createdAt)},
            {QStringLiteral("author"), author},
            {QStringLiteral("manifest"), QJsonDocument::fromJson(manifestJson).object()},
            {QStringLiteral("archive_bytes"), archive.isEmpty() ? archiveBytes : qint64(archive.size())},
            {QStringLiteral("archive_sha256"), archiveSha256},
            {QStringLiteral("key_id"), keyId},
            {QStringLiteral("state"), packageStateName(state)},
            {QStringLiteral("checks"), checks.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(checks)},
            {QStringLiteral("checked"), timeJson(checkedAt)},
            {QStringLiteral("overrides"), overrideList},
            {QStringLiteral("overridden"), overridden()}};
}

Result<PackageRecord> PackageRecord::fromJson(const QJsonObject &o)
{
    FieldReader f(o, "package");
    PackageRecord r;
    r.id = f.integer("id");
    r.name = f.string("name");
    r.version = f.string("version");
    r.modelName = f.string("model");
    r.modelId = f.integer("model_id");
    r.runId = f.integer("run_id");
    r.createdAt = f.time("created");
    r.author = f.string("author");
    if (const QJsonObject manifest = f.object("manifest"); !manifest.isEmpty())
        r.manifestJson = QJsonDocument(manifest).toJson(QJsonDocument::Compact);
    r.archiveBytes = f.integer("archive_bytes");
    r.archiveSha256 = f.string("archive_sha256");
    r.keyId = f.string("key_id");
    if (const QString state = f.string("state"); !state.isEmpty()) {
        if (auto s = packageStateFromName(state))
            r.state = *s;
        else
            f.wrong("state", "\"built\", \"checked\" or \"gate_failed\"");
    }
    r.checks = f.object("checks");
    r.checkedAt = f.time("checked");
    for (const QJsonValue &v : f.array("overrides")) {
        if (!v.isObject()) {
            f.wrong("overrides", "an array of objects");
            break;
        }
        auto item = PackageOverrideRecord::fromJson(v.toObject());
        if (!item) {
            f.nested("overrides", item.error());
            break;
        }
        r.overrides << *item;
    }
    return f.done(std::move(r));
}

QJsonObject TargetRecord::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("url"), url},
            {QStringLiteral("ca_cert"), caCert.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(caCert)},
            {QStringLiteral("created"), timeJson(createdAt)},
            {QStringLiteral("created_by"), createdBy}};
}

Result<TargetRecord> TargetRecord::fromJson(const QJsonObject &o)
{
    FieldReader f(o, "target");
    TargetRecord r;
    r.id = f.integer("id");
    r.name = f.string("name");
    r.url = f.string("url");
    r.caCert = f.string("ca_cert");
    r.createdAt = f.time("created");
    r.createdBy = f.string("created_by");
    return f.done(std::move(r));
}

QString deploymentActionName(DeploymentAction action)
{
    switch (action) {
    case DeploymentAction::Deploy: return QStringLiteral("deploy");
    case DeploymentAction::Canary: return QStringLiteral("canary");
    case DeploymentAction::Promote: return QStringLiteral("promote");
    case DeploymentAction::Rollback: return QStringLiteral("rollback");
    case DeploymentAction::Refused: return QStringLiteral("refused");
    }
    return QStringLiteral("deploy");
}

std::optional<DeploymentAction> deploymentActionFromName(const QString &name)
{
    for (DeploymentAction a : {DeploymentAction::Deploy, DeploymentAction::Canary, DeploymentAction::Promote,
                               DeploymentAction::Rollback, DeploymentAction::Refused}) {
        if (deploymentActionName(a) == name)
            return a;
    }
    return std::nullopt;
}

QJsonObject DeploymentRecord::toJson() const
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("target"), targetName},
            {QStringLiteral("target_id"), targetId},
            {QStringLiteral("package_id"), packageId > 0 ? QJsonValue(packageId) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("model"), model},
            {QStringLiteral("version"), version},
            {QStringLiteral("action"), deploymentActionName(action)},
            {QStringLiteral("canary_percent"), canaryPercent},
            {QStringLiteral("by"), by},
            {QStringLiteral("at"), at.isValid() ? QJsonValue(at.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("detail"), detail},
            {QStringLiteral("override_reason"),
             overrideReason.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(overrideReason)}};
}

Result<DeploymentRecord> DeploymentRecord::fromJson(const QJsonObject &o)
{
    FieldReader f(o, "deployment");
    DeploymentRecord r;
    r.id = f.integer("id");
    r.targetName = f.string("target");
    r.targetId = f.integer("target_id");
    r.packageId = f.integer("package_id");
    r.model = f.string("model");
    r.version = f.string("version");
    if (const QString action = f.string("action"); !action.isEmpty()) {
        if (auto a = deploymentActionFromName(action))
            r.action = *a;
        else
            f.wrong("action", "\"deploy\", \"canary\", \"promote\", \"rollback\" or \"refused\"");
    }
    r.canaryPercent = int(f.integer("canary_percent"));
    r.by = f.string("by");
    r.at = f.time("at");
    r.detail = f.string("detail");
    r.overrideReason = f.string("override_reason");
    return f.done(std::move(r));
}

} // namespace mlwb
