// SPDX-License-Identifier: MIT
#include "demo/demo_monitoring_history.h"

#include "data/dataset_catalog.h"
#include "deploy/local_agent.h"
#include "jobs/job_feedback.h"
#include "monitor/monitor_poller.h"
#include "package/key_store.h"
#include "serve/agent_state.h"
#include "serve/model_registry.h"
#include "serve/serve_metrics.h"
#include "store/alert_repository.h"
#include "store/database.h"
#include "store/deployment_repository.h"
#include "store/monitor_repository.h"
#include "store/package_repository.h"
#include "store/target_repository.h"

#include <QDateTime>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <random>

namespace mlwb {

namespace {

constexpr qint64 kMinuteMs = 60'000;
constexpr qint64 kHourMs = 3600'000;
constexpr qint64 kDayMs = 24 * kHourMs;

// One mlwb-agent process as its main() builds it, without the HTTP front end: ServeMetrics
// started at `startSeconds`, a ModelRegistry over the agent's state directory, what the state
// lists restored. Requests take the path an answered inference takes through AgentService
// (the engine's prediction, the version's InputMonitor, the batch-size and request families),
// with the simulated latency in place of the measured one.
class SimulatedAgent {
public:
    static Result<std::unique_ptr<SimulatedAgent>> start(const QString &stateDir, const QList<PublicKey> &trusted,
                                                         double startSeconds)
    {
        Result<AgentState> state = AgentState::open(stateDir);
        if (!state)
            return state.failure();
        std::unique_ptr<SimulatedAgent> a(new SimulatedAgent(startSeconds));
        ServedModel::LoadOptions load;
        load.trusted = trusted;
        load.requireSignature = true;
        // Requests minutes apart never share a batch: each is a batch of its own, recorded so.
        load.batching.maxBatchSize = 1;
        a->m_registry = std::make_unique<ModelRegistry>(std::move(*state), load, &a->m_metrics);
        const QStringList problems = a->m_registry->restore();
        if (!problems.isEmpty())
            return fail(QStringLiteral("the demo's agent did not restore its models: %1").arg(problems.join(QStringLiteral("; "))));
        return a;
    }

    Status deploy(const QByteArray &package, const QString &by)
    {
        auto answer = m_registry->deploy(package, 0, by);
        if (const auto *refusal = std::get_if<ModelRegistry::Refusal>(&answer))
            return refusal->error;
        return {};
    }

    // The version that takes `model`'s traffic.
    Result<std::shared_ptr<ServedModel>> served(const QString &model) const
    {
        ModelRegistry::Routed routed = m_registry->route(model, QString(), nullptr);
        if (!routed.model)
            return fail(QStringLiteral("the demo's agent serves no %1: %2").arg(model, routed.error));
        return routed.model;
    }

    Status answer(const ServedModel &m, std::span<const float> raw, qint64 rows, double seconds,
                  InferenceEngine::Prediction &prediction)
    {
        if (Status s = m.engine().predictRaw(raw, rows, prediction); !s)
            return s.failure().reworded(QStringLiteral("the demo's agent: %1").arg(s.error()));
        m_metrics.recordBatch(m.name(), m.version(), int(rows));
        m_metrics.recordRequest(m.name(), m.version(), 200, seconds);
        if (const InputMonitor *monitor = m.monitor())
            monitor->record(raw, rows, prediction);
        return {};
    }

    // What AgentService records when the batcher's queue is full (503, busy).
    void refuse(const ServedModel &m, double seconds) { m_metrics.recordRequest(m.name(), m.version(), 503, seconds); }

    // GET /metrics: the queue depths set, then the text.
    QByteArray scrape(const QString &model)
    {
        m_metrics.setQueueDepth(model, 0);
        return m_metrics.render();
    }

private:
    explicit SimulatedAgent(double startSeconds) : m_metrics(startSeconds) {}

    ServeMetrics m_metrics; // before the registry, which records into it until it is gone
    std::unique_ptr<ModelRegistry> m_registry;
};

// Requests per hour at `tMs` (local time): a curve peaking mid-afternoon, nights at about 5 %
// of the peak, weekends at 60 % of weekdays.
double requestsPerHour(qint64 tMs, double peak)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(tMs);
    const double hour = t.time().hour() + t.time().minute() / 60.0;
    const double day = (1.0 + std::cos(2.0 * std::numbers::pi * (hour - 14.5) / 24.0)) / 2.0;
    const double weekend = t.date().dayOfWeek() >= 6 ? 0.6 : 1.0;
    return peak * weekend * (0.05 + 0.95 * day * day * day);
}

// The smallest gap between distinct values of a column: the precision it was measured to.
double resolutionOf(const std::vector<double> &values)
{
    std::vector<double> v;
    for (double x : values)
        if (std::isfinite(x))
            v.push_back(x);
    std::sort(v.begin(), v.end());
    double best = 0;
    for (size_t i = 1; i < v.size(); ++i) {
        const double gap = v[i] - v[i - 1];
        if (gap > 1e-12 && (best == 0 || gap < best))
            best = gap;
    }
    return best;
}

} // namespace

Result<DemoMonitoringHistory::Outcome> DemoMonitoringHistory::record(Database &db, const Options &o, JobFeedback *feedback)
{
    if (o.scrapeEveryMs < 1000 || o.lengthMs < o.scrapeEveryMs || o.shiftForMs < 0 || o.shiftForMs > o.lengthMs)
        return invalidInput(QStringLiteral("the demo's monitoring history: a scrape interval of at least 1 s, within a length "
                                           "that holds the shift"));
    PackageRepository packages(db);
    Result<PackageRecord> package = packages.get(o.packageId);
    if (!package)
        return package.failure();
    Result<LoadedDataset> dataset = DatasetCatalog(db).load(o.dataset);
    if (!dataset)
        return dataset.failure();
    Result<SigningKey> key = KeyStore().signingKey();
    if (!key)
        return key.failure().reworded(QStringLiteral("the demo's agent trusts the key that signed the package: %1").arg(key.error()));

    Outcome out;
    const qint64 endMs = o.endMs > 0 ? o.endMs : QDateTime::currentMSecsSinceEpoch();
    const qint64 steps = o.lengthMs / o.scrapeEveryMs;
    const qint64 firstMs = endMs - steps * o.scrapeEveryMs;
    const qint64 agentStartMs = firstMs - 12 * kMinuteMs;
    const qint64 deployMs = firstMs - 10 * kMinuteMs;
    out.shiftFromMs = endMs - o.shiftForMs;
    const QString by = KeyStore::userAtHost();

    // The target, the deployment and the monitor, as a user who deployed a week ago has them.
    TargetRecord target;
    target.name = QString::fromLatin1(LocalAgent::kTargetName);
    target.url = QString::fromLatin1(kTargetUrl);
    target.createdAt = QDateTime::fromMSecsSinceEpoch(agentStartMs - 5 * kMinuteMs, Qt::UTC);
    target.createdBy = by;
    Result<qint64> targetId = TargetRepository(db).add(target);
    if (!targetId)
        return targetId.failure().reworded(QStringLiteral("the demo's target: %1").arg(targetId.error()));
    target.id = out.targetId = *targetId;
    DeploymentRecord deployment;
    deployment.targetId = target.id;
    deployment.packageId = package->id;
    deployment.model = package->name;
    deployment.version = package->version;
    deployment.action = DeploymentAction::Deploy;
    deployment.by = by;
    deployment.at = QDateTime::fromMSecsSinceEpoch(deployMs, Qt::UTC);
    deployment.detail = QStringLiteral("the demo's local deployment: served in-process by mlwb demo, which simulated its "
                                       "week of traffic and monitoring (no agent ran)");
    if (Result<qint64> id = DeploymentRepository(db).add(deployment); !id)
        return id.failure();
    MonitorConfig stored;
    stored.targetId = target.id;
    if (Status s = MonitorRepository(db).setConfig(stored); !s)
        return s.failure();

    QTemporaryDir stateDir;
    if (!stateDir.isValid())
        return ioError(QStringLiteral("the demo's agent needs a temporary state folder: %1").arg(stateDir.errorString()));
    const QList<PublicKey> trusted{key->publicKey()};
    Result<std::unique_ptr<SimulatedAgent>> agent = SimulatedAgent::start(stateDir.path(), trusted, double(agentStartMs) / 1000.0);
    if (!agent)
        return agent.failure();
    if (Status s = (*agent)->deploy(package->archive, by); !s)
        return s.failure().reworded(QStringLiteral("the demo's agent refused %1 %2: %3").arg(package->name, package->version, s.error()));
    Result<std::shared_ptr<ServedModel>> served = (*agent)->served(package->name);
    if (!served)
        return served.failure();

    // The raw row's columns (the manifest's feature order), their precision, the shifted one.
    const DataTable &table = dataset->data.table;
    const std::vector<PackageManifest::Feature> &features = (*served)->manifest().input.features;
    std::vector<int> columns;
    std::vector<double> noise;
    int shifted = -1;
    for (const PackageManifest::Feature &f : features) {
        const int c = table.columnIndex(f.name);
        if (c < 0)
            return invalidInput(QStringLiteral("the demo's requests: data set %1 has no column %2").arg(o.dataset, f.name));
        if (f.name == o.shiftedFeature)
            shifted = int(columns.size());
        columns.push_back(c);
        noise.push_back(f.kind == QLatin1String("numeric") ? resolutionOf(table.columnData(c)) : 0.0);
    }
    if (shifted < 0)
        return invalidInput(QStringLiteral("the demo's drift: package %1 has no feature %2").arg(package->name, o.shiftedFeature));
    // Production that looks like training: rows of the training split, the baseline's own rows.
    // (Rows of the whole data set made the default KS rules, p < 0.05 over a sliding hour
    // judged every poll against 90 reference rows, fire a dozen short false alarms a week on
    // features that never moved.)
    const std::vector<qint64> pool = dataset->rows(SplitPart::Train);
    if (pool.empty())
        return invalidInput(QStringLiteral("the demo's requests: data set %1 has no training rows").arg(o.dataset));

    std::mt19937_64 rng(o.seed);
    std::vector<int> counts(size_t(steps) + 1, 0); // requests answered in (t[k-1], t[k]]
    for (qint64 k = 1; k <= steps; ++k) {
        const qint64 mid = firstMs + k * o.scrapeEveryMs - o.scrapeEveryMs / 2;
        std::poisson_distribution<int> n(requestsPerHour(mid, o.peakRequestsPerHour) * double(o.scrapeEveryMs) / double(kHourMs));
        counts[size_t(k)] = n(rng);
    }
    // The two refusals: in the busiest intervals (so one refusal stays under the 1 % error-rate
    // rule), a day or more apart and before the shift.
    std::vector<qint64> refusals;
    {
        std::vector<qint64> order;
        for (qint64 k = 1; k <= steps; ++k)
            if (firstMs + k * o.scrapeEveryMs < out.shiftFromMs)
                order.push_back(k);
        std::stable_sort(order.begin(), order.end(), [&](qint64 a, qint64 b) { return counts[size_t(a)] > counts[size_t(b)]; });
        for (qint64 k : order) {
            if (refusals.size() == 2)
                break;
            if (refusals.empty() || std::llabs(k - refusals.front()) * o.scrapeEveryMs >= kDayMs)
                refusals.push_back(k);
        }
    }
    // The restart: 03:40 on the fourth night (a maintenance window), when that is inside.
    {
        const QDateTime day = QDateTime::fromMSecsSinceEpoch(firstMs + 3 * kDayMs);
        out.restartMs = QDateTime(day.date(), QTime(3, 40)).toMSecsSinceEpoch();
        if (out.restartMs <= firstMs || out.restartMs >= endMs)
            out.restartMs = 0;
    }

    MonitorConfig polled = stored; // the stored retention; the interval the history was polled at
    polled.intervalMs = o.scrapeEveryMs;
    std::unique_ptr<SimulatedAgent> current = std::move(*agent);
    std::shared_ptr<ServedModel> model = *served;
    MonitorPoller poller(db, packages, target, polled, [&]() -> Result<QByteArray> { return current->scrape(model->name()); });

    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::normal_distribution<double> gauss(0.0, 1.0);
    std::uniform_int_distribution<size_t> pickRow(0, pool.size() - 1);
    std::uniform_int_distribution<int> batchRows(2, 8);
    const qint64 width = qint64(features.size());
    std::vector<float> raw;
    InferenceEngine::Prediction prediction;
    auto latency = [&](qint64 rows) { return (0.30 + 0.015 * double(rows)) * std::exp(0.2 * gauss(rng)) / 1000.0; };
    auto request = [&](qint64 tMs) -> Status {
        const qint64 rows = unit(rng) < 0.8 ? 1 : batchRows(rng);
        raw.resize(size_t(rows * width));
        for (qint64 r = 0; r < rows; ++r) {
            const qint64 row = pool[pickRow(rng)];
            for (qint64 f = 0; f < width; ++f) {
                double v = table.value(row, columns[size_t(f)]);
                const double step = noise[size_t(f)];
                if (step > 0 && std::isfinite(v)) // measured again, to the data set's precision
                    v = std::round((v + 0.35 * step * gauss(rng)) / step) * step;
                if (f == shifted && tMs >= out.shiftFromMs)
                    v *= o.shiftFactor;
                raw[size_t(r * width + f)] = float(v);
            }
        }
        if (Status s = current->answer(*model, raw, rows, latency(rows), prediction); !s)
            return s;
        ++out.requests;
        out.rows += rows;
        return {};
    };

    for (qint64 k = 0; k <= steps; ++k) {
        if (feedback && feedback->isCanceled())
            return cancelled(QStringLiteral("canceled"));
        const qint64 t = firstMs + k * o.scrapeEveryMs;
        const qint64 from = t - o.scrapeEveryMs;
        const bool restarts = out.restartMs > from && out.restartMs <= t;
        int afterRestart = 0;
        for (int i = 0; i < counts[size_t(k)]; ++i) {
            const qint64 at = from + 1 + qint64(unit(rng) * double(o.scrapeEveryMs - 1));
            if (restarts && at >= out.restartMs) {
                ++afterRestart; // answered below, by the agent that started at the restart
                continue;
            }
            if (Status s = request(at); !s)
                return s.failure();
        }
        if (restarts) {
            // A new process: what the old one counted since the last scrape is lost with it.
            current.reset();
            Result<std::unique_ptr<SimulatedAgent>> next =
                SimulatedAgent::start(stateDir.path(), trusted, double(out.restartMs + 3000) / 1000.0);
            if (!next)
                return next.failure();
            current = std::move(*next);
            Result<std::shared_ptr<ServedModel>> again = current->served(package->name);
            if (!again)
                return again.failure();
            model = *again;
            for (; afterRestart > 0; --afterRestart)
                if (Status s = request(out.restartMs + 3000); !s)
                    return s.failure();
        }
        if (std::find(refusals.begin(), refusals.end(), k) != refusals.end()) {
            current->refuse(*model, 0.00005);
            ++out.refused;
        }
        Result<MonitorPoller::Outcome> polledNow = poller.poll(t);
        if (!polledNow)
            return polledNow.failure().reworded(QStringLiteral("the demo's monitoring at %1: %2")
                                                    .arg(QDateTime::fromMSecsSinceEpoch(t).toString(Qt::ISODate), polledNow.error()));
        if (!polledNow->ok)
            return fail(QStringLiteral("the demo's monitoring: a scrape failed: %1").arg(polledNow->error));
        ++out.scrapes;
        out.resets += polledNow->reset;
        if (feedback && k % 64 == 0)
            feedback->setProgress(double(k) / double(steps));
    }
    Result<QList<AlertRecord>> firing = AlertRepository(db).active(target.id);
    if (!firing)
        return firing.failure();
    out.firing = *firing;
    return out;
}

} // namespace mlwb
