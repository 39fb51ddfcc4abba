// SPDX-License-Identifier: MIT
#pragma once

// AgentService: what mlwb-agent answers, independent of the HTTP library that carries it
// (HttpServer): the Open Inference Protocol v2 REST API, the management API behind the bearer
// token and /metrics (docs/agent.md is the contract). handle() may answer at once or later from
// a batcher's thread; either way `done` is called exactly once.

#include "serve/http_request.h"
#include "serve/http_response.h"

#include <QByteArray>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <functional>

namespace mlwb {

class ModelRegistry;
class ServeMetrics;

class AgentService {
public:
    struct Options {
        QByteArray token;                 // the management token (required, non-empty)
        bool inferenceNeedsToken = false; // also ask it of inference and metadata calls
        QString version;                  // the agent's own, for GET /v2
    };
    using Done = std::function<void(HttpResponse)>;

    AgentService(ModelRegistry &registry, ServeMetrics &metrics, Options options);
    ~AgentService(); // finishes the management calls queued

    void handle(const HttpRequest &request, Done done);

    // While draining (SIGTERM) /v2/health/ready answers 503, so a load balancer stops sending.
    void setDraining(bool draining) { m_draining = draining; }

    // Whether `header` ("Bearer TOKEN") carries `token`; the comparison takes the same time
    // wherever the two differ.
    static bool tokenMatches(const std::string &header, const QByteArray &token);

private:
    void infer(const HttpRequest &request, const QString &model, const QString &version, Done done,
               std::chrono::steady_clock::time_point started);
    HttpResponse manage(const HttpRequest &request, const QStringList &parts);

    void manageLoop();

    ModelRegistry &m_registry;
    ServeMetrics &m_metrics;
    Options m_options;
    std::atomic<bool> m_draining{false};
    // Management calls (an upload loads, warms up and smoke-tests a model: tens of
    // milliseconds of CPU) run one at a time on a thread of their own at a lower priority, never
    // on the HTTP threads, so requests keep flowing while a version is swapped in.
    std::mutex m_manageMutex;
    std::condition_variable m_manageWake;
    std::deque<std::function<void()>> m_manageQueue;
    bool m_manageStop = false;
    std::thread m_manager;
};

} // namespace mlwb
