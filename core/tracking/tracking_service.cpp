// SPDX-License-Identifier: MIT
#include "tracking/tracking_service.h"

#include "common/json_number.h"
#include "common/bearer_token.h"
#include "common/logging.h"
#include "store/database.h"
#include "store/experiment_repository.h"
#include "store/metric_logger.h"
#include "store/metric_reader.h"
#include "store/model_repository.h"
#include "store/run_repository.h"
#include "store/statement.h"
#include "store/store_util.h"
#include "store/transaction.h"
#include "store/worker_connection.h"
#include "tracking/tracking_filter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QMimeDatabase>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <mutex>
#include <unordered_map>

namespace mlwb {

namespace {

// MLflow's limits (mlflow/utils/validation.py; docs/tracking.md).
constexpr int kMaxMetricsPerBatch = 1000;
constexpr int kMaxParamsTagsPerBatch = 100;
constexpr int kMaxEntitiesPerBatch = 1000;
constexpr qint64 kMaxBatchBytes = 1000000; // MLflow: 1e6
constexpr int kMaxKeyLength = 250;
constexpr int kMaxParamValueLength = 6000;
constexpr int kMaxTagValueLength = 5000;
constexpr int kMaxExperimentNameLength = 500;
constexpr qint64 kMaxSearchResults = 50000;
constexpr qint64 kDefaultSearchResults = 1000;
constexpr qint64 kHeartbeatEveryMs = 1000;
const QString kModelExperimentPrefix = QStringLiteral("model-");

const QString kInvalid = QStringLiteral("INVALID_PARAMETER_VALUE");
const QString kMissing = QStringLiteral("RESOURCE_DOES_NOT_EXIST");
const QString kExists = QStringLiteral("RESOURCE_ALREADY_EXISTS");

HttpResponse apiError(int status, const QString &code, const QString &message)
{
    return HttpResponse::json(status, QJsonObject{{QStringLiteral("error_code"), code}, {QStringLiteral("message"), message}});
}

// A failure as MLflow's client expects it: the caller's mistakes are 4xx, the file's own 500.
HttpResponse errorResponse(const Error &e)
{
    switch (e.kind) {
    case ErrorKind::InvalidInput:
        return apiError(400, kInvalid, e.message);
    case ErrorKind::NotFound:
        return apiError(404, kMissing, e.message);
    case ErrorKind::Conflict:
        return apiError(409, kExists, e.message);
    case ErrorKind::Unauthorized:
        return apiError(401, QStringLiteral("UNAUTHENTICATED"), e.message);
    default:
        return apiError(500, QStringLiteral("INTERNAL_ERROR"), QStringLiteral("the project file: %1").arg(e.message));
    }
}

qint64 toMs(const QDateTime &t) { return t.isValid() ? t.toMSecsSinceEpoch() : 0; }

QString mlflowStatus(RunStatus s)
{
    switch (s) {
    case RunStatus::Queued: return QStringLiteral("SCHEDULED");
    case RunStatus::Running: return QStringLiteral("RUNNING");
    case RunStatus::Finished: return QStringLiteral("FINISHED");
    case RunStatus::Failed: return QStringLiteral("FAILED");
    case RunStatus::Interrupted: return QStringLiteral("KILLED");
    }
    return QStringLiteral("FAILED");
}

std::optional<RunStatus> statusFromMlflow(const QJsonValue &v)
{
    // The enum by name, or by its proto number (RUNNING = 1 ... KILLED = 5).
    if (v.isDouble()) {
        switch (v.toInt()) {
        case 1: return RunStatus::Running;
        case 2: return RunStatus::Queued;
        case 3: return RunStatus::Finished;
        case 4: return RunStatus::Failed;
        case 5: return RunStatus::Interrupted;
        default: return std::nullopt;
        }
    }
    const QString s = v.toString().toUpper();
    if (s == u"RUNNING") return RunStatus::Running;
    if (s == u"SCHEDULED") return RunStatus::Queued;
    if (s == u"FINISHED") return RunStatus::Finished;
    if (s == u"FAILED") return RunStatus::Failed;
    if (s == u"KILLED") return RunStatus::Interrupted;
    return std::nullopt;
}

// A parameter value as text: the string itself, a number in its shortest form.
QString paramText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15)
            return QString::number(qint64(d));
        return QString::number(d, 'g', QLocale::FloatingPointShortest);
    }
    if (v.isBool())
        return v.toBool() ? QStringLiteral("True") : QStringLiteral("False");
    if (v.isNull() || v.isUndefined())
        return QString();
    return QString::fromUtf8(QJsonDocument::fromVariant(v.toVariant()).toJson(QJsonDocument::Compact));
}

// The request's fields: the JSON body's, over the query string's.
class Params {
public:
    explicit Params(QJsonObject o) : m_o(std::move(o)) {}
    const QJsonObject &object() const { return m_o; }
    bool has(const QString &key) const { return m_o.contains(key) && !m_o.value(key).isNull(); }
    QJsonValue value(const QString &key) const { return m_o.value(key); }

    Result<QString> required(const QString &key) const
    {
        const QJsonValue v = m_o.value(key);
        if (v.isUndefined() || v.isNull() || (v.isString() && v.toString().isEmpty()))
            return invalidInput(QStringLiteral("Missing value for required parameter '%1'.").arg(key));
        if (!v.isString() && !v.isDouble())
            return invalidInput(QStringLiteral("Invalid value %1 for parameter '%2' supplied: a string is expected.").arg(show(v), key));
        return paramText(v);
    }
    QString text(const QString &key, const QString &fallback = QString()) const
    {
        const QJsonValue v = m_o.value(key);
        return v.isUndefined() || v.isNull() ? fallback : paramText(v);
    }
    // int64 as MLflow sends it: a number, or a string of digits.
    Result<std::optional<qint64>> int64(const QString &key) const
    {
        const QJsonValue v = m_o.value(key);
        if (v.isUndefined() || v.isNull())
            return std::optional<qint64>();
        if (v.isDouble()) {
            const double d = v.toDouble();
            if (d == std::floor(d) && std::fabs(d) < 9.2e18)
                return std::optional<qint64>(qint64(d));
        } else if (v.isString()) {
            bool ok = false;
            const qint64 n = v.toString().trimmed().toLongLong(&ok);
            if (ok)
                return std::optional<qint64>(n);
        }
        return invalidInput(QStringLiteral("Invalid value %1 for parameter '%2' supplied: an integer is expected.").arg(show(v), key));
    }
    Result<QJsonArray> array(const QString &key) const
    {
        const QJsonValue v = m_o.value(key);
        if (v.isUndefined() || v.isNull())
            return QJsonArray();
        if (v.isArray())
            return v.toArray();
        if (v.isString()) // a repeated query parameter sent once
            return QJsonArray{v};
        return invalidInput(QStringLiteral("Invalid value %1 for parameter '%2' supplied: a list is expected.").arg(show(v), key));
    }
    Result<QString> runId() const
    {
        if (has(QStringLiteral("run_id")))
            return required(QStringLiteral("run_id"));
        if (has(QStringLiteral("run_uuid")))
            return required(QStringLiteral("run_uuid"));
        return invalidInput(QStringLiteral("Missing value for required parameter 'run_id'."));
    }

    static QString show(const QJsonValue &v)
    {
        if (v.isString())
            return QStringLiteral("'%1'").arg(v.toString().left(100));
        QJsonArray wrap{v};
        QString s = QString::fromUtf8(QJsonDocument(wrap).toJson(QJsonDocument::Compact));
        return s.mid(1, s.size() - 2).left(100);
    }

private:
    QJsonObject m_o;
};

Status validateKey(const QString &what, const QString &key)
{
    static const QRegularExpression valid(QStringLiteral("^[/\\w.\\- :]*$"), QRegularExpression::UseUnicodePropertiesOption);
    if (key.isEmpty())
        return invalidInput(QStringLiteral("Missing value for required parameter 'key'."));
    if (key.size() > kMaxKeyLength)
        return invalidInput(QStringLiteral("%1 '%2' had length %3, which exceeded length limit of %4").arg(what, key.left(40) + QStringLiteral("..."), QString::number(key.size()), QString::number(kMaxKeyLength)));
    if (!valid.match(key).hasMatch())
        return invalidInput(QStringLiteral("Invalid %1 name: '%2'. Names may only contain alphanumerics, underscores (_), dashes (-), "
                                           "periods (.), spaces ( ), colons (:) and slashes (/).")
                                .arg(what.toLower(), key));
    if (key.startsWith(u'/') || key.split(u'/').contains(QStringLiteral("..")) || key.split(u'/').contains(QStringLiteral(".")))
        return invalidInput(QStringLiteral("Invalid %1 name: '%2'. Names may be treated as files in certain cases, and must not resolve to "
                                           "other names when treated as such.")
                                .arg(what.toLower(), key));
    return {};
}

Status validateValue(const QString &what, const QString &key, const QString &value, int limit)
{
    if (value.size() > limit)
        return invalidInput(QStringLiteral("%1 value '%2' had length %3, which exceeded length limit of %4 (key '%5')")
                                .arg(what, value.left(40) + QStringLiteral("..."), QString::number(value.size()), QString::number(limit), key));
    return {};
}

QJsonArray tagArray(const QList<std::pair<QString, QString>> &tags)
{
    QJsonArray a;
    for (const auto &[k, v] : tags)
        a.append(QJsonObject{{QStringLiteral("key"), k}, {QStringLiteral("value"), v}});
    return a;
}

QByteArray encodeToken(qint64 offset)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("offset"), offset}}).toJson(QJsonDocument::Compact).toBase64();
}

Result<qint64> decodeToken(const QString &token)
{
    if (token.isEmpty())
        return qint64(0);
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromBase64(token.toLatin1())).object();
    const QJsonValue v = o.value(QLatin1String("offset"));
    if (!v.isDouble() || v.toDouble() < 0)
        return invalidInput(QStringLiteral("Invalid page token '%1': not one this server gave.").arg(token.left(60)));
    return qint64(v.toDouble());
}

struct Metric {
    QString key;
    double value = 0;
    qint64 timestamp = 0;
    qint64 step = 0;
};

Result<Metric> readMetric(const QJsonObject &o)
{
    const Params p(o);
    Metric m;
    auto key = p.required(QStringLiteral("key"));
    if (!key)
        return key.failure();
    m.key = *key;
    if (auto s = validateKey(QStringLiteral("Metric"), m.key); !s)
        return s.failure();
    const QJsonValue v = o.value(QLatin1String("value"));
    const std::optional<double> value = v.isNull() || v.isUndefined() ? std::nullopt : JsonNumber::to(v);
    if (!value) {
        bool ok = false;
        const double parsed = v.isString() ? v.toString().toDouble(&ok) : 0;
        if (!ok)
            return invalidInput(QStringLiteral("Got invalid value %1 for metric '%2' (timestamp=%3). Please specify value as a valid double "
                                               "(64-bit floating point)")
                                    .arg(Params::show(v), m.key, Params::show(o.value(QLatin1String("timestamp")))));
        m.value = parsed;
    } else {
        m.value = *value;
    }
    auto ts = p.int64(QStringLiteral("timestamp"));
    if (!ts)
        return ts.failure();
    if (!*ts)
        return invalidInput(QStringLiteral("Missing value for required parameter 'timestamp'. Metric '%1' needs the time it was logged "
                                           "(milliseconds since the epoch).")
                                .arg(m.key));
    m.timestamp = **ts;
    auto step = p.int64(QStringLiteral("step"));
    if (!step)
        return step.failure();
    m.step = step->value_or(0);
    return m;
}

QJsonObject metricJson(const QString &key, double value, qint64 timestamp, qint64 step)
{
    return {{QStringLiteral("key"), key},
            {QStringLiteral("value"), JsonNumber::from(value)},
            {QStringLiteral("timestamp"), timestamp},
            {QStringLiteral("step"), step}};
}

} // namespace

struct TrackingService::Impl {
    QString path;
    Options options;
    std::mutex mutex; // the connection and what follows
    Database db;
    std::unordered_map<qint64, qint64> lastTouchMs; // run -> when its heartbeat was written
    std::shared_ptr<MetricLogger> logger; // Writers::Shared
    // Writers::PerRun: a logger per run, made on its first point, flushed and dropped when the
    // run ends; at most kMaxWriters (the least recently used goes: every request flushed its
    // points before it was answered, so it has nothing left to write). A request holds its
    // writer while it logs and flushes, so one dropped meanwhile closes after it.
    static constexpr size_t kMaxWriters = 32;
    struct Writer {
        std::shared_ptr<MetricLogger> logger;
        qint64 lastUse = 0;
    };
    std::mutex writersMutex;
    std::unordered_map<qint64, Writer> writers;
    qint64 uses = 0;

    Result<std::shared_ptr<MetricLogger>> writerFor(qint64 runId)
    {
        if (logger)
            return logger;
        std::lock_guard lock(writersMutex);
        auto it = writers.find(runId);
        if (it != writers.end()) {
            it->second.lastUse = ++uses;
            return it->second.logger;
        }
        if (writers.size() >= kMaxWriters) {
            auto oldest = std::min_element(writers.begin(), writers.end(),
                                           [](const auto &a, const auto &b) { return a.second.lastUse < b.second.lastUse; });
            writers.erase(oldest);
        }
        Result<std::unique_ptr<MetricLogger>> made = MetricLogger::open(path);
        if (!made)
            return made.failure();
        std::shared_ptr<MetricLogger> w(std::move(*made));
        writers.emplace(runId, Writer{w, ++uses});
        return w;
    }
    // The run ended: every point logged to it is written; its own writer, if any, goes.
    Status retire(qint64 runId)
    {
        if (logger)
            return logger->flush();
        std::shared_ptr<MetricLogger> w;
        {
            std::lock_guard lock(writersMutex);
            auto it = writers.find(runId);
            if (it == writers.end())
                return {};
            w = std::move(it->second.logger);
            writers.erase(it);
        }
        return w->flush();
    }
    Status closeAll()
    {
        Status first;
        if (logger)
            first = logger->close();
        std::unordered_map<qint64, Writer> all;
        {
            std::lock_guard lock(writersMutex);
            all.swap(writers);
        }
        for (auto &[id, w] : all)
            if (Status s = w.logger->close(); !s && first)
                first = s;
        return first;
    }

    // --- helpers over the connection (mutex held) ---

    Result<RunRecord> run(const QString &runId)
    {
        bool ok = false;
        const qint64 id = runId.toLongLong(&ok);
        if (!ok || id <= 0)
            return notFound(QStringLiteral("Run with id=%1 not found").arg(runId));
        Result<RunRecord> r = RunRepository(db).get(id);
        if (!r && r.kind() == ErrorKind::NotFound)
            return notFound(QStringLiteral("Run with id=%1 not found").arg(runId));
        return r;
    }

    // A run a script may write to: tracked, not deleted.
    Result<RunRecord> writableRun(const Params &p)
    {
        auto id = p.runId();
        if (!id)
            return id.failure();
        auto r = run(*id);
        if (!r)
            return r;
        if (!r->tracked)
            return invalidInput(QStringLiteral("Run with id=%1 was trained in the workbench (%2 version %3): its record is read-only "
                                               "through the tracking API")
                                    .arg(*id, r->modelName, QString::number(r->modelVersion)));
        if (r->deletedAt.isValid())
            return invalidInput(QStringLiteral("The run %1 must be in the 'active' state. Current state is deleted.").arg(*id));
        return r;
    }

    Status touch(qint64 runId)
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        qint64 &last = lastTouchMs[runId];
        if (now - last < kHeartbeatEveryMs)
            return {};
        last = now;
        return RunRepository(db).touch(runId);
    }

    static QString artifactUri(const RunRecord &r)
    {
        const QString experiment = r.experimentId ? QString::number(*r.experimentId) : kModelExperimentPrefix + QString::number(r.modelId);
        return QStringLiteral("mlflow-artifacts:/%1/%2/artifacts").arg(experiment).arg(r.id);
    }
    static QString experimentIdOf(const RunRecord &r)
    {
        return r.experimentId ? QString::number(*r.experimentId) : kModelExperimentPrefix + QString::number(r.modelId);
    }

    Result<QList<std::pair<QString, QString>>> tagsOf(const RunRecord &r)
    {
        if (r.tracked)
            return RunRepository(db).tags(r.id);
        // The workbench's own runs: what MLflow's UI shows of a run, from the run itself.
        QList<std::pair<QString, QString>> t{{QStringLiteral("mlflow.runName"), r.name},
                                             {QStringLiteral("mlwb.model"), r.modelName},
                                             {QStringLiteral("mlwb.model_version"), QString::number(r.modelVersion)},
                                             {QStringLiteral("mlwb.origin"), QStringLiteral("workbench")}};
        if (!r.message.isEmpty())
            t.append({QStringLiteral("mlwb.message"), r.message});
        if (r.sweepId > 0)
            t.append({QStringLiteral("mlwb.sweep"), QString::number(r.sweepId)});
        return t;
    }

    QJsonObject runInfo(const RunRecord &r) const
    {
        QJsonObject info{{QStringLiteral("run_id"), QString::number(r.id)},
                         {QStringLiteral("run_uuid"), QString::number(r.id)},
                         {QStringLiteral("run_name"), r.name},
                         {QStringLiteral("experiment_id"), experimentIdOf(r)},
                         {QStringLiteral("user_id"), r.user},
                         {QStringLiteral("status"), mlflowStatus(r.status)},
                         {QStringLiteral("start_time"), toMs(r.startedAt.isValid() ? r.startedAt : r.createdAt)},
                         {QStringLiteral("artifact_uri"), artifactUri(r)},
                         {QStringLiteral("lifecycle_stage"), r.deletedAt.isValid() ? QStringLiteral("deleted") : QStringLiteral("active")}};
        if (r.finishedAt.isValid())
            info.insert(QStringLiteral("end_time"), toMs(r.finishedAt));
        return info;
    }

    Result<QJsonObject> runJson(const RunRecord &r, const QList<LatestMetric> *latest = nullptr)
    {
        QList<LatestMetric> own;
        if (!latest) {
            auto l = MetricReader(db).latest({r.id});
            if (!l)
                return l.failure();
            own = *l;
            latest = &own;
        }
        QJsonArray metrics;
        for (const LatestMetric &m : *latest)
            if (m.runId == r.id)
                metrics.append(metricJson(m.key, m.value, qint64(std::llround(m.wall * 1000.0)), m.step));
        QJsonArray params;
        for (auto it = r.hyperparams.begin(); it != r.hyperparams.end(); ++it)
            params.append(QJsonObject{{QStringLiteral("key"), it.key()}, {QStringLiteral("value"), paramText(it.value())}});
        auto tags = tagsOf(r);
        if (!tags)
            return tags.failure();
        QJsonObject data{{QStringLiteral("metrics"), metrics}, {QStringLiteral("params"), params}, {QStringLiteral("tags"), tagArray(*tags)}};
        return QJsonObject{{QStringLiteral("info"), runInfo(r)},
                           {QStringLiteral("data"), data},
                           {QStringLiteral("inputs"), QJsonObject{{QStringLiteral("dataset_inputs"), r.inputs}}}};
    }

    static QJsonObject experimentJson(const ExperimentRecord &e)
    {
        return {{QStringLiteral("experiment_id"), QString::number(e.id)},
                {QStringLiteral("name"), e.name},
                {QStringLiteral("artifact_location"),
                 e.artifactLocation.isEmpty() ? QStringLiteral("mlflow-artifacts:/%1").arg(e.id) : e.artifactLocation},
                {QStringLiteral("lifecycle_stage"), e.deleted ? QStringLiteral("deleted") : QStringLiteral("active")},
                {QStringLiteral("creation_time"), toMs(e.createdAt)},
                {QStringLiteral("last_update_time"), toMs(e.updatedAt)},
                {QStringLiteral("tags"), tagArray(e.tags)}};
    }

    // A model's runs as a read-only experiment.
    Result<ExperimentRecord> modelExperiment(qint64 modelId)
    {
        Result<ModelRecord> m = ModelRepository(db).get(modelId);
        if (!m)
            return notFound(QStringLiteral("No Experiment with id=%1%2 exists").arg(kModelExperimentPrefix).arg(modelId));
        ExperimentRecord e;
        e.id = -modelId;
        e.name = QStringLiteral("workbench/%1").arg(m->name);
        e.createdAt = e.updatedAt = m->createdAt;
        e.tags = {{QStringLiteral("mlwb.model"), m->name}, {QStringLiteral("mlwb.origin"), QStringLiteral("workbench")}};
        return e;
    }
    QJsonObject anyExperimentJson(const ExperimentRecord &e) const
    {
        QJsonObject o = experimentJson(e);
        if (e.id < 0) {
            o.insert(QStringLiteral("experiment_id"), kModelExperimentPrefix + QString::number(-e.id));
            o.insert(QStringLiteral("artifact_location"), QStringLiteral("mlflow-artifacts:/%1%2").arg(kModelExperimentPrefix).arg(-e.id));
        }
        return o;
    }

    // "12" or "model-3" -> the experiment (a model's: negative id).
    Result<ExperimentRecord> experiment(const QString &id)
    {
        if (id.startsWith(kModelExperimentPrefix)) {
            bool ok = false;
            const qint64 m = id.mid(kModelExperimentPrefix.size()).toLongLong(&ok);
            if (ok && m > 0)
                return modelExperiment(m);
        } else {
            bool ok = false;
            const qint64 e = id.toLongLong(&ok);
            if (ok && e >= 0) {
                auto r = ExperimentRepository(db).get(e);
                if (r || r.kind() != ErrorKind::NotFound)
                    return r;
            }
        }
        return notFound(QStringLiteral("No Experiment with id=%1 exists").arg(id));
    }

    // --- endpoints (mutex held unless said) ---

    Result<QJsonObject> experimentsCreate(const Params &p)
    {
        auto name = p.required(QStringLiteral("name"));
        if (!name)
            return name.failure();
        if (name->size() > kMaxExperimentNameLength)
            return invalidInput(QStringLiteral("Experiment name exceeds the maximum length of %1 characters").arg(kMaxExperimentNameLength));
        auto tags = p.array(QStringLiteral("tags"));
        if (!tags)
            return tags.failure();
        auto tx = Transaction::begin(db);
        if (!tx)
            return tx.failure();
        Result<qint64> id = ExperimentRepository(db).create(*name, p.text(QStringLiteral("artifact_location")));
        if (!id) {
            if (id.kind() == ErrorKind::Conflict)
                return conflict(QStringLiteral("Experiment '%1' already exists.").arg(*name));
            return id.failure();
        }
        for (const QJsonValue &t : *tags) {
            const QJsonObject o = t.toObject();
            const QString key = paramText(o.value(QLatin1String("key")));
            if (auto s = validateKey(QStringLiteral("Tag"), key); !s)
                return s.failure();
            if (auto s = ExperimentRepository(db).setTag(*id, key, paramText(o.value(QLatin1String("value")))); !s)
                return s.failure();
        }
        if (auto s = tx->commit(); !s)
            return s.failure();
        return QJsonObject{{QStringLiteral("experiment_id"), QString::number(*id)}};
    }

    Result<QJsonObject> experimentsGet(const Params &p)
    {
        auto id = p.required(QStringLiteral("experiment_id"));
        if (!id)
            return id.failure();
        auto e = experiment(*id);
        if (!e)
            return e.failure();
        return QJsonObject{{QStringLiteral("experiment"), anyExperimentJson(*e)}};
    }

    Result<QJsonObject> experimentsGetByName(const Params &p)
    {
        auto name = p.required(QStringLiteral("experiment_name"));
        if (!name)
            return name.failure();
        auto e = ExperimentRepository(db).find(*name);
        if (!e) {
            if (e.kind() == ErrorKind::NotFound)
                return notFound(QStringLiteral("Could not find experiment with name '%1'").arg(*name));
            return e.failure();
        }
        return QJsonObject{{QStringLiteral("experiment"), experimentJson(*e)}};
    }

    static Result<ExperimentRepository::View> viewType(const QString &v)
    {
        const QString u = v.toUpper();
        if (u.isEmpty() || u == u"ACTIVE_ONLY" || u == u"1")
            return ExperimentRepository::View::Active;
        if (u == u"DELETED_ONLY" || u == u"2")
            return ExperimentRepository::View::Deleted;
        if (u == u"ALL" || u == u"3")
            return ExperimentRepository::View::All;
        return invalidInput(QStringLiteral("Invalid view type '%1': ACTIVE_ONLY, DELETED_ONLY or ALL").arg(v));
    }

    Result<QList<ExperimentRecord>> everyExperiment(ExperimentRepository::View view)
    {
        auto list = ExperimentRepository(db).list(view);
        if (!list)
            return list.failure();
        if (view != ExperimentRepository::View::Deleted) {
            auto models = ModelRepository(db).list();
            if (!models)
                return models.failure();
            for (const ModelRecord &m : std::as_const(*models)) {
                auto e = modelExperiment(m.id);
                if (e)
                    *list << *e;
            }
        }
        return list;
    }

    Result<QJsonObject> experimentsSearch(const Params &p, bool legacyList)
    {
        auto view = viewType(p.text(legacyList ? QStringLiteral("view_type") : QStringLiteral("view_type")));
        if (!view)
            return view.failure();
        auto maxResults = p.int64(QStringLiteral("max_results"));
        if (!maxResults)
            return maxResults.failure();
        const qint64 limit = maxResults->value_or(legacyList ? kMaxSearchResults : kDefaultSearchResults);
        if (limit <= 0 || limit > kMaxSearchResults)
            return invalidInput(QStringLiteral("Invalid value %1 for parameter 'max_results' supplied: between 1 and %2").arg(limit).arg(kMaxSearchResults));
        auto offset = decodeToken(p.text(QStringLiteral("page_token")));
        if (!offset)
            return offset.failure();
        auto filter = TrackingFilter::parse(p.text(QStringLiteral("filter")));
        if (!filter)
            return filter.failure();
        auto orderBy = p.array(QStringLiteral("order_by"));
        if (!orderBy)
            return orderBy.failure();
        auto all = everyExperiment(*view);
        if (!all)
            return all.failure();
        // An experiment as the filter sees it: its name, tags and times.
        std::vector<std::pair<TrackingFilter::Run, const ExperimentRecord *>> rows;
        for (const ExperimentRecord &e : std::as_const(*all)) {
            TrackingFilter::Run r;
            r.runName = e.name;
            r.runId = QString::number(e.id);
            r.startTime = toMs(e.createdAt);
            r.endTime = toMs(e.updatedAt);
            for (const auto &[k, v] : e.tags)
                r.tags[k] = v;
            if (filter->matches(r))
                rows.emplace_back(r, &e);
        }
        std::vector<TrackingFilter::Order> orders;
        for (const QJsonValue &o : *orderBy) {
            auto order = TrackingFilter::parseOrder(o.toString());
            if (!order)
                return order.failure();
            orders.push_back(*order);
        }
        if (orders.empty()) { // MLflow's default: the newest change first, then by id
            orders.push_back({TrackingFilter::Entity::Attribute, QStringLiteral("end_time"), false});
        }
        std::stable_sort(rows.begin(), rows.end(), [&](const auto &a, const auto &b) {
            for (const TrackingFilter::Order &o : orders) {
                if (TrackingFilter::before(o, a.first, b.first))
                    return true;
                if (TrackingFilter::before(o, b.first, a.first))
                    return false;
            }
            return a.second->id < b.second->id;
        });
        QJsonArray out;
        for (qint64 i = *offset; i < qint64(rows.size()) && i < *offset + limit; ++i)
            out.append(anyExperimentJson(*rows[size_t(i)].second));
        QJsonObject reply{{QStringLiteral("experiments"), out}};
        if (*offset + limit < qint64(rows.size()))
            reply.insert(QStringLiteral("next_page_token"), QString::fromLatin1(encodeToken(*offset + limit)));
        return reply;
    }

    Result<qint64> ownExperiment(const Params &p)
    {
        auto id = p.required(QStringLiteral("experiment_id"));
        if (!id)
            return id.failure();
        if (id->startsWith(kModelExperimentPrefix))
            return invalidInput(QStringLiteral("Experiment %1 is the workbench's own model: read-only through the tracking API").arg(*id));
        auto e = experiment(*id);
        if (!e)
            return e.failure();
        return e->id;
    }

    Result<QJsonObject> experimentsUpdate(const Params &p)
    {
        auto id = ownExperiment(p);
        if (!id)
            return id.failure();
        auto name = p.required(QStringLiteral("new_name"));
        if (!name)
            return name.failure();
        if (auto s = ExperimentRepository(db).rename(*id, *name); !s) {
            if (s.kind() == ErrorKind::Conflict)
                return conflict(QStringLiteral("Experiment '%1' already exists.").arg(*name));
            return s.failure();
        }
        return QJsonObject{};
    }

    Result<QJsonObject> experimentsDelete(const Params &p, bool deleted)
    {
        auto id = ownExperiment(p);
        if (!id)
            return id.failure();
        if (deleted && *id == ExperimentRepository::kDefaultId)
            return invalidInput(QStringLiteral("Cannot delete the default experiment '0'. This is an internally reserved experiment."));
        if (auto s = ExperimentRepository(db).setDeleted(*id, deleted); !s)
            return s.failure();
        return QJsonObject{};
    }

    Result<QJsonObject> experimentsSetTag(const Params &p)
    {
        auto id = ownExperiment(p);
        if (!id)
            return id.failure();
        auto key = p.required(QStringLiteral("key"));
        if (!key)
            return key.failure();
        if (auto s = validateKey(QStringLiteral("Tag"), *key); !s)
            return s.failure();
        const QString value = p.text(QStringLiteral("value"));
        if (auto s = validateValue(QStringLiteral("Tag"), *key, value, kMaxTagValueLength); !s)
            return s.failure();
        if (auto s = ExperimentRepository(db).setTag(*id, *key, value); !s)
            return s.failure();
        return QJsonObject{};
    }

    Result<QJsonObject> runsCreate(const Params &p)
    {
        const QString experimentText = p.text(QStringLiteral("experiment_id"), QStringLiteral("0"));
        if (experimentText.startsWith(kModelExperimentPrefix))
            return invalidInput(QStringLiteral("Experiment %1 is the workbench's own model: scripts log runs into their own experiments").arg(experimentText));
        auto e = experiment(experimentText);
        if (!e)
            return e.failure();
        if (e->deleted)
            return invalidInput(QStringLiteral("The experiment %1 must be in the 'active' state. Current state is deleted.").arg(experimentText));
        auto tags = p.array(QStringLiteral("tags"));
        if (!tags)
            return tags.failure();
        auto start = p.int64(QStringLiteral("start_time"));
        if (!start)
            return start.failure();
        QList<std::pair<QString, QString>> tagList;
        QString name = p.text(QStringLiteral("run_name"));
        for (const QJsonValue &t : *tags) {
            const QJsonObject o = t.toObject();
            const QString key = paramText(o.value(QLatin1String("key")));
            const QString value = paramText(o.value(QLatin1String("value")));
            if (auto s = validateKey(QStringLiteral("Tag"), key); !s)
                return s.failure();
            if (auto s = validateValue(QStringLiteral("Tag"), key, value, kMaxTagValueLength); !s)
                return s.failure();
            if (key == u"mlflow.runName" && name.isEmpty())
                name = value;
            tagList.append({key, value});
        }
        RunRecord r;
        r.tracked = true;
        r.experimentId = e->id;
        r.status = RunStatus::Running;
        r.user = p.text(QStringLiteral("user_id"));
        r.startedAt = QDateTime::fromMSecsSinceEpoch(start->value_or(QDateTime::currentMSecsSinceEpoch()), Qt::UTC);
        r.createdAt = r.startedAt;
        auto tx = Transaction::begin(db);
        if (!tx)
            return tx.failure();
        RunRepository runs(db);
        Result<qint64> id = runs.create(r);
        if (!id)
            return id.failure();
        if (name.isEmpty()) // as MLflow's server names a run the script did not
            name = QStringLiteral("run-%1").arg(*id);
        if (auto s = runs.rename(*id, name); !s)
            return s.failure();
        bool named = false;
        for (const auto &[k, v] : tagList) {
            if (auto s = runs.setTag(*id, k, k == u"mlflow.runName" ? name : v); !s)
                return s.failure();
            named |= k == u"mlflow.runName";
        }
        if (!named)
            if (auto s = runs.setTag(*id, QStringLiteral("mlflow.runName"), name); !s)
                return s.failure();
        if (auto s = tx->commit(); !s)
            return s.failure();
        auto created = runs.get(*id);
        if (!created)
            return created.failure();
        auto json = runJson(*created);
        if (!json)
            return json.failure();
        return QJsonObject{{QStringLiteral("run"), *json}};
    }

    Result<QJsonObject> runsGet(const Params &p)
    {
        auto id = p.runId();
        if (!id)
            return id.failure();
        auto r = run(*id);
        if (!r)
            return r.failure();
        auto json = runJson(*r);
        if (!json)
            return json.failure();
        return QJsonObject{{QStringLiteral("run"), *json}};
    }

    // The final metrics of an ended run become its summary, as a native run's are.
    Status summarize(qint64 runId)
    {
        auto latest = MetricReader(db).latest({runId});
        if (!latest)
            return latest.failure();
        QJsonObject summary;
        for (const LatestMetric &m : std::as_const(*latest))
            summary.insert(m.key, JsonNumber::from(m.value));
        return RunRepository(db).setSummary(runId, summary);
    }

    Result<QJsonObject> runsUpdate(const Params &p)
    {
        auto r = writableRun(p);
        if (!r)
            return r.failure();
        RunStatus status = r->status;
        if (p.has(QStringLiteral("status"))) {
            const auto s = statusFromMlflow(p.value(QStringLiteral("status")));
            if (!s)
                return invalidInput(QStringLiteral("Invalid value %1 for parameter 'status' supplied: RUNNING, SCHEDULED, FINISHED, FAILED or KILLED")
                                        .arg(Params::show(p.value(QStringLiteral("status")))));
            status = *s;
        }
        auto end = p.int64(QStringLiteral("end_time"));
        if (!end)
            return end.failure();
        const QString name = p.has(QStringLiteral("run_name")) ? p.text(QStringLiteral("run_name")) : QString();
        const bool ends = status == RunStatus::Finished || status == RunStatus::Failed || status == RunStatus::Interrupted;
        if (ends) // the summary is of every point logged before the run ended
            if (auto s = retire(r->id); !s)
                return s.failure();
        auto tx = Transaction::begin(db);
        if (!tx)
            return tx.failure();
        RunRepository runs(db);
        if (auto s = runs.updateTracked(r->id, status, *end ? QDateTime::fromMSecsSinceEpoch(**end, Qt::UTC) : QDateTime(), name); !s)
            return s.failure();
        if (!name.isEmpty())
            if (auto s = runs.setTag(r->id, QStringLiteral("mlflow.runName"), name); !s)
                return s.failure();
        if (ends)
            if (auto s = summarize(r->id); !s)
                return s.failure();
        if (auto s = tx->commit(); !s)
            return s.failure();
        auto updated = runs.get(r->id);
        if (!updated)
            return updated.failure();
        return QJsonObject{{QStringLiteral("run_info"), runInfo(*updated)}};
    }

    Result<QJsonObject> runsDelete(const Params &p, bool deleted)
    {
        auto id = p.runId();
        if (!id)
            return id.failure();
        auto r = run(*id);
        if (!r)
            return r.failure();
        if (!r->tracked)
            return invalidInput(QStringLiteral("Run with id=%1 was trained in the workbench: delete it there").arg(*id));
        if (auto s = RunRepository(db).setDeleted(r->id, deleted); !s)
            return s.failure();
        return QJsonObject{};
    }

    // The param `key` = `value` on a run whose params are `have`: write-once.
    static Status checkParam(const RunRecord &r, const QJsonObject &have, const QString &key, const QString &value)
    {
        if (auto s = validateKey(QStringLiteral("Param"), key); !s)
            return s;
        if (auto s = validateValue(QStringLiteral("Param"), key, value, kMaxParamValueLength); !s)
            return s;
        if (have.contains(key) && paramText(have.value(key)) != value)
            return invalidInput(QStringLiteral("Changing param values is not allowed. Param with key='%1' was already logged with value='%2' for "
                                               "run ID='%3'. Attempted logging new value '%4'.")
                                    .arg(key, paramText(have.value(key)), QString::number(r.id), value));
        return {};
    }

    Status applyTag(const RunRecord &r, const QString &key, const QString &value)
    {
        if (auto s = RunRepository(db).setTag(r.id, key, value); !s)
            return s;
        if (key == u"mlflow.runName" && !value.isEmpty())
            return RunRepository(db).rename(r.id, value);
        return {};
    }

    Result<QJsonObject> runsSetTag(const Params &p)
    {
        auto r = writableRun(p);
        if (!r)
            return r.failure();
        auto key = p.required(QStringLiteral("key"));
        if (!key)
            return key.failure();
        if (auto s = validateKey(QStringLiteral("Tag"), *key); !s)
            return s.failure();
        const QString value = p.text(QStringLiteral("value"));
        if (auto s = validateValue(QStringLiteral("Tag"), *key, value, kMaxTagValueLength); !s)
            return s.failure();
        auto tx = Transaction::begin(db);
        if (!tx)
            return tx.failure();
        if (auto s = applyTag(*r, *key, value); !s)
            return s.failure();
        if (auto s = touch(r->id); !s)
            return s.failure();
        if (auto s = tx->commit(); !s)
            return s.failure();
        return QJsonObject{};
    }

    Result<QJsonObject> runsDeleteTag(const Params &p)
    {
        auto r = writableRun(p);
        if (!r)
            return r.failure();
        auto key = p.required(QStringLiteral("key"));
        if (!key)
            return key.failure();
        if (auto s = RunRepository(db).deleteTag(r->id, *key); !s) {
            if (s.kind() == ErrorKind::NotFound)
                return notFound(QStringLiteral("No tag with name: %1 in run with id %2").arg(*key, QString::number(r->id)));
            return s.failure();
        }
        return QJsonObject{};
    }

    Result<QJsonObject> runsLogParameter(const Params &p)
    {
        auto r = writableRun(p);
        if (!r)
            return r.failure();
        auto key = p.required(QStringLiteral("key"));
        if (!key)
            return key.failure();
        const QString value = p.text(QStringLiteral("value"));
        if (auto s = checkParam(*r, r->hyperparams, *key, value); !s)
            return s.failure();
        if (!r->hyperparams.contains(*key)) {
            QJsonObject params = r->hyperparams;
            params.insert(*key, value);
            if (auto s = RunRepository(db).setHyperparams(r->id, params); !s)
                return s.failure();
        }
        if (auto s = touch(r->id); !s)
            return s.failure();
        return QJsonObject{};
    }

    Result<QJsonObject> runsLogInputs(const Params &p)
    {
        auto r = writableRun(p);
        if (!r)
            return r.failure();
        auto datasets = p.array(QStringLiteral("datasets"));
        if (!datasets)
            return datasets.failure();
        QJsonArray inputs = r->inputs;
        for (const QJsonValue &d : *datasets) {
            if (!d.isObject() || !d.toObject().value(QLatin1String("dataset")).isObject())
                return invalidInput(QStringLiteral("Invalid value %1 for parameter 'datasets' supplied: each entry is {\"dataset\": {...}, \"tags\": [...]}")
                                        .arg(Params::show(d)));
            if (!inputs.contains(d))
                inputs.append(d);
        }
        if (auto s = RunRepository(db).setInputs(r->id, inputs); !s)
            return s.failure();
        return QJsonObject{};
    }

    Result<QJsonObject> runsLogModel(const Params &p)
    {
        auto r = writableRun(p);
        if (!r)
            return r.failure();
        auto modelJson = p.required(QStringLiteral("model_json"));
        if (!modelJson)
            return modelJson.failure();
        QJsonParseError error;
        const QJsonDocument model = QJsonDocument::fromJson(modelJson->toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !model.isObject())
            return invalidInput(QStringLiteral("Invalid value for parameter 'model_json' supplied: not a JSON object (%1)").arg(error.errorString()));
        // As MLflow's stores keep it: the tag mlflow.log-model.history, a list of every model logged.
        auto tags = RunRepository(db).tags(r->id);
        if (!tags)
            return tags.failure();
        QJsonArray history;
        for (const auto &[k, v] : std::as_const(*tags))
            if (k == u"mlflow.log-model.history")
                history = QJsonDocument::fromJson(v.toUtf8()).array();
        history.append(model.object());
        if (auto s = RunRepository(db).setTag(r->id, QStringLiteral("mlflow.log-model.history"),
                                              QString::fromUtf8(QJsonDocument(history).toJson(QJsonDocument::Compact)));
            !s)
            return s.failure();
        return QJsonObject{};
    }

    Result<QJsonObject> metricsGetHistory(const Params &p)
    {
        auto id = p.runId();
        if (!id)
            return id.failure();
        auto r = run(*id);
        if (!r)
            return r.failure();
        auto key = p.required(QStringLiteral("metric_key"));
        if (!key)
            return key.failure();
        auto maxResults = p.int64(QStringLiteral("max_results"));
        if (!maxResults)
            return maxResults.failure();
        auto offset = decodeToken(p.text(QStringLiteral("page_token")));
        if (!offset)
            return offset.failure();
        auto points = MetricReader(db).history(r->id, *key);
        if (!points)
            return points.failure();
        const qint64 limit = maxResults->value_or(qint64(points->size()) + 1);
        if (limit <= 0)
            return invalidInput(QStringLiteral("Invalid value %1 for parameter 'max_results' supplied").arg(limit));
        QJsonArray out;
        for (qint64 i = *offset; i < qint64(points->size()) && i < *offset + limit; ++i) {
            const MetricPoint &m = (*points)[size_t(i)];
            out.append(metricJson(*key, m.value, qint64(std::llround(m.wall * 1000.0)), m.step));
        }
        QJsonObject reply{{QStringLiteral("metrics"), out}};
        if (*offset + limit < qint64(points->size()))
            reply.insert(QStringLiteral("next_page_token"), QString::fromLatin1(encodeToken(*offset + limit)));
        return reply;
    }

    // --- runs/search ---

    Result<QJsonObject> runsSearch(const Params &p)
    {
        auto experiments = p.array(QStringLiteral("experiment_ids"));
        if (!experiments)
            return experiments.failure();
        auto filter = TrackingFilter::parse(p.text(QStringLiteral("filter")));
        if (!filter)
            return filter.failure();
        const QString view = p.text(QStringLiteral("run_view_type"), QStringLiteral("ACTIVE_ONLY")).toUpper();
        if (view != u"ACTIVE_ONLY" && view != u"DELETED_ONLY" && view != u"ALL" && view != u"1" && view != u"2" && view != u"3")
            return invalidInput(QStringLiteral("Invalid value '%1' for parameter 'run_view_type' supplied: ACTIVE_ONLY, DELETED_ONLY or ALL").arg(view));
        const bool wantActive = view != u"DELETED_ONLY" && view != u"2";
        const bool wantDeleted = view == u"DELETED_ONLY" || view == u"ALL" || view == u"2" || view == u"3";
        auto maxResults = p.int64(QStringLiteral("max_results"));
        if (!maxResults)
            return maxResults.failure();
        const qint64 limit = maxResults->value_or(kDefaultSearchResults);
        if (limit <= 0 || limit > kMaxSearchResults)
            return invalidInput(QStringLiteral("Invalid value %1 for parameter 'max_results' supplied. It must be at most %2, but got value %1")
                                    .arg(limit)
                                    .arg(kMaxSearchResults));
        auto offset = decodeToken(p.text(QStringLiteral("page_token")));
        if (!offset)
            return offset.failure();
        auto orderBy = p.array(QStringLiteral("order_by"));
        if (!orderBy)
            return orderBy.failure();
        std::vector<TrackingFilter::Order> orders;
        for (const QJsonValue &o : *orderBy) {
            auto order = TrackingFilter::parseOrder(paramText(o));
            if (!order)
                return order.failure();
            orders.push_back(*order);
        }
        // MLflow's default and tie-breakers: the newest start first, then by run id.
        orders.push_back({TrackingFilter::Entity::Attribute, QStringLiteral("start_time"), false});

        RunRepository runs(db);
        QList<RunRecord> found;
        for (const QJsonValue &e : *experiments) {
            const QString id = paramText(e);
            auto ex = experiment(id);
            if (!ex)
                return ex.failure();
            Result<QList<RunRecord>> list = ex->id < 0 ? runs.list(-ex->id) : runs.listForExperiment(ex->id, true);
            if (!list)
                return list.failure();
            for (const RunRecord &r : std::as_const(*list)) {
                const bool deleted = r.deletedAt.isValid();
                if ((deleted && wantDeleted) || (!deleted && wantActive))
                    found << r;
            }
        }
        QList<qint64> ids;
        for (const RunRecord &r : std::as_const(found))
            ids << r.id;
        Result<QList<LatestMetric>> latest = ids.isEmpty() ? Result<QList<LatestMetric>>(QList<LatestMetric>()) : MetricReader(db).latest(ids);
        if (!latest)
            return latest.failure();
        std::unordered_map<qint64, std::map<QString, double>> metricsByRun;
        for (const LatestMetric &m : std::as_const(*latest))
            metricsByRun[m.runId][m.key] = m.value;

        struct Row {
            TrackingFilter::Run view;
            const RunRecord *run;
        };
        std::vector<Row> rows;
        for (const RunRecord &r : std::as_const(found)) {
            TrackingFilter::Run v;
            v.runId = QString::number(r.id);
            v.runName = r.name;
            v.status = mlflowStatus(r.status);
            v.userId = r.user;
            v.artifactUri = artifactUri(r);
            v.lifecycleStage = r.deletedAt.isValid() ? QStringLiteral("deleted") : QStringLiteral("active");
            v.startTime = toMs(r.startedAt.isValid() ? r.startedAt : r.createdAt);
            if (r.finishedAt.isValid())
                v.endTime = toMs(r.finishedAt);
            v.metrics = metricsByRun[r.id];
            for (auto it = r.hyperparams.begin(); it != r.hyperparams.end(); ++it)
                v.params[it.key()] = paramText(it.value());
            auto tags = tagsOf(r);
            if (!tags)
                return tags.failure();
            for (const auto &[k, val] : std::as_const(*tags))
                v.tags[k] = val;
            if (filter->matches(v))
                rows.push_back(Row{std::move(v), &r});
        }
        std::stable_sort(rows.begin(), rows.end(), [&](const Row &a, const Row &b) {
            for (const TrackingFilter::Order &o : orders) {
                if (TrackingFilter::before(o, a.view, b.view))
                    return true;
                if (TrackingFilter::before(o, b.view, a.view))
                    return false;
            }
            return a.run->id < b.run->id;
        });
        QJsonArray out;
        for (qint64 i = *offset; i < qint64(rows.size()) && i < *offset + limit; ++i) {
            auto json = runJson(*rows[size_t(i)].run, &*latest);
            if (!json)
                return json.failure();
            out.append(*json);
        }
        QJsonObject reply{{QStringLiteral("runs"), out}};
        if (*offset + limit < qint64(rows.size()))
            reply.insert(QStringLiteral("next_page_token"), QString::fromLatin1(encodeToken(*offset + limit)));
        return reply;
    }

    // --- artifacts ---

    // "EXPERIMENT/RUN/artifacts[/PATH]" -> the run and PATH.
    Result<std::pair<RunRecord, QString>> artifactTarget(const QString &path)
    {
        const QStringList parts = path.split(u'/');
        if (parts.size() < 3 || parts[2] != u"artifacts")
            return notFound(QStringLiteral("No artifact at '%1': artifact paths are EXPERIMENT/RUN/artifacts/PATH").arg(path));
        auto r = run(parts[1]);
        if (!r)
            return r.failure();
        if (experimentIdOf(*r) != parts[0])
            return notFound(QStringLiteral("Run %1 is not in experiment %2").arg(parts[1], parts[0]));
        QString rest = parts.mid(3).join(u'/');
        while (rest.endsWith(u'/'))
            rest.chop(1);
        if (rest.split(u'/').contains(QStringLiteral("..")))
            return invalidInput(QStringLiteral("Invalid artifact path '%1': '..' is not allowed").arg(path));
        return std::pair{*r, rest};
    }

    Result<QJsonObject> listArtifacts(const RunRecord &r, const QString &dir)
    {
        auto all = RunRepository(db).artifacts(r.id);
        if (!all)
            return all.failure();
        const QString prefix = dir.isEmpty() ? QString() : dir + u'/';
        std::map<QString, std::pair<bool, qint64>> entries; // path -> (is dir, size)
        for (const ArtifactInfo &a : std::as_const(*all)) {
            if (!prefix.isEmpty() && !a.name.startsWith(prefix))
                continue;
            const QString rest = a.name.mid(prefix.size());
            const qsizetype slash = rest.indexOf(u'/');
            if (slash < 0)
                entries[prefix + rest] = {false, a.size};
            else
                entries[prefix + rest.left(slash)] = {true, 0};
        }
        QJsonArray files;
        for (const auto &[path, e] : entries) {
            QJsonObject f{{QStringLiteral("path"), path}, {QStringLiteral("is_dir"), e.first}};
            if (!e.first)
                f.insert(QStringLiteral("file_size"), e.second);
            files.append(f);
        }
        return QJsonObject{{QStringLiteral("root_uri"), artifactUri(r)}, {QStringLiteral("files"), files}};
    }

    Result<QJsonObject> artifactsList(const Params &p)
    {
        auto id = p.runId();
        if (!id)
            return id.failure();
        auto r = run(*id);
        if (!r)
            return r.failure();
        QString dir = p.text(QStringLiteral("path"));
        while (dir.endsWith(u'/'))
            dir.chop(1);
        return listArtifacts(*r, dir);
    }
};

TrackingService::TrackingService(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}

TrackingService::~TrackingService()
{
    // close() (TrackingServer::stop) reports a failure to its caller; one left for here is logged.
    if (d)
        if (Status s = d->closeAll(); !s)
            qCWarning(lcServe) << "tracking endpoint: metric points not written:" << s.error();
}

Result<std::unique_ptr<TrackingService>> TrackingService::open(const QString &projectPath, Options options)
{
    auto impl = std::make_unique<Impl>();
    impl->path = projectPath;
    impl->options = std::move(options);
    Result<Database> db = WorkerConnection::open(projectPath, WorkerConnection::Access::Write);
    if (!db)
        return db.failure();
    impl->db = std::move(*db);
    if (impl->options.writers == Writers::Shared) {
        Result<std::unique_ptr<MetricLogger>> logger = MetricLogger::open(projectPath);
        if (!logger)
            return logger.failure();
        impl->logger = std::shared_ptr<MetricLogger>(std::move(*logger));
    }
    return std::unique_ptr<TrackingService>(new TrackingService(std::move(impl)));
}

Status TrackingService::close()
{
    return d->closeAll();
}

Result<int> TrackingService::liveRuns(qint64 withinMs)
{
    std::lock_guard lock(d->mutex);
    auto st = d->db.prepare(QStringLiteral("SELECT count(*) FROM run WHERE origin = 'tracking' AND status = 'running' AND deleted_at IS NULL "
                                           "AND heartbeat_at >= ?1"));
    if (!st)
        return st.failure();
    st->bind(1, nowSeconds() - double(withinMs) / 1000.0);
    auto row = st->step();
    if (!row)
        return row.failure();
    return int(st->columnInt(0));
}

HttpResponse TrackingService::handle(const HttpRequest &request)
{
    m_requests.fetch_add(1, std::memory_order_relaxed);
    if (!d->options.token.isEmpty()) {
        const auto header = request.header("authorization");
        if (!header || !BearerToken::matches(*header, d->options.token))
            return apiError(401, QStringLiteral("UNAUTHENTICATED"),
                            header ? QStringLiteral("the token is wrong") : QStringLiteral("this server needs a token: set MLFLOW_TRACKING_TOKEN"));
    }
    const std::string &path = request.path;
    const std::string &method = request.method;
    if (path == "/health")
        return HttpResponse{200, "OK", "text/plain", {}, {}, {}};
    if (path == "/version")
        return HttpResponse{200, "2.9.2", "text/plain", {}, {}, {}};

    // --- the proxied artifact API: bytes, not JSON ---
    static const std::string kArtifacts = "/api/2.0/mlflow-artifacts/artifacts";
    if (path.rfind(kArtifacts, 0) == 0) {
        QString rest = QString::fromStdString(path.substr(kArtifacts.size()));
        if (rest.startsWith(u'/'))
            rest.remove(0, 1);
        std::lock_guard lock(d->mutex);
        if (rest.isEmpty()) {
            if (method != "GET")
                return apiError(405, QStringLiteral("ENDPOINT_NOT_FOUND"), QStringLiteral("%1 %2: list artifacts with GET").arg(QString::fromStdString(method), QString::fromStdString(kArtifacts)));
            QString dir = request.queryValue("path");
            auto target = d->artifactTarget(dir);
            if (!target)
                return errorResponse(target.failure());
            auto listed = d->listArtifacts(target->first, target->second);
            if (!listed)
                return errorResponse(listed.failure());
            // Paths relative to the listed folder, as MLflow's artifact server gives them.
            QJsonArray files;
            const QString prefix = target->second.isEmpty() ? QString() : target->second + u'/';
            for (const QJsonValue &f : listed->value(QLatin1String("files")).toArray()) {
                QJsonObject o = f.toObject();
                o.insert(QStringLiteral("path"), o.value(QLatin1String("path")).toString().mid(prefix.size()));
                files.append(o);
            }
            return HttpResponse::json(200, QJsonObject{{QStringLiteral("files"), files}});
        }
        auto target = d->artifactTarget(rest);
        if (!target)
            return errorResponse(target.failure());
        const RunRecord &run = target->first;
        const QString &file = target->second;
        if (method == "PUT" || method == "POST") {
            if (!run.tracked)
                return apiError(400, kInvalid, QStringLiteral("Run %1 was trained in the workbench: its artifacts are read-only").arg(run.id));
            if (run.deletedAt.isValid())
                return apiError(400, kInvalid, QStringLiteral("The run %1 must be in the 'active' state. Current state is deleted.").arg(run.id));
            if (file.isEmpty())
                return apiError(400, kInvalid, QStringLiteral("an artifact upload names a file: EXPERIMENT/RUN/artifacts/PATH"));
            if (qint64(request.body.size()) > d->options.maxArtifactBytes)
                return apiError(400, kInvalid, QStringLiteral("artifact %1 has %2 bytes, over this server's limit of %3").arg(file, QString::number(request.body.size()), QString::number(d->options.maxArtifactBytes)));
            const QString mime = QMimeDatabase().mimeTypeForFile(file, QMimeDatabase::MatchExtension).name();
            if (auto s = RunRepository(d->db).saveArtifact(run.id, file, mime, QByteArray::fromStdString(request.body)); !s)
                return errorResponse(s.failure());
            if (auto s = d->touch(run.id); !s)
                return errorResponse(s.failure());
            return HttpResponse::json(200, QJsonObject{});
        }
        if (method == "GET" || method == "HEAD") {
            auto data = RunRepository(d->db).artifact(run.id, file);
            if (!data) {
                if (data.kind() == ErrorKind::NotFound || data.error().contains(QLatin1String("no artifact")))
                    return apiError(404, kMissing, QStringLiteral("No artifact %1 in run %2").arg(file, QString::number(run.id)));
                return errorResponse(data.failure());
            }
            return HttpResponse{200, data->toStdString(), "application/octet-stream", {}, {}, {}};
        }
        if (method == "DELETE") {
            if (!run.tracked)
                return apiError(400, kInvalid, QStringLiteral("Run %1 was trained in the workbench: its artifacts are read-only").arg(run.id));
            auto st = d->db.prepare(QStringLiteral("DELETE FROM artifact WHERE run_id = ?1 AND (name = ?2 OR name LIKE ?3 ESCAPE '\\')"));
            if (!st)
                return errorResponse(st.failure());
            QString like = file;
            like.replace(u'\\', QStringLiteral("\\\\")).replace(u'%', QStringLiteral("\\%")).replace(u'_', QStringLiteral("\\_"));
            st->bind(1, run.id).bind(2, file).bind(3, like + QStringLiteral("/%"));
            if (auto s = st->run(); !s)
                return errorResponse(s.failure());
            return HttpResponse::json(200, QJsonObject{});
        }
        return apiError(405, QStringLiteral("ENDPOINT_NOT_FOUND"), QStringLiteral("%1 is not a method of the artifact API").arg(QString::fromStdString(method)));
    }

    // --- the tracking API: JSON ---
    std::string endpoint;
    for (const char *prefix : {"/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/", "/api/2.0/preview/mlflow/"}) {
        const std::string p(prefix);
        if (path.rfind(p, 0) == 0) {
            endpoint = path.substr(p.size());
            break;
        }
    }
    if (endpoint.empty())
        return apiError(404, QStringLiteral("ENDPOINT_NOT_FOUND"),
                        QStringLiteral("%1 %2 is not an endpoint of this server (the MLflow tracking API is under /api/2.0/mlflow/)")
                            .arg(QString::fromStdString(method), QString::fromStdString(path)));

    QJsonObject fields;
    for (const auto &[k, v] : request.query)
        fields.insert(QString::fromStdString(k), QString::fromStdString(v));
    if (!request.body.empty()) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(request.body.data(), qsizetype(request.body.size())), &error);
        if (error.error != QJsonParseError::NoError)
            return apiError(400, kInvalid, QStringLiteral("Malformed request body: %1 at offset %2").arg(error.errorString(), QString::number(error.offset)));
        if (!doc.isObject())
            return apiError(400, kInvalid, QStringLiteral("Malformed request body: a JSON object is expected"));
        const QJsonObject body = doc.object();
        for (auto it = body.begin(); it != body.end(); ++it)
            fields.insert(it.key(), it.value());
    }
    const Params p(fields);
    const bool get = method == "GET" || method == "HEAD";
    const bool post = method == "POST" || method == "PATCH" || method == "PUT";

    auto answer = [](const Result<QJsonObject> &r) { return r ? HttpResponse::json(200, *r) : errorResponse(r.failure()); };
    auto wrongMethod = [&](const char *allowed) {
        return apiError(405, QStringLiteral("ENDPOINT_NOT_FOUND"),
                        QStringLiteral("%1 takes %2, not %3").arg(QString::fromStdString(endpoint), QLatin1String(allowed), QString::fromStdString(method)));
    };

    // Metric points: validated under the lock, then handed to the logger and committed before
    // the answer (a 200 means the points are in the file), outside it so that requests of
    // concurrent scripts share a commit.
    if (endpoint == "runs/log-metric" || endpoint == "runs/log-batch") {
        if (!post)
            return wrongMethod("POST");
        const bool batch = endpoint == "runs/log-batch";
        std::vector<Metric> metrics;
        qint64 runId = 0;
        {
            std::lock_guard lock(d->mutex);
            auto r = d->writableRun(p);
            if (!r)
                return errorResponse(r.failure());
            runId = r->id;
            QJsonArray metricList, paramList, tagList;
            if (batch) {
                if (qint64(request.body.size()) > kMaxBatchBytes)
                    return apiError(400, kInvalid, QStringLiteral("Batched logging API requests must be at most %1 bytes, got a request of %2 bytes")
                                                       .arg(kMaxBatchBytes)
                                                       .arg(request.body.size()));
                auto m = p.array(QStringLiteral("metrics"));
                auto pa = p.array(QStringLiteral("params"));
                auto t = p.array(QStringLiteral("tags"));
                for (const auto *x : {&m, &pa, &t})
                    if (!*x)
                        return errorResponse(x->failure());
                metricList = *m;
                paramList = *pa;
                tagList = *t;
                if (metricList.size() > kMaxMetricsPerBatch)
                    return apiError(400, kInvalid, QStringLiteral("A batch logging request can contain at most %1 metrics. Got %2 metrics.")
                                                       .arg(kMaxMetricsPerBatch)
                                                       .arg(metricList.size()));
                if (paramList.size() > kMaxParamsTagsPerBatch)
                    return apiError(400, kInvalid, QStringLiteral("A batch logging request can contain at most %1 params. Got %2 params.")
                                                       .arg(kMaxParamsTagsPerBatch)
                                                       .arg(paramList.size()));
                if (tagList.size() > kMaxParamsTagsPerBatch)
                    return apiError(400, kInvalid, QStringLiteral("A batch logging request can contain at most %1 tags. Got %2 tags.")
                                                       .arg(kMaxParamsTagsPerBatch)
                                                       .arg(tagList.size()));
                const qsizetype entities = metricList.size() + paramList.size() + tagList.size();
                if (entities > kMaxEntitiesPerBatch)
                    return apiError(400, kInvalid, QStringLiteral("A batch logging request can contain at most %1 metrics, params and tags in total. Got %2.")
                                                       .arg(kMaxEntitiesPerBatch)
                                                       .arg(entities));
            } else {
                metricList.append(fields);
            }
            metrics.reserve(size_t(metricList.size()));
            for (const QJsonValue &v : std::as_const(metricList)) {
                if (!v.isObject())
                    return apiError(400, kInvalid, QStringLiteral("Invalid value %1 in 'metrics': each is {key, value, timestamp, step}").arg(Params::show(v)));
                auto m = readMetric(v.toObject());
                if (!m)
                    return errorResponse(m.failure());
                metrics.push_back(*m);
            }
            // Params and tags: all checked before any is written, then written together.
            QJsonObject params = r->hyperparams;
            std::vector<std::pair<QString, QString>> newParams, tags;
            for (const QJsonValue &v : std::as_const(paramList)) {
                const QJsonObject o = v.toObject();
                const QString key = paramText(o.value(QLatin1String("key")));
                const QString value = paramText(o.value(QLatin1String("value")));
                if (auto s = Impl::checkParam(*r, params, key, value); !s)
                    return errorResponse(s.failure());
                if (!params.contains(key)) {
                    params.insert(key, value);
                    newParams.emplace_back(key, value);
                }
            }
            for (const QJsonValue &v : std::as_const(tagList)) {
                const QJsonObject o = v.toObject();
                const QString key = paramText(o.value(QLatin1String("key")));
                const QString value = paramText(o.value(QLatin1String("value")));
                if (auto s = validateKey(QStringLiteral("Tag"), key); !s)
                    return errorResponse(s.failure());
                if (auto s = validateValue(QStringLiteral("Tag"), key, value, kMaxTagValueLength); !s)
                    return errorResponse(s.failure());
                tags.emplace_back(key, value);
            }
            auto tx = Transaction::begin(d->db);
            if (!tx)
                return errorResponse(tx.failure());
            if (!newParams.empty())
                if (auto s = RunRepository(d->db).setHyperparams(r->id, params); !s)
                    return errorResponse(s.failure());
            for (const auto &[k, v] : tags)
                if (auto s = d->applyTag(*r, k, v); !s)
                    return errorResponse(s.failure());
            if (auto s = d->touch(r->id); !s)
                return errorResponse(s.failure());
            if (auto s = tx->commit(); !s)
                return errorResponse(s.failure());
        }
        if (!metrics.empty()) {
            Result<std::shared_ptr<MetricLogger>> writer = d->writerFor(runId);
            if (!writer)
                return errorResponse(writer.failure());
            for (const Metric &m : metrics)
                (*writer)->log(runId, (*writer)->key(m.key), m.step, m.value, double(m.timestamp) / 1000.0);
            if (auto s = (*writer)->flush(); !s)
                return errorResponse(s.failure());
            m_points.fetch_add(qint64(metrics.size()), std::memory_order_relaxed);
        }
        return HttpResponse::json(200, QJsonObject{});
    }

    struct Route {
        const char *name;
        bool isGet; // GET (queries) or POST (changes); runs/search and experiments/search take both
        std::function<Result<QJsonObject>()> call;
    };
    const Route routes[] = {
        {"experiments/create", false, [&] { return d->experimentsCreate(p); }},
        {"experiments/get", true, [&] { return d->experimentsGet(p); }},
        {"experiments/get-by-name", true, [&] { return d->experimentsGetByName(p); }},
        {"experiments/search", false, [&] { return d->experimentsSearch(p, false); }},
        {"experiments/list", true, [&] { return d->experimentsSearch(p, true); }},
        {"experiments/update", false, [&] { return d->experimentsUpdate(p); }},
        {"experiments/delete", false, [&] { return d->experimentsDelete(p, true); }},
        {"experiments/restore", false, [&] { return d->experimentsDelete(p, false); }},
        {"experiments/set-experiment-tag", false, [&] { return d->experimentsSetTag(p); }},
        {"runs/create", false, [&] { return d->runsCreate(p); }},
        {"runs/get", true, [&] { return d->runsGet(p); }},
        {"runs/update", false, [&] { return d->runsUpdate(p); }},
        {"runs/delete", false, [&] { return d->runsDelete(p, true); }},
        {"runs/restore", false, [&] { return d->runsDelete(p, false); }},
        {"runs/search", false, [&] { return d->runsSearch(p); }},
        {"runs/log-parameter", false, [&] { return d->runsLogParameter(p); }},
        {"runs/set-tag", false, [&] { return d->runsSetTag(p); }},
        {"runs/delete-tag", false, [&] { return d->runsDeleteTag(p); }},
        {"runs/log-inputs", false, [&] { return d->runsLogInputs(p); }},
        {"runs/log-model", false, [&] { return d->runsLogModel(p); }},
        {"metrics/get-history", true, [&] { return d->metricsGetHistory(p); }},
        {"artifacts/list", true, [&] { return d->artifactsList(p); }},
    };
    for (const Route &route : routes) {
        if (endpoint != route.name)
            continue;
        const bool searching = endpoint == "runs/search" || endpoint == "experiments/search";
        if (route.isGet && !get)
            return wrongMethod("GET");
        if (!route.isGet && !post && !(searching && get))
            return wrongMethod("POST");
        std::lock_guard lock(d->mutex);
        return answer(route.call());
    }
    return apiError(404, QStringLiteral("ENDPOINT_NOT_FOUND"),
                    QStringLiteral("%1 is not an endpoint of the MLflow tracking API 2.0 this server knows").arg(QString::fromStdString(endpoint)));
}

} // namespace mlwb
