// SPDX-License-Identifier: MIT
#include "deploy/agent_client.h"

#include "deploy/token_store.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTimer>

namespace mlwb {

namespace {

constexpr int kUploadTimeoutMs = 300000;

ErrorKind kindOfStatus(int status)
{
    if (status == 401 || status == 403)
        return ErrorKind::Unauthorized;
    if (status == 404)
        return ErrorKind::NotFound;
    if (status == 409)
        return ErrorKind::Conflict;
    if (status >= 400 && status < 500)
        return ErrorKind::InvalidInput;
    return ErrorKind::Internal;
}

// The agent's {"error": ...}, else the start of whatever it sent.
QString agentMessage(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (const QString e = o.value(QStringLiteral("error")).toString(); !e.isEmpty())
        return e;
    const QString text = QString::fromUtf8(body.left(200)).simplified();
    return text.isEmpty() ? QStringLiteral("(no message)") : text;
}

} // namespace

AgentClient::AgentClient(TargetRecord target, QByteArray token)
    : m_target(std::move(target)), m_token(std::move(token)), m_network(std::make_unique<QNetworkAccessManager>())
{
}

AgentClient::~AgentClient() = default;
AgentClient::AgentClient(AgentClient &&) noexcept = default;
AgentClient &AgentClient::operator=(AgentClient &&) noexcept = default;

Result<AgentClient> AgentClient::forTarget(const TargetRecord &target, const TokenStore &tokens)
{
    auto token = tokens.token(target.name);
    if (!token)
        return token.failure();
    return AgentClient(target, *token);
}

QUrl AgentClient::urlOf(const QString &path, const QList<std::pair<QString, QString>> &query) const
{
    QUrl url(m_target.url);
    QString base = url.path();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    url.setPath(base + path);
    if (!query.isEmpty()) {
        // Encoded here, '+' and '@' included, so the agent reads back exactly what was meant.
        QStringList items;
        for (const auto &[key, value] : query)
            items << key + QLatin1Char('=') + QString::fromLatin1(QUrl::toPercentEncoding(value));
        url.setQuery(items.join(QLatin1Char('&')), QUrl::StrictMode);
    }
    return url;
}

Result<AgentClient::Reply> AgentClient::call(const QByteArray &method, const QString &path,
                                             const QList<std::pair<QString, QString>> &query, const QByteArray &body,
                                             bool management, const UploadProgress &progress, int minTimeoutMs,
                                             int acceptStatus)
{
    m_lastStatus = 0;
    const QUrl url = urlOf(path, query);
    const QString where = QStringLiteral("target %1 (%2 %3)")
                              .arg(m_target.name, QString::fromLatin1(method), url.toDisplayString());
    if (!url.isValid() || url.host().isEmpty())
        return invalidInput(QStringLiteral("%1: not a URL an agent can be reached at").arg(where));
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(std::max(m_timeoutMs, minTimeoutMs));
    if (management)
        request.setRawHeader("Authorization", "Bearer " + m_token);
    if (!body.isEmpty() || method == "POST" || method == "PUT")
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          body.startsWith('{') ? QByteArrayLiteral("application/json") : QByteArrayLiteral("application/octet-stream"));
    if (url.scheme() == u"https") {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        if (!m_target.caCert.isEmpty()) {
            const QList<QSslCertificate> certs = QSslCertificate::fromData(m_target.caCert.toUtf8(), QSsl::Pem);
            if (certs.isEmpty())
                return invalidInput(QStringLiteral("%1: its CA certificate is not a PEM certificate").arg(where));
            ssl.addCaCertificates(certs);
        }
        request.setSslConfiguration(ssl);
    }

    QNetworkReply *reply = m_network->sendCustomRequest(request, method, body);
    std::unique_ptr<QNetworkReply> owner(reply);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (progress)
        QObject::connect(reply, &QNetworkReply::uploadProgress, &loop,
                         [&progress](qint64 sent, qint64 total) { progress(sent, total); });
    bool cancelled = false;
    QTimer poll;
    if (m_cancelled) {
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            if (m_cancelled()) {
                cancelled = true;
                reply->abort();
            }
        });
        poll.start(100);
    }
    if (!reply->isFinished())
        loop.exec();
    poll.stop();

    if (cancelled)
        return fail(QStringLiteral("%1: cancelled").arg(where), ErrorKind::Cancelled);
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid()) {
        const QString why = reply->error() == QNetworkReply::OperationCanceledError
                                ? QStringLiteral("no answer within %1 s").arg(std::max(m_timeoutMs, minTimeoutMs) / 1000.0)
                                : reply->errorString();
        return ioError(QStringLiteral("%1: the agent cannot be reached: %2").arg(where, why));
    }
    Reply r;
    r.status = status.toInt();
    m_lastStatus = r.status;
    r.body = reply->readAll();
    if (r.status >= 300 && !(acceptStatus && r.status == acceptStatus))
        return fail(QStringLiteral("%1: HTTP %2: %3").arg(where).arg(r.status).arg(agentMessage(r.body)),
                    kindOfStatus(r.status));
    return r;
}

Result<QJsonObject> AgentClient::object(const QByteArray &method, const QString &path,
                                        const QList<std::pair<QString, QString>> &query, const QByteArray &body,
                                        bool management, const UploadProgress &progress, int minTimeoutMs)
{
    auto reply = call(method, path, query, body, management, progress, minTimeoutMs);
    if (!reply)
        return reply.failure();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(reply->body, &error);
    if (!doc.isObject())
        return corrupt(QStringLiteral("target %1 (%2 %3): HTTP %4 but the answer is not a JSON object (%5)")
                           .arg(m_target.name, QString::fromLatin1(method), urlOf(path, query).toDisplayString())
                           .arg(reply->status)
                           .arg(error.errorString()));
    return doc.object();
}

Result<AgentClient::Health> AgentClient::health()
{
    Health h;
    auto live = object("GET", QStringLiteral("/v2/health/live"), {}, {}, false);
    if (!live)
        return live.failure();
    h.live = live->value(QStringLiteral("live")).toBool();
    // 503 {"ready": false} is an answer, not a failure.
    auto ready = call("GET", QStringLiteral("/v2/health/ready"), {}, {}, false, {}, 0, 503);
    if (!ready)
        return ready.failure();
    h.ready = ready->status == 200 && QJsonDocument::fromJson(ready->body).object().value(QStringLiteral("ready")).toBool();
    return h;
}

Result<QJsonObject> AgentClient::server()
{
    return object("GET", QStringLiteral("/v2"), {}, {}, false);
}

Result<QJsonArray> AgentClient::models()
{
    auto o = object("GET", QStringLiteral("/mlwb/v1/models"), {}, {}, true);
    if (!o)
        return o.failure();
    return o->value(QStringLiteral("models")).toArray();
}

Result<QJsonObject> AgentClient::model(const QString &name)
{
    return object("GET", QStringLiteral("/mlwb/v1/models/") + QString::fromLatin1(QUrl::toPercentEncoding(name)), {}, {},
                  true);
}

Result<QJsonObject> AgentClient::upload(const QByteArray &package, int canaryPercent, const QString &by,
                                        const UploadProgress &progress)
{
    QList<std::pair<QString, QString>> query;
    if (canaryPercent > 0)
        query.append({QStringLiteral("canary"), QString::number(canaryPercent)});
    query.append({QStringLiteral("by"), by});
    return object("POST", QStringLiteral("/mlwb/v1/models"), query, package, true, progress, kUploadTimeoutMs);
}

Result<QJsonObject> AgentClient::promote(const QString &model, const QString &by)
{
    return object("POST",
                  QStringLiteral("/mlwb/v1/models/%1/promote").arg(QString::fromLatin1(QUrl::toPercentEncoding(model))),
                  {{QStringLiteral("by"), by}}, {}, true);
}

Result<QJsonObject> AgentClient::rollback(const QString &model, const QString &by)
{
    return object("POST",
                  QStringLiteral("/mlwb/v1/models/%1/rollback").arg(QString::fromLatin1(QUrl::toPercentEncoding(model))),
                  {{QStringLiteral("by"), by}}, {}, true);
}

Result<QJsonObject> AgentClient::setCanary(const QString &model, const QString &version, int percent, const QString &by)
{
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("version"), version}, {QStringLiteral("percent"), percent}})
                                .toJson(QJsonDocument::Compact);
    return object("PUT",
                  QStringLiteral("/mlwb/v1/models/%1/canary").arg(QString::fromLatin1(QUrl::toPercentEncoding(model))),
                  {{QStringLiteral("by"), by}}, body, true);
}

Result<QJsonArray> AgentClient::history()
{
    auto o = object("GET", QStringLiteral("/mlwb/v1/history"), {}, {}, true);
    if (!o)
        return o.failure();
    return o->value(QStringLiteral("events")).toArray();
}

Result<QJsonObject> AgentClient::infer(const QString &model, const QJsonObject &request, const QString &version)
{
    QString path = QStringLiteral("/v2/models/") + QString::fromLatin1(QUrl::toPercentEncoding(model));
    if (!version.isEmpty())
        path += QStringLiteral("/versions/") + QString::fromLatin1(QUrl::toPercentEncoding(version));
    return object("POST", path + QStringLiteral("/infer"), {}, QJsonDocument(request).toJson(QJsonDocument::Compact), false);
}

Result<QByteArray> AgentClient::metricsText()
{
    auto reply = call("GET", QStringLiteral("/metrics"), {}, {}, false);
    if (!reply)
        return reply.failure();
    return reply->body;
}

} // namespace mlwb
