// SPDX-License-Identifier: MIT
#pragma once

// TrackingServer: the tracking endpoint (TrackingService) on the agent's HTTP front end, for
// `mlwb tracking-server` and the workbench's Tools > Tracking Server. It listens on 127.0.0.1 by
// default; on any other address it refuses to start without a token, which scripts send as
// MLFLOW_TRACKING_TOKEN does (Authorization: Bearer TOKEN). HTTP threads answer requests; the
// limits are the agent's (header size, time-outs, connections), with a body limit that lets a
// model file through as an artifact.

#include "common/result.h"
#include "tracking/tracking_service.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace mlwb {

class HttpServer;

class TrackingServer {
public:
    struct Options {
        QString host = QStringLiteral("127.0.0.1");
        int port = 5000; // 0: a free one
        QByteArray token;
        int threads = 8; // a request waits for its commit on its thread: a few per client
        qint64 maxBodyBytes = 512ll << 20;
        TrackingService::Writers writers = TrackingService::Writers::PerRun;
    };

    // "HOST:PORT", ":PORT", "HOST" or "PORT" into options (the rest left as they are).
    static Status parseListen(const QString &listen, Options &options);
    static bool isLoopback(const QString &host);

    static Result<std::unique_ptr<TrackingServer>> start(const QString &projectPath, Options options);
    ~TrackingServer(); // stop()s

    int port() const { return m_port; }
    // http://HOST:PORT, what MLFLOW_TRACKING_URI is set to.
    QString url() const;
    TrackingService &service() { return *m_service; }
    // Finishes the requests in flight, then flushes every point; the first failure, if any.
    Status stop();

private:
    TrackingServer() = default;
    Options m_options;
    int m_port = 0;
    std::unique_ptr<TrackingService> m_service;
    std::unique_ptr<HttpServer> m_http;
    bool m_stopped = false;
};

} // namespace mlwb
