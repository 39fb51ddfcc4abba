// SPDX-License-Identifier: MIT
#include "serve/agent_service.h"

#include "common/bearer_token.h"

#include "serve/model_registry.h"
#include "serve/oip_request.h"
#include "serve/oip_response.h"
#include "serve/payload_log.h"
#include "serve/recent_requests.h"
#include "serve/serve_metrics.h"

#include <QDateTime>

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <memory>

namespace mlwb {

namespace {

using Clock = std::chrono::steady_clock;

QStringList pathParts(const std::string &path)
{
    return QString::fromStdString(path).split(QLatin1Char('/'), Qt::SkipEmptyParts);
}

double secondsSince(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

int refusalStatus(const ModelRegistry::Refusal &r)
{
    if (r.smokeFailed)
        return 422;
    switch (r.error.kind) {
    case ErrorKind::Unauthorized: return 403;
    case ErrorKind::Conflict: return 409;
    case ErrorKind::InvalidInput:
    case ErrorKind::Corrupt:
    case ErrorKind::NotFound: return 400;
    default: return 500;
    }
}

HttpResponse fromResult(const Result<QJsonObject> &r)
{
    if (r)
        return HttpResponse::json(200, *r);
    return HttpResponse::error(httpStatus(r.kind()), r.error());
}

} // namespace

AgentService::AgentService(ModelRegistry &registry, ServeMetrics &metrics, Options options)
    : m_registry(registry), m_metrics(metrics), m_options(std::move(options)), m_manager([this] { manageLoop(); })
{
}

AgentService::~AgentService()
{
    {
        std::lock_guard lock(m_manageMutex);
        m_manageStop = true;
    }
    m_manageWake.notify_all();
    m_manager.join();
}

void AgentService::manageLoop()
{
    // Serving threads come first: an upload's verification, load and warm-up run when the
    // serving threads leave a core idle (SCHED_IDLE), else at the lowest nice level. At nice 10
    // (a tenth of a serving thread's share) a swap under load still doubled the p99.
    ::pthread_setname_np(::pthread_self(), "mlwb-upload"); // as top -H and perf show it
    sched_param idle{};
    if (::pthread_setschedparam(::pthread_self(), SCHED_IDLE, &idle) != 0)
        ::setpriority(PRIO_PROCESS, pid_t(::syscall(SYS_gettid)), 19);
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(m_manageMutex);
            m_manageWake.wait(lock, [this] { return m_manageStop || !m_manageQueue.empty(); });
            if (m_manageQueue.empty())
                return;
            task = std::move(m_manageQueue.front());
            m_manageQueue.pop_front();
        }
        task();
    }
}

bool AgentService::tokenMatches(const std::string &header, const QByteArray &token)
{
    return BearerToken::matches(header, token);
}

void AgentService::handle(HttpRequest request, Done done)
{
    const Clock::time_point started = Clock::now();
    const QStringList parts = pathParts(request.path);
    const bool get = request.method == "GET" || request.method == "HEAD";
    const bool post = request.method == "POST";
    auto answer = [&](HttpResponse response) {
        m_metrics.recordRequest(QString(), QString(), response.status, secondsSince(started));
        done(std::move(response));
    };

    if (parts.value(0) == QLatin1String("metrics") && parts.size() == 1) {
        if (!get)
            return answer(HttpResponse::error(405, QStringLiteral("/metrics answers GET")));
        std::map<QString, qint64> depth;
        for (const std::shared_ptr<ServedModel> &m : m_registry.loaded())
            depth[m->name()] += m->batcher() ? m->batcher()->depth() : 0;
        for (const auto &[model, n] : depth)
            m_metrics.setQueueDepth(model, n);
        HttpResponse r{200, m_metrics.render().toStdString(), "text/plain; version=0.0.4; charset=utf-8", {}};
        return done(std::move(r)); // not counted: a scrape is not a request to the models
    }

    if (parts.value(0) == QLatin1String("mlwb")) {
        if (!tokenMatches(request.header("authorization").value_or(std::string()), m_options.token))
            return answer(HttpResponse::error(401, QStringLiteral("the management API needs the agent's token (Authorization: Bearer ...)")));
        // A read of what is in memory: answered here, not behind the uploads on the idle-priority
        // management thread (which a loaded agent gives no CPU).
        if (parts.size() == 5 && parts[1] == QLatin1String("v1") && parts[2] == QLatin1String("models") &&
            parts[4] == QLatin1String("recent"))
            return answer(get ? recent(request, parts[3]) : HttpResponse::error(405, QStringLiteral("recent answers GET")));
        // Moved, not copied: an upload's body is the package, and copying it took this HTTP thread
        // 1 to 2 ms while its other connections waited (bench_agent's swap).
        auto task = [this, request = std::move(request), parts, started, done = std::move(done)] {
            HttpResponse response = manage(request, parts);
            m_metrics.recordRequest(QString(), QString(), response.status, secondsSince(started));
            done(std::move(response));
        };
        std::lock_guard lock(m_manageMutex);
        m_manageQueue.push_back(std::move(task));
        m_manageWake.notify_one();
        return;
    }

    if (parts.value(0) != QLatin1String("v2"))
        return answer(HttpResponse::error(404, QStringLiteral("no such path: %1 (the API is under /v2)").arg(QString::fromStdString(request.path))));
    if (m_options.inferenceNeedsToken &&
        !tokenMatches(request.header("authorization").value_or(std::string()), m_options.token))
        return answer(HttpResponse::error(401, QStringLiteral("this agent needs its token on every call (Authorization: Bearer ...)")));

    if (parts.size() == 1) {
        if (!get)
            return answer(HttpResponse::error(405, QStringLiteral("/v2 answers GET")));
        return answer(HttpResponse::json(200, QJsonObject{{QStringLiteral("name"), QStringLiteral("mlwb-agent")},
                                                          {QStringLiteral("version"), m_options.version},
                                                          {QStringLiteral("extensions"), QJsonArray{QStringLiteral("binary_tensor_data")}}}));
    }
    if (parts.value(1) == QLatin1String("health") && parts.size() == 3) {
        if (!get)
            return answer(HttpResponse::error(405, QStringLiteral("health answers GET")));
        if (parts[2] == QLatin1String("live"))
            return answer(HttpResponse::json(200, QJsonObject{{QStringLiteral("live"), true}}));
        if (parts[2] == QLatin1String("ready")) {
            const bool ready = !m_draining && m_registry.ready();
            return answer(HttpResponse::json(ready ? 200 : 503, QJsonObject{{QStringLiteral("ready"), ready}}));
        }
    }
    if (parts.value(1) == QLatin1String("models") && parts.size() >= 3) {
        const QString model = parts[2];
        QString version;
        qsizetype next = 3;
        if (parts.value(3) == QLatin1String("versions")) {
            if (parts.size() < 5)
                return answer(HttpResponse::error(404, QStringLiteral("no version in the path")));
            version = parts[4];
            next = 5;
        }
        const QString action = parts.value(next);
        if (parts.size() > next + 1)
            return answer(HttpResponse::error(404, QStringLiteral("no such path: %1").arg(QString::fromStdString(request.path))));
        if (action == QLatin1String("infer")) {
            if (!post)
                return answer(HttpResponse::error(405, QStringLiteral("infer answers POST")));
            return infer(request, model, version, std::move(done), started);
        }
        if (!get)
            return answer(HttpResponse::error(405, QStringLiteral("model metadata answers GET")));
        ModelRegistry::Routed routed = m_registry.route(model, version, nullptr);
        if (!routed.model && !(action == QLatin1String("ready") && routed.status == 503))
            return answer(HttpResponse::error(routed.status, routed.error));
        if (action.isEmpty())
            return answer(HttpResponse::json(200, routed.model->metadata()));
        if (action == QLatin1String("ready")) {
            const bool ready = routed.model && !m_draining;
            return answer(HttpResponse::json(ready ? 200 : 503, QJsonObject{{QStringLiteral("name"), model}, {QStringLiteral("ready"), ready}}));
        }
    }
    return answer(HttpResponse::error(404, QStringLiteral("no such path: %1").arg(QString::fromStdString(request.path))));
}

void AgentService::infer(const HttpRequest &request, const QString &model, const QString &version, Done done,
                         Clock::time_point started)
{
    std::optional<qint64> jsonLength;
    if (const auto h = request.header("inference-header-content-length")) {
        bool ok = false;
        const qint64 n = QByteArray::fromStdString(*h).trimmed().toLongLong(&ok);
        if (!ok || n < 0) {
            m_metrics.recordRequest(model, version, 400, secondsSince(started));
            return done(HttpResponse::error(400, QStringLiteral("Inference-Header-Content-Length is not a byte count: %1").arg(QString::fromStdString(*h))));
        }
        jsonLength = n;
    }
    ModelRegistry::Routed routed;
    Result<OipRequest> parsed = OipRequest::parse(
        QByteArrayView(request.body.data(), qsizetype(request.body.size())), jsonLength,
        [&](const QString *id) -> Result<OipRequest::InputSpec> {
            routed = m_registry.route(model, version, id);
            if (!routed.model)
                return fail(routed.error);
            return routed.model->inputSpec();
        });
    auto refuse = [&](int status, const QString &message) {
        m_metrics.recordRequest(model, routed.model ? routed.model->version() : version, status, secondsSince(started));
        done(HttpResponse::error(status, message));
    };
    if (!parsed)
        return refuse(routed.model || routed.status == 200 ? 400 : routed.status, parsed.error());
    if (Status s = OipResponse::checkOutputs(*parsed, routed.model->answer().classification); !s)
        return refuse(400, s.error());

    const std::shared_ptr<ServedModel> served = routed.model;
    auto oip = std::make_shared<OipRequest>(std::move(*parsed));
    auto reply = std::make_shared<Done>(std::move(done));
    // A copy to the engine: the request keeps its rows for the monitoring after the answer.
    std::vector<float> values = oip->values();
    const qint64 rows = oip->rows();
    DynamicBatcher::Done finish = [this, started, served, oip, reply](Result<InferenceEngine::Prediction> prediction, qint64) {
        if (!prediction) {
            const int status = prediction.kind() == ErrorKind::InvalidInput ? 400 : 500;
            m_metrics.recordRequest(served->name(), served->version(), status, secondsSince(started));
            return (*reply)(HttpResponse::error(status, prediction.error()));
        }
        // Encoded where it is written (HttpResponse::complete), not on the batch worker.
        auto answered = std::make_shared<InferenceEngine::Prediction>(std::move(*prediction));
        HttpResponse r;
        r.complete = [this, started, served, oip, answered](HttpResponse &out) {
            OipResponse encoded = OipResponse::encode(*oip, served->answer(), *answered);
            out.body = encoded.body.toStdString();
            if (encoded.jsonLength >= 0) {
                out.contentType = "application/octet-stream";
                out.headers.emplace_back("Inference-Header-Content-Length", std::to_string(encoded.jsonLength));
            }
            m_metrics.recordRequest(served->name(), served->version(), 200, secondsSince(started));
        };
        r.written = [this, started, served, oip, answered] {
            monitorAnswered(*served, *oip, oip->values(), *answered, secondsSince(started));
        };
        (*reply)(std::move(r));
    };
    if (DynamicBatcher *batcher = served->batcher()) {
        if (!batcher->submit(std::move(values), rows, std::move(finish))) {
            m_metrics.recordRequest(served->name(), served->version(), 503, secondsSince(started));
            (*reply)(HttpResponse::error(503, QStringLiteral("model \"%1\" is busy: its queue of %2 requests is full")
                                                  .arg(served->name())
                                                  .arg(batcher->options().maxQueueLength)));
        }
        return;
    }
    finish(served->engine().predictRaw(values, rows), rows);
}

AgentService::Traffic::~Traffic() = default;

AgentService::Traffic &AgentService::traffic(const QString &model)
{
    {
        std::shared_lock lock(m_trafficLock);
        if (const auto it = m_traffic.find(model); it != m_traffic.end())
            return *it->second;
    }
    std::unique_lock lock(m_trafficLock);
    std::unique_ptr<Traffic> &t = m_traffic[model];
    if (!t) {
        const AgentConfig::Monitoring &m = m_options.monitoring;
        t = std::make_unique<Traffic>();
        t->recent = std::make_unique<RecentRequests>(m.recentRequests);
        if (!m.payloadLog.isEmpty())
            t->payloads = std::make_unique<PayloadLog>(PayloadLog::Options{m.payloadLog, m.payloadLogMaxBytes, m.payloadLogFiles},
                                                       model, m_metrics.payloadLogErrors(model));
    }
    return *t; // never erased while the service lives
}

void AgentService::monitorAnswered(const ServedModel &served, const OipRequest &request, const std::vector<float> &raw,
                                   const InferenceEngine::Prediction &prediction, double seconds)
{
    const qint64 rows = request.rows();
    if (const InputMonitor *monitor = served.monitor())
        monitor->record(raw, rows, prediction);
    Traffic &t = traffic(served.name());
    const bool ring = t.recent->capacity() > 0;
    if (!ring && !t.payloads)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (t.payloads) {
        const auto &features = served.manifest().input.features;
        QByteArray lines;
        PayloadLog::formatRows(lines, now, request.hasId() ? request.id() : QString(), served.version(), features, raw, rows,
                               prediction, served.answer().labels);
        t.payloads->write(PayloadLog::header(features), lines); // a failure is counted and logged there
    }
    if (ring) {
        RecentRequests::Entry e;
        e.timeMs = now;
        e.version = served.version();
        e.id = request.id();
        e.hasId = request.hasId();
        e.latencyMs = seconds * 1000.0;
        e.rows = rows;
        e.features = served.inputSpec().features;
        const qint64 kept = std::min(rows, RecentRequests::kRowsKept);
        e.inputs.assign(raw.begin(), raw.begin() + kept * e.features);
        if (served.answer().classification) {
            e.classes.assign(prediction.classes.begin(), prediction.classes.begin() + std::min<qint64>(kept, qint64(prediction.classes.size())));
            e.labels = served.answer().labels;
        } else {
            for (qint64 r = 0; r < kept && size_t(r * prediction.width) < prediction.outputs.size(); ++r)
                e.values.push_back(prediction.outputs[size_t(r * prediction.width)]);
        }
        t.recent->add(std::move(e));
    }
}

HttpResponse AgentService::recent(const HttpRequest &request, const QString &model)
{
    if (!m_registry.modelJson(model))
        return HttpResponse::error(404, QStringLiteral("no model \"%1\" is served here").arg(model));
    const qint64 capacity = m_options.monitoring.recentRequests;
    qint64 limit = std::min<qint64>(100, capacity);
    if (request.query.count("limit")) {
        bool ok = false;
        const QString text = request.queryValue("limit");
        limit = text.toLongLong(&ok);
        if (!ok || limit < 1 || (capacity > 0 && limit > capacity))
            return HttpResponse::error(400, QStringLiteral("limit must be an integer from 1 to %1 (monitoring.recent_requests), not \"%2\"")
                                                .arg(std::max<qint64>(1, capacity))
                                                .arg(text));
    }
    QJsonArray requests;
    if (capacity > 0)
        requests = traffic(model).recent->lastJson(limit);
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("model"), model}, {QStringLiteral("requests"), requests}});
}

HttpResponse AgentService::manage(const HttpRequest &request, const QStringList &parts)
{
    // parts: mlwb v1 ...
    if (parts.value(1) != QLatin1String("v1"))
        return HttpResponse::error(404, QStringLiteral("no such path: %1 (the management API is under /mlwb/v1)").arg(QString::fromStdString(request.path)));
    const QString by = request.queryValue("by").isEmpty() ? QStringLiteral("unknown") : request.queryValue("by");
    const std::string &m = request.method;
    if (parts.size() == 3 && parts[2] == QLatin1String("history")) {
        if (m != "GET")
            return HttpResponse::error(405, QStringLiteral("history answers GET"));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("events"), m_registry.historyJson()}});
    }
    if (parts.value(2) != QLatin1String("models"))
        return HttpResponse::error(404, QStringLiteral("no such path: %1").arg(QString::fromStdString(request.path)));
    if (parts.size() == 3) {
        if (m == "GET")
            return HttpResponse::json(200, m_registry.listJson());
        if (m != "POST")
            return HttpResponse::error(405, QStringLiteral("/mlwb/v1/models answers GET and POST"));
        int canary = 0;
        if (const QString c = request.queryValue("canary"); !c.isEmpty()) {
            bool ok = false;
            canary = c.toInt(&ok);
            if (!ok || canary < 0 || canary > 100)
                return HttpResponse::error(400, QStringLiteral("canary must be a percentage from 0 to 100, not \"%1\"").arg(c));
        }
        if (request.body.empty())
            return HttpResponse::error(400, QStringLiteral("the upload is empty: send the package file as the body"));
        auto outcome = m_registry.deploy(QByteArray::fromStdString(request.body), canary, by);
        if (const auto *refusal = std::get_if<ModelRegistry::Refusal>(&outcome))
            return HttpResponse::error(refusalStatus(*refusal), refusal->error.message);
        return HttpResponse::json(200, std::get<QJsonObject>(outcome));
    }
    const QString name = parts[3];
    if (parts.size() == 4) {
        if (m != "GET")
            return HttpResponse::error(405, QStringLiteral("a model answers GET"));
        return fromResult(m_registry.modelJson(name));
    }
    const QString action = parts[4];
    if (parts.size() == 5 && action == QLatin1String("promote") && m == "POST")
        return fromResult(m_registry.promote(name, by));
    if (parts.size() == 5 && action == QLatin1String("rollback") && m == "POST")
        return fromResult(m_registry.rollback(name, by));
    if (parts.size() == 5 && action == QLatin1String("canary") && (m == "PUT" || m == "POST")) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(request.body), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return HttpResponse::error(400, QStringLiteral("the body must be {\"version\": V, \"percent\": P}"));
        const QJsonValue percent = doc.object().value(QStringLiteral("percent"));
        if (!percent.isDouble())
            return HttpResponse::error(400, QStringLiteral("percent must be a number from 0 to 100"));
        return fromResult(m_registry.setCanary(name, doc.object().value(QStringLiteral("version")).toString(), percent.toInt(), by));
    }
    return HttpResponse::error(404, QStringLiteral("no such path: %1 %2").arg(QString::fromStdString(m), QString::fromStdString(request.path)));
}

} // namespace mlwb
