// SPDX-License-Identifier: MIT
#pragma once

// AgentClient: one target's mlwb-agent over HTTP(S) (docs/agent.md), called synchronously: each
// call runs a local event loop until the answer, a timeout or a cancel, so it works from a job's
// worker thread and from the CLI alike (the client belongs to the thread that made it).
// Management calls carry the target's bearer token; an https target's CA certificate (PEM) is
// trusted besides the system's. Every error names the target, the URL, the HTTP status and the
// agent's own {"error": ...} message; the kind follows the status (401/403 Unauthorized, 404
// NotFound, 409 Conflict, other 4xx InvalidInput, 5xx Internal, no answer Io).

#include "common/result.h"
#include "store/records.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace mlwb {

class TokenStore;

class AgentClient {
public:
    struct Health {
        bool live = false;
        bool ready = false;
    };
    // Bytes of the upload sent so far, and in all.
    using UploadProgress = std::function<void(qint64 sent, qint64 total)>;

    AgentClient(TargetRecord target, QByteArray token);
    ~AgentClient();
    AgentClient(AgentClient &&) noexcept;
    AgentClient &operator=(AgentClient &&) noexcept;

    // A client of the project's target with the user's token for it.
    static Result<AgentClient> forTarget(const TargetRecord &target, const TokenStore &tokens);

    const TargetRecord &target() const { return m_target; }
    // How long a call may go without a byte moving (default 30 s; an upload waits at least 5 min,
    // as the agent answers only once the package is loaded, warmed up and smoke-tested).
    void setTimeout(int ms) { m_timeoutMs = ms; }
    // Polled while a call waits: true aborts it (a Cancelled error).
    void setCancelCheck(std::function<bool()> cancelled) { m_cancelled = std::move(cancelled); }

    // The HTTP status of the latest call's answer; 0 when none came (unreachable, timed out).
    int lastStatus() const { return m_lastStatus; }

    // GET /v2/health/live and /v2/health/ready. A 503 from ready is an answer (ready false).
    Result<Health> health();
    // GET /v2: the server's name, version and extensions.
    Result<QJsonObject> server();
    // GET /mlwb/v1/models: the MODEL objects.
    Result<QJsonArray> models();
    Result<QJsonObject> model(const QString &name);
    // POST /mlwb/v1/models?canary=P&by=USER with the package bytes: the UPLOAD answer. canary 0:
    // the new version becomes active.
    Result<QJsonObject> upload(const QByteArray &package, int canaryPercent, const QString &by,
                               const UploadProgress &progress = {});
    Result<QJsonObject> promote(const QString &model, const QString &by);
    Result<QJsonObject> rollback(const QString &model, const QString &by);
    Result<QJsonObject> setCanary(const QString &model, const QString &version, int percent, const QString &by);
    // GET /mlwb/v1/history: the EVENT objects, oldest first.
    Result<QJsonArray> history();
    // POST /v2/models/NAME[/versions/V]/infer: the agent's answer.
    Result<QJsonObject> infer(const QString &model, const QJsonObject &request, const QString &version = {});
    // GET /metrics: the Prometheus text.
    Result<QByteArray> metricsText();

private:
    struct Reply {
        int status = 0;
        QByteArray body;
    };
    Result<Reply> call(const QByteArray &method, const QString &path, const QList<std::pair<QString, QString>> &query,
                       const QByteArray &body, bool management, const UploadProgress &progress = {},
                       int minTimeoutMs = 0, int acceptStatus = 0);
    // The answer as a JSON object, or the error it is.
    Result<QJsonObject> object(const QByteArray &method, const QString &path,
                               const QList<std::pair<QString, QString>> &query, const QByteArray &body,
                               bool management, const UploadProgress &progress = {}, int minTimeoutMs = 0);
    QUrl urlOf(const QString &path, const QList<std::pair<QString, QString>> &query) const;

    TargetRecord m_target;
    QByteArray m_token;
    int m_timeoutMs = 30000;
    int m_lastStatus = 0;
    std::function<bool()> m_cancelled;
    std::unique_ptr<QNetworkAccessManager> m_network;
};

} // namespace mlwb
