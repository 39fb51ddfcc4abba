// SPDX-License-Identifier: MIT
#pragma once

// ModelRegistry: the models an agent serves and which version of each takes traffic. A new
// version becomes a ServedModel (verified, loaded, warmed up, smoke-tested) before the registry
// takes it; the switch itself is one pointer swap under a lock, so a request is answered
// wholly by the version it was routed to, and the version it leaves keeps living until its
// last request is answered. A canary takes a share of the requests: by a hash of the request's
// id when there is one (the same id always reaches the same version), at random otherwise.
// Every change is written to the AgentState before it is answered, so a restart (a kill -9
// too) brings back the same versions, the same active one and the same split.

#include "common/result.h"
#include "serve/agent_state.h"
#include "serve/served_model.h"

#include <QJsonArray>
#include <QJsonObject>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <variant>

namespace mlwb {

class ServeMetrics;

class ModelRegistry {
public:
    // A request's model, or why there is none: the HTTP status (404 unknown model or version,
    // 503 a model with no version to serve) and the message.
    struct Routed {
        std::shared_ptr<ServedModel> model;
        int status = 200;
        QString error;
    };

    ModelRegistry(AgentState state, ServedModel::LoadOptions options, ServeMetrics *metrics);
    ~ModelRegistry();

    // Loads every version the state lists; what could not be loaded is returned, one line each
    // (that version is then not served, and the rest of the state is kept as it was).
    QStringList restore();

    Routed route(const QString &name, const QString &version, const QString *requestId) const;
    // Whether every model has an active version that is loaded.
    bool ready() const;
    std::vector<std::shared_ptr<ServedModel>> loaded() const;

    // Management. An upload with canaryPercent in 1..99 and an active version becomes the canary;
    // otherwise the active version. Errors: InvalidInput / Corrupt (400), Unauthorized (403 at
    // the caller), Conflict (409: another package under the same version; 422 at the caller when
    // `smokeFailed` is set).
    struct Refusal {
        Error error;
        bool smokeFailed = false;
    };
    std::variant<QJsonObject, Refusal> deploy(const QByteArray &bytes, int canaryPercent, const QString &by);
    Result<QJsonObject> promote(const QString &name, const QString &by);
    Result<QJsonObject> rollback(const QString &name, const QString &by);
    Result<QJsonObject> setCanary(const QString &name, const QString &version, int percent, const QString &by);

    Result<QJsonObject> modelJson(const QString &name) const;
    QJsonObject listJson() const;
    QJsonArray historyJson() const;

private:
    struct Live {
        std::map<QString, std::shared_ptr<ServedModel>> versions;
        std::shared_ptr<ServedModel> active;
        std::shared_ptr<ServedModel> canary;
        int canaryPercent = 0;
    };
    QJsonObject modelJsonLocked(const QString &name) const;
    // The live pointers from the state's names; the caller holds m_lock.
    void relinkLocked(const QString &name);
    // Writes the model's new state and the event, then switches to it (with `added` loaded).
    Status apply(const QString &name, const AgentState::Model &updated, const AgentState::Event &event,
                 std::shared_ptr<ServedModel> added = nullptr);
    void publishStates(const QString &name);

    ServedModel::LoadOptions m_options;
    ServeMetrics *m_metrics;
    std::mutex m_manage; // one management change at a time
    mutable std::shared_mutex m_lock;
    AgentState m_state;
    std::map<QString, Live> m_live;
};

} // namespace mlwb
