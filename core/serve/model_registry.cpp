// SPDX-License-Identifier: MIT
#include "serve/model_registry.h"

#include "package/package_manifest.h"
#include "package/package_seal.h"
#include "serve/serve_metrics.h"

#include <QFile>

#include <random>

namespace mlwb {

namespace {

// FNV-1a: a request id's bucket, the same on every agent and after every restart.
int bucketOf(const QString &id)
{
    quint64 h = 14695981039346656037ull;
    for (const char c : id.toUtf8()) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return int(h % 100);
}

int randomBucket()
{
    thread_local std::minstd_rand rng{std::random_device{}()};
    return int(rng() % 100);
}

QString stateOf(const AgentState::Model &m, const QString &version)
{
    if (version == m.active)
        return QStringLiteral("active");
    if (version == m.canary)
        return QStringLiteral("canary");
    return QStringLiteral("standby");
}

} // namespace

ModelRegistry::ModelRegistry(AgentState state, ServedModel::LoadOptions options, ServeMetrics *metrics)
    : m_options(std::move(options)), m_metrics(metrics), m_state(std::move(state))
{
    if (m_metrics && !m_options.onBatch)
        m_options.onBatch = [metrics](const QString &model, const QString &version, qint64 rows) {
            metrics->recordBatch(model, version, int(rows));
        };
}

ModelRegistry::~ModelRegistry() = default;

QStringList ModelRegistry::restore()
{
    std::lock_guard manage(m_manage);
    QStringList problems;
    for (auto &[name, model] : m_state.models()) {
        Live live;
        for (const QString &version : model.versions) {
            const QString path = m_state.packagePath(name, version);
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                problems << QStringLiteral("%1:%2: cannot read %3: %4").arg(name, version, path, file.errorString());
                continue;
            }
            Result<std::shared_ptr<ServedModel>> m = ServedModel::load(file.readAll(), path, m_options);
            if (!m) {
                problems << QStringLiteral("%1:%2: %3").arg(name, version, m.error());
                continue;
            }
            if (m_metrics) {
                m_metrics->recordLoad(name, version, (*m)->loadSeconds(), (*m)->warmupSeconds());
                (*m)->setMonitor(m_metrics->monitor((*m)->monitoredAs(), (*m)->baseline()));
            }
            live.versions[version] = *m;
        }
        {
            std::unique_lock lock(m_lock);
            m_live[name] = std::move(live);
            relinkLocked(name);
        }
        publishStates(name);
    }
    return problems;
}

void ModelRegistry::relinkLocked(const QString &name)
{
    const AgentState::Model &m = m_state.models().at(name);
    Live &live = m_live[name];
    auto find = [&](const QString &v) -> std::shared_ptr<ServedModel> {
        auto it = live.versions.find(v);
        return it == live.versions.end() ? nullptr : it->second;
    };
    live.active = m.active.isEmpty() ? nullptr : find(m.active);
    live.canary = m.canary.isEmpty() ? nullptr : find(m.canary);
    live.canaryPercent = live.canary ? m.canaryPercent : 0;
}

void ModelRegistry::publishStates(const QString &name)
{
    if (!m_metrics)
        return;
    const AgentState::Model &m = m_state.models().at(name);
    for (const QString &version : m.versions)
        m_metrics->setState(name, version, stateOf(m, version));
}

ModelRegistry::Routed ModelRegistry::route(const QString &name, const QString &version, const QString *requestId) const
{
    std::shared_lock lock(m_lock);
    const auto it = m_live.find(name);
    if (it == m_live.end())
        return Routed{nullptr, 404, QStringLiteral("no model \"%1\" is served here").arg(name)};
    const Live &live = it->second;
    if (!version.isEmpty()) {
        const auto v = live.versions.find(version);
        if (v == live.versions.end())
            return Routed{nullptr, 404, QStringLiteral("model \"%1\" has no version \"%2\"").arg(name, version)};
        return Routed{v->second, 200, {}};
    }
    if (!live.active)
        return Routed{nullptr, 503, QStringLiteral("model \"%1\" has no active version").arg(name)};
    if (live.canary && live.canaryPercent > 0) {
        const int bucket = requestId ? bucketOf(*requestId) : randomBucket();
        if (bucket < live.canaryPercent)
            return Routed{live.canary, 200, {}};
    }
    return Routed{live.active, 200, {}};
}

bool ModelRegistry::ready() const
{
    std::shared_lock lock(m_lock);
    for (const auto &[name, live] : m_live)
        if (!live.active)
            return false;
    return true;
}

std::vector<std::shared_ptr<ServedModel>> ModelRegistry::loaded() const
{
    std::shared_lock lock(m_lock);
    std::vector<std::shared_ptr<ServedModel>> all;
    for (const auto &[name, live] : m_live)
        for (const auto &[version, m] : live.versions)
            all.push_back(m);
    return all;
}

Status ModelRegistry::apply(const QString &name, const AgentState::Model &updated, const AgentState::Event &event,
                            std::shared_ptr<ServedModel> added)
{
    // On disk first (outside the routing lock: fsync takes milliseconds), then the switch.
    AgentState next = m_state;
    next.models()[name] = updated;
    if (Status s = next.save(); !s)
        return s;
    if (Status s = next.append(event); !s)
        return s;
    // The series of a version taking traffic exist (at zero) before its first request.
    if (added && m_metrics && !added->monitor())
        added->setMonitor(m_metrics->monitor(added->monitoredAs(), added->baseline()));
    {
        std::unique_lock lock(m_lock);
        m_state = std::move(next);
        if (added)
            m_live[name].versions[added->version()] = std::move(added);
        relinkLocked(name);
    }
    publishStates(name);
    return {};
}

std::variant<QJsonObject, ModelRegistry::Refusal> ModelRegistry::deploy(const QByteArray &bytes, int canaryPercent, const QString &by)
{
    std::lock_guard manage(m_manage);
    const QString source = QStringLiteral("the uploaded package");
    auto refuse = [&](const Error &e, const QString &model, const QString &version, bool smoke) -> std::variant<QJsonObject, Refusal> {
        AgentState::Event event{QDateTime::currentDateTimeUtc(), model, version, QStringLiteral("refused"), by, e.message};
        if (Status s = m_state.append(event); !s)
            return Refusal{s.failure().reworded(e.message + QStringLiteral("; and the refusal was not recorded: ") + s.error()), smoke};
        return Refusal{e, smoke};
    };

    Result<std::shared_ptr<ServedModel>> loaded = ServedModel::load(bytes, source, m_options);
    if (!loaded)
        return refuse(loaded.failure(), {}, {}, loaded.kind() == ErrorKind::Conflict);
    std::shared_ptr<ServedModel> model = *loaded;
    const QString name = model->name();
    const QString version = model->version();

    auto &models = m_state.models();
    const bool known = models.count(name) > 0;
    if (known && models.at(name).versions.contains(version)) {
        std::shared_lock lock(m_lock);
        const auto live = m_live.find(name);
        const std::map<QString, std::shared_ptr<ServedModel>> none;
        const auto &versions = live == m_live.end() ? none : live->second.versions;
        const auto it = versions.find(version);
        if (it != versions.end() && it->second->sha256() == model->sha256()) {
            QJsonObject same = modelJsonLocked(name);
            return QJsonObject{{QStringLiteral("model"), name}, {QStringLiteral("version"), version},
                               {QStringLiteral("state"), stateOf(models.at(name), version)},
                               {QStringLiteral("unchanged"), true}, {QStringLiteral("status"), same}};
        }
        if (it == versions.end()) {
            // Remembered but not served: its package did not load at the last restart (a damaged
            // or missing file). The upload repairs it; the version keeps the role it had.
            lock.unlock();
            if (Status s = m_state.savePackage(name, version, bytes); !s)
                return Refusal{s.failure(), false};
            AgentState::Model m = models.at(name);
            m.deployedBy[version] = by;
            const AgentState::Event event{QDateTime::currentDateTimeUtc(), name, version, QStringLiteral("reload"), by,
                                          QStringLiteral("uploaded again after it failed to load at a restart")};
            if (Status s = apply(name, m, event, model); !s)
                return Refusal{s.failure(), false};
            if (m_metrics)
                m_metrics->recordLoad(name, version, model->loadSeconds(), model->warmupSeconds());
            return QJsonObject{{QStringLiteral("model"), name},
                               {QStringLiteral("version"), version},
                               {QStringLiteral("state"), stateOf(m, version)},
                               {QStringLiteral("reloaded"), true},
                               {QStringLiteral("load_ms"), model->loadSeconds() * 1000},
                               {QStringLiteral("warmup_ms"), model->warmupSeconds() * 1000}};
        }
        lock.unlock();
        return refuse(conflict(QStringLiteral("%1:%2 is deployed here already with other content (SHA-256 %3)")
                                   .arg(name, version, it->second->sha256())),
                      name, version, false);
    }

    if (Status s = m_state.savePackage(name, version, bytes); !s)
        return Refusal{s.failure(), false};

    AgentState::Model m = known ? models.at(name) : AgentState::Model{};
    m.versions << version;
    m.deployedBy[version] = by;
    const QString previous = m.active;
    const bool asCanary = canaryPercent > 0 && canaryPercent < 100 && !m.active.isEmpty();
    if (asCanary) {
        m.canary = version;
        m.canaryPercent = canaryPercent;
    } else {
        if (!m.active.isEmpty())
            m.activeBefore << m.active;
        m.active = version;
        m.canary.clear();
        m.canaryPercent = 0;
    }
    const AgentState::Event event{QDateTime::currentDateTimeUtc(), name, version,
                                  asCanary ? QStringLiteral("canary") : QStringLiteral("deploy"), by,
                                  asCanary ? QStringLiteral("canary at %1%").arg(canaryPercent)
                                           : previous.isEmpty() ? QStringLiteral("first version") : QStringLiteral("replaces %1").arg(previous)};
    if (Status s = apply(name, m, event, model); !s)
        return Refusal{s.failure(), false}; // not remembered, so not served
    if (m_metrics)
        m_metrics->recordLoad(name, version, model->loadSeconds(), model->warmupSeconds());
    return QJsonObject{{QStringLiteral("model"), name},
                       {QStringLiteral("version"), version},
                       {QStringLiteral("state"), stateOf(m, version)},
                       {QStringLiteral("load_ms"), model->loadSeconds() * 1000},
                       {QStringLiteral("warmup_ms"), model->warmupSeconds() * 1000},
                       {QStringLiteral("smoke"), QJsonObject{{QStringLiteral("rows"), model->smoke().rows},
                                                            {QStringLiteral("matches"), model->smoke().matches}}},
                       {QStringLiteral("previous"), previous.isEmpty() ? QJsonValue() : QJsonValue(previous)}};
}

Result<QJsonObject> ModelRegistry::promote(const QString &name, const QString &by)
{
    std::lock_guard manage(m_manage);
    auto it = m_state.models().find(name);
    if (it == m_state.models().end())
        return notFound(QStringLiteral("no model \"%1\" is served here").arg(name));
    AgentState::Model m = it->second;
    if (m.canary.isEmpty())
        return conflict(QStringLiteral("model \"%1\" has no canary to promote").arg(name));
    const QString version = m.canary;
    const QString replaced = m.active;
    if (!m.active.isEmpty())
        m.activeBefore << m.active;
    m.active = version;
    m.canary.clear();
    m.canaryPercent = 0;
    if (Status s = apply(name, m, {QDateTime::currentDateTimeUtc(), name, version, QStringLiteral("promote"), by,
                                   QStringLiteral("replaces %1").arg(replaced)});
        !s)
        return s.failure();
    return modelJson(name);
}

Result<QJsonObject> ModelRegistry::rollback(const QString &name, const QString &by)
{
    std::lock_guard manage(m_manage);
    auto it = m_state.models().find(name);
    if (it == m_state.models().end())
        return notFound(QStringLiteral("no model \"%1\" is served here").arg(name));
    AgentState::Model m = it->second;
    QString detail;
    QString version;
    if (!m.canary.isEmpty()) {
        version = m.active;
        detail = QStringLiteral("drops the canary %1").arg(m.canary);
        m.canary.clear();
        m.canaryPercent = 0;
    } else {
        std::shared_lock lock(m_lock);
        const auto live = m_live.find(name);
        auto isLoaded = [&](const QString &v) { return live != m_live.end() && live->second.versions.count(v) > 0; };
        while (!m.activeBefore.isEmpty() && !isLoaded(m.activeBefore.last()))
            m.activeBefore.removeLast(); // a version that did not load after a restart
        if (m.activeBefore.isEmpty())
            return conflict(QStringLiteral("model \"%1\" has no earlier version to roll back to").arg(name));
        version = m.activeBefore.takeLast();
        detail = QStringLiteral("replaces %1").arg(m.active);
        m.active = version;
    }
    if (Status s = apply(name, m, {QDateTime::currentDateTimeUtc(), name, version, QStringLiteral("rollback"), by, detail}); !s)
        return s.failure();
    return modelJson(name);
}

Result<QJsonObject> ModelRegistry::setCanary(const QString &name, const QString &version, int percent, const QString &by)
{
    std::lock_guard manage(m_manage);
    auto it = m_state.models().find(name);
    if (it == m_state.models().end())
        return notFound(QStringLiteral("no model \"%1\" is served here").arg(name));
    if (percent < 0 || percent > 100)
        return invalidInput(QStringLiteral("the canary share must be 0 to 100 percent, not %1").arg(percent));
    AgentState::Model m = it->second;
    const QString before = m.canary;
    if (percent == 0) {
        m.canary.clear();
        m.canaryPercent = 0;
    } else {
        bool loaded = false;
        {
            std::shared_lock lock(m_lock);
            const auto live = m_live.find(name);
            loaded = live != m_live.end() && live->second.versions.count(version) > 0;
        }
        if (!loaded)
            return notFound(QStringLiteral("model \"%1\" has no version \"%2\" loaded").arg(name, version));
        if (version == m.active)
            return conflict(QStringLiteral("%1 is the active version of \"%2\"; a canary is another version").arg(version, name));
        m.canary = version;
        m.canaryPercent = percent;
    }
    if (Status s = apply(name, m, {QDateTime::currentDateTimeUtc(), name, percent ? version : before, QStringLiteral("canary"), by,
                                   percent ? QStringLiteral("canary at %1%").arg(percent) : QStringLiteral("canary off")});
        !s)
        return s.failure();
    return modelJson(name);
}

QJsonObject ModelRegistry::modelJsonLocked(const QString &name) const
{
    const AgentState::Model &m = m_state.models().at(name);
    const auto live = m_live.find(name);
    QJsonArray versions;
    for (const QString &version : m.versions) {
        QJsonObject v{{QStringLiteral("version"), version}, {QStringLiteral("state"), stateOf(m, version)}};
        const auto by = m.deployedBy.find(version);
        v.insert(QStringLiteral("deployed_by"), by == m.deployedBy.end() ? QString() : by->second);
        if (live != m_live.end()) {
            const auto it = live->second.versions.find(version);
            if (it != live->second.versions.end()) {
                const ServedModel &s = *it->second;
                v.insert(QStringLiteral("sha256"), s.sha256());
                v.insert(QStringLiteral("signed_by"), s.signedBy());
                v.insert(QStringLiteral("loaded_at"), s.loadedAt().toString(Qt::ISODateWithMs));
                v.insert(QStringLiteral("load_ms"), s.loadSeconds() * 1000);
                v.insert(QStringLiteral("warmup_ms"), s.warmupSeconds() * 1000);
            } else {
                v.insert(QStringLiteral("state"), QStringLiteral("failed"));
            }
        }
        versions.append(v);
    }
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("active"), m.active.isEmpty() ? QJsonValue() : QJsonValue(m.active)},
        {QStringLiteral("canary"), m.canary.isEmpty() ? QJsonValue()
                                                      : QJsonValue(QJsonObject{{QStringLiteral("version"), m.canary},
                                                                               {QStringLiteral("percent"), m.canaryPercent}})},
        {QStringLiteral("versions"), versions},
    };
}

Result<QJsonObject> ModelRegistry::modelJson(const QString &name) const
{
    std::shared_lock lock(m_lock);
    if (!m_state.models().count(name))
        return notFound(QStringLiteral("no model \"%1\" is served here").arg(name));
    return modelJsonLocked(name);
}

QJsonObject ModelRegistry::listJson() const
{
    std::shared_lock lock(m_lock);
    QJsonArray models;
    for (const auto &[name, m] : m_state.models())
        models.append(modelJsonLocked(name));
    return QJsonObject{{QStringLiteral("models"), models}};
}

QJsonArray ModelRegistry::historyJson() const
{
    QJsonArray events;
    for (const AgentState::Event &e : m_state.history())
        events.append(e.toJson());
    return events;
}

} // namespace mlwb
