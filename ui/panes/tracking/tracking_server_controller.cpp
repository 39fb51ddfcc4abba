// SPDX-License-Identifier: MIT
#include "panes/tracking/tracking_server_controller.h"

#include "common/logging.h"
#include "serve/agent_config.h"
#include "store/project.h"
#include "tracking/tracking_server.h"

#include <QTimer>

namespace mlwb {

TrackingServerController::TrackingServerController(QObject *parent) : QObject(parent), m_timer(new QTimer(this))
{
    m_timer->setInterval(2000);
    connect(m_timer, &QTimer::timeout, this, &TrackingServerController::poll);
}

TrackingServerController::~TrackingServerController()
{
    if (Status s = stop(); !s)
        qCWarning(lcServe) << "tracking server:" << s.error();
}

Status TrackingServerController::start(Project &project, const QString &listen, const QString &tokenFile)
{
    if (m_server)
        if (Status s = stop(); !s)
            return s;
    if (project.isReadOnly())
        return conflict(QStringLiteral("the project is open read-only: a tracking server writes runs into it"));
    TrackingServer::Options options;
    if (Status s = TrackingServer::parseListen(listen, options); !s)
        return s;
    if (!tokenFile.trimmed().isEmpty()) {
        AgentConfig c; // the agent's rule: the first line, in a file only its owner reads
        c.tokenFile = tokenFile.trimmed();
        Result<QByteArray> token = c.readToken();
        if (!token)
            return token.failure();
        options.token = *token;
    }
    Result<std::unique_ptr<TrackingServer>> server = TrackingServer::start(project.path(), options);
    if (!server)
        return server.failure();
    m_server = std::move(*server);
    m_project = &project;
    // Closing the project ends its server: the server writes to its file.
    disconnect(m_projectGone);
    m_projectGone = connect(&project, &QObject::destroyed, this, [this] {
        if (Status s = stop(); !s)
            Q_EMIT failed(tr("The tracking server stopped with the project, but not every metric point was written: %1").arg(s.error()));
    });
    m_timer->start();
    poll();
    Q_EMIT stateChanged();
    return {};
}

Status TrackingServerController::stop()
{
    if (!m_server)
        return {};
    m_timer->stop();
    Status s = m_server->stop();
    m_server.reset();
    m_project.clear();
    m_liveRuns = 0;
    Q_EMIT liveRunsChanged(0);
    Q_EMIT stateChanged();
    return s;
}

QString TrackingServerController::url() const
{
    return m_server ? m_server->url() : QString();
}

qint64 TrackingServerController::requests() const
{
    return m_server ? m_server->service().requests() : 0;
}

void TrackingServerController::poll()
{
    if (!m_server)
        return;
    Result<int> live = m_server->service().liveRuns();
    const int n = live ? *live : 0;
    if (n != m_liveRuns) {
        m_liveRuns = n;
        Q_EMIT liveRunsChanged(n);
    }
}

} // namespace mlwb
