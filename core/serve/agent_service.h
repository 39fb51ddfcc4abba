// SPDX-License-Identifier: MIT
#pragma once

// AgentService: what mlwb-agent answers, independent of the HTTP library that carries it
// (HttpServer): the Open Inference Protocol v2 REST API, the management API behind the bearer
// token and /metrics (docs/agent.md is the contract), and the monitoring of answered requests
// (docs/monitoring.md: the input families, the ring of recent requests, the payload log). handle() may answer at once or later from
// a batcher's thread; either way `done` is called exactly once.

#include "serve/agent_config.h"
#include "serve/http_request.h"
#include "serve/http_response.h"

#include "inference/inference_engine.h"

#include <QByteArray>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>

namespace mlwb {

class ModelRegistry;
class PayloadLog;
class RecentRequests;
class ServeMetrics;
class ServedModel;
class OipRequest;

class AgentService {
public:
    struct Options {
        QByteArray token;                 // the management token (required, non-empty)
        bool inferenceNeedsToken = false; // also ask it of inference and metadata calls
        QString version;                  // the agent's own, for GET /v2
        AgentConfig::Monitoring monitoring;
    };
    using Done = std::function<void(HttpResponse)>;

    AgentService(ModelRegistry &registry, ServeMetrics &metrics, Options options);
    ~AgentService(); // finishes the management calls queued

    void handle(HttpRequest request, Done done);

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

    // What is kept of one model's answered requests, across its versions.
    struct Traffic {
        std::unique_ptr<RecentRequests> recent;
        std::unique_ptr<PayloadLog> payloads;
        ~Traffic();
    };
    Traffic &traffic(const QString &model);
    // After an answer is written: the version's input monitor, the ring, the payload log.
    void monitorAnswered(const ServedModel &served, const OipRequest &request, const std::vector<float> &raw,
                         const InferenceEngine::Prediction &prediction, double seconds);
    HttpResponse recent(const HttpRequest &request, const QString &model);

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
    std::shared_mutex m_trafficLock; // taken exclusively once per model, when it is first answered
    std::map<QString, std::unique_ptr<Traffic>> m_traffic;
};

} // namespace mlwb
