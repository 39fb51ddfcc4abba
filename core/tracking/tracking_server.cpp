// SPDX-License-Identifier: MIT
#include "tracking/tracking_server.h"

#include "common/logging.h"
#include "serve/agent_config.h"
#include "serve/http_server.h"

#include <QHostAddress>

namespace mlwb {

Status TrackingServer::parseListen(const QString &listen, Options &options)
{
    const QString text = listen.trimmed();
    if (text.isEmpty())
        return invalidInput(QStringLiteral("--listen is empty: give HOST:PORT, e.g. 127.0.0.1:5000"));
    const qsizetype colon = text.lastIndexOf(u':');
    QString host = colon < 0 ? text : text.left(colon);
    const QString port = colon < 0 ? QString() : text.mid(colon + 1);
    if (colon < 0 && !text.contains(u'.')) { // a bare port
        host.clear();
        return parseListen(QStringLiteral(":") + text, options);
    }
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    if (!host.isEmpty()) {
        if (QHostAddress(host).isNull() && host != u"localhost")
            return invalidInput(QStringLiteral("--listen %1: \"%2\" is not an IP address").arg(listen, host));
        options.host = host == u"localhost" ? QStringLiteral("127.0.0.1") : host;
    }
    if (colon >= 0) {
        bool ok = false;
        const int p = port.toInt(&ok);
        if (!ok || p < 0 || p > 65535)
            return invalidInput(QStringLiteral("--listen %1: \"%2\" is not a port (0 to 65535)").arg(listen, port));
        options.port = p;
    }
    return {};
}

bool TrackingServer::isLoopback(const QString &host)
{
    return QHostAddress(host).isLoopback();
}

Result<std::unique_ptr<TrackingServer>> TrackingServer::start(const QString &projectPath, Options options)
{
    if (!isLoopback(options.host) && options.token.isEmpty())
        return invalidInput(QStringLiteral("listening on %1 (not this machine's loopback) needs a token: give --token-file F, and scripts "
                                           "send it with MLFLOW_TRACKING_TOKEN")
                                .arg(options.host));
    std::unique_ptr<TrackingServer> server(new TrackingServer);
    server->m_options = options;
    TrackingService::Options so;
    so.token = options.token;
    so.maxArtifactBytes = options.maxBodyBytes;
    so.writers = options.writers;
    Result<std::unique_ptr<TrackingService>> service = TrackingService::open(projectPath, so);
    if (!service)
        return service.failure();
    server->m_service = std::move(*service);
    AgentConfig config;
    config.host = options.host;
    config.port = options.port;
    config.threads = options.threads;
    config.limits.maxBodyBytes = options.maxBodyBytes;
    config.limits.readTimeoutMs = 60000; // an artifact upload of a model file
    config.limits.writeTimeoutMs = 60000;
    config.limits.keepAliveMs = 30000;   // MLflow's client keeps its session's connections
    TrackingService *raw = server->m_service.get();
    server->m_http = std::make_unique<HttpServer>([raw](HttpRequest r, HttpServer::Done done) { done(raw->handle(r)); }, config);
    Result<int> port = server->m_http->listen();
    if (!port)
        return port.failure();
    server->m_port = *port;
    server->m_http->start();
    return server;
}

TrackingServer::~TrackingServer()
{
    // stop() reports a failure to its caller; one left for here is logged.
    if (Status s = stop(); !s)
        qCWarning(lcServe) << "tracking server:" << s.error();
}

QString TrackingServer::url() const
{
    const QString host = m_options.host.contains(u':') ? QStringLiteral("[%1]").arg(m_options.host) : m_options.host;
    return QStringLiteral("http://%1:%2").arg(host).arg(m_port);
}

Status TrackingServer::stop()
{
    if (m_stopped)
        return {};
    m_stopped = true;
    if (m_http)
        m_http->stop(10000);
    return m_service ? m_service->close() : Status();
}

} // namespace mlwb
