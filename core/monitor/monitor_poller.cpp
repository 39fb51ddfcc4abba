// SPDX-License-Identifier: MIT
#include "monitor/monitor_poller.h"

#include "deploy/agent_client.h"
#include "monitor/monitor_reader.h"
#include "monitor/prometheus_query.h"
#include "store/alert_repository.h"
#include "store/database.h"
#include "store/monitor_sample_repository.h"

#include <QSet>

namespace mlwb {

namespace {

constexpr qint64 kCompactEveryMs = 3600'000;

QList<std::pair<QString, QString>> servedVersions(const MetricSnapshot &s)
{
    QList<std::pair<QString, QString>> out;
    QSet<QString> seen;
    for (const auto &[key, value] : s.values()) {
        if (key.name != QLatin1String("mlwb_agent_model_info") || !(value.value > 0))
            continue;
        const MonitorView::Labels labels = MonitorView::parseLabels(key.labels);
        QString model, version, state;
        for (const auto &[k, v] : labels) {
            if (k == QLatin1String("model"))
                model = v;
            else if (k == QLatin1String("version"))
                version = v;
            else if (k == QLatin1String("state"))
                state = v;
        }
        if (model.isEmpty() || (state != QLatin1String("active") && state != QLatin1String("canary")))
            continue;
        if (!seen.contains(model + QLatin1Char('\n') + version)) {
            seen.insert(model + QLatin1Char('\n') + version);
            out.append({model, version});
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

MonitorPoller::MonitorPoller(Database &db, PackageRepository &packages, TargetRecord target, MonitorConfig config,
                             Fetch fetch)
    : m_db(db), m_target(std::move(target)), m_config(std::move(config)), m_fetch(std::move(fetch)), m_baselines(packages)
{
}

MonitorPoller::Fetch MonitorPoller::agentFetch(const TargetRecord &target)
{
    return [target]() -> Result<QByteArray> {
        AgentClient client(target, QByteArray()); // made on the polling thread, as it must be
        return client.metricsText();
    };
}

Result<qint64> MonitorPoller::seriesId(const MetricSnapshot::Key &key, MetricSnapshot::Kind kind)
{
    const QString mapKey = key.name + key.labels;
    if (const auto it = m_seriesIds.constFind(mapKey); it != m_seriesIds.cend())
        return *it;
    MonitorSampleRepository samples(m_db);
    Result<qint64> id = samples.seriesId(m_target.id, key.name, key.labels,
                                         kind == MetricSnapshot::Kind::Delta ? MonitorSeriesKind::Delta : MonitorSeriesKind::Gauge);
    if (!id)
        return id.failure();
    m_seriesIds.insert(mapKey, *id);
    return *id;
}

Result<QList<MetricSnapshot>> MonitorPoller::fetchPrometheus(qint64 nowMs, qint64 sinceMs)
{
    PrometheusQuery query(QUrl(m_config.prometheusUrl));
    const qint64 from = sinceMs > 0 ? sinceMs + 1 : nowMs - 2 * m_config.intervalMs;
    return query.snapshots(m_config.prometheusJob, from, nowMs, m_config.intervalMs);
}

Result<std::optional<MetricSnapshot>> MonitorPoller::storedState()
{
    MonitorSampleRepository samples(m_db);
    Result<std::optional<std::pair<qint64, QByteArray>>> st = samples.state(m_target.id);
    if (!st)
        return st.failure();
    if (!*st)
        return std::optional<MetricSnapshot>();
    Result<MetricSnapshot> s = MetricSnapshot::fromBytes((*st)->second);
    if (!s) // a damaged or foreign snapshot: start counting again rather than stop watching
        return std::optional<MetricSnapshot>();
    return std::optional<MetricSnapshot>(std::move(*s));
}

Result<MonitorPoller::Outcome> MonitorPoller::poll(qint64 nowMs)
{
    Outcome out;
    out.tMs = nowMs;
    MonitorSampleRepository samples(m_db);
    // A stored snapshot older than this is not counted from: the time between was not watched.
    const qint64 maxGapMs = std::max<qint64>(3600'000, 10 * m_config.intervalMs);

    for (int attempt = 0; attempt < 3; ++attempt) {
        Result<std::optional<MetricSnapshot>> previous = storedState();
        if (!previous)
            return previous.failure();
        const qint64 previousMs = *previous ? (*previous)->tMs() : 0;

        QList<MetricSnapshot> snapshots;
        QString failure;
        if (m_config.source == QLatin1String("prometheus")) {
            Result<QList<MetricSnapshot>> got = fetchPrometheus(nowMs, previousMs);
            if (got)
                snapshots = std::move(*got);
            else
                failure = got.error();
        } else {
            Result<QByteArray> text = m_fetch();
            if (text) {
                Result<MetricSnapshot> s = MetricSnapshot::fromText(*text, QStringLiteral("%1 /metrics").arg(m_target.name), nowMs);
                if (s)
                    snapshots.append(std::move(*s));
                else
                    failure = s.error();
            } else {
                failure = text.error();
            }
        }
        if (!failure.isEmpty()) {
            ScrapeRecord scrape;
            scrape.targetId = m_target.id;
            scrape.tMs = nowMs;
            scrape.ok = false;
            scrape.error = failure;
            if (Status s = samples.appendScrape(scrape); !s)
                return s.failure();
            out.error = failure;
            break;
        }
        out.ok = true;
        out.points = 0;
        out.reset = false;
        // Each snapshot counted from the one before it (Prometheus gives several per poll).
        std::optional<MetricSnapshot> from = *previous;
        qint64 expected = previousMs;
        bool conflict = false;
        for (MetricSnapshot &s : snapshots) {
            if (from && s.tMs() <= from->tMs())
                continue;
            std::vector<SeriesPoint> points;
            ScrapeRecord scrape;
            scrape.targetId = m_target.id;
            scrape.tMs = s.tMs();
            scrape.ok = true;
            if (from && s.tMs() - from->tMs() <= maxGapMs) {
                const MetricSnapshot::Diff d = MetricSnapshot::diff(*from, s);
                scrape.reset = d.reset;
                points.reserve(d.changes.size());
                for (const MetricSnapshot::Change &c : d.changes) {
                    Result<qint64> id = seriesId(c.key, c.kind);
                    if (!id)
                        return id.failure();
                    points.push_back(SeriesPoint{*id, d.spanMs, c.value});
                }
                out.reset = out.reset || d.reset;
            }
            // Else the first poll (or the first after a long pause): where the counters stand.
            const Status stored = samples.append(m_target.id, s.tMs(), points, scrape, s.toBytes(), expected);
            if (!stored && stored.kind() == ErrorKind::Conflict) {
                conflict = true; // another process polled meanwhile: count again from its poll
                break;
            }
            if (!stored)
                return stored.failure().reworded(QStringLiteral("storing the monitoring of %1: %2").arg(m_target.name, stored.error()));
            out.points += int(points.size());
            out.served = servedVersions(s);
            expected = s.tMs();
            from = std::move(s);
        }
        if (!conflict)
            break;
        out.ok = false;
        out.error = QStringLiteral("another process kept polling this target");
    }

    if (nowMs - m_lastCompactMs >= kCompactEveryMs) {
        if (Status s = samples.compact(m_target.id, nowMs); !s)
            return s.failure().reworded(QStringLiteral("the retention of %1's monitoring: %2").arg(m_target.name, s.error()));
        m_lastCompactMs = nowMs;
    }

    if (!out.served.isEmpty()) {
        if (Status s = AlertEvaluator::ensureDefaults(m_db, m_baselines, m_target.id, out.served); !s)
            return s.failure();
    }
    AlertRepository alerts(m_db);
    Result<QList<AlertRuleRecord>> rules = alerts.rules(m_target.id);
    if (!rules)
        return rules.failure();
    Result<QList<AlertEvaluator::Finding>> findings = AlertEvaluator::evaluate(
        *rules, nowMs, m_config.intervalMs,
        [&](qint64 from, qint64 to) { return MonitorReader::view(m_db, m_target.id, from, to, 60); }, m_baselines);
    if (!findings)
        return findings.failure();
    out.findings = *findings;
    Result<QList<AlertEvaluator::Change>> changes = AlertEvaluator::apply(m_db, m_target.id, *findings, nowMs);
    if (!changes)
        return changes.failure();
    out.alertChanges = *changes;
    return out;
}

} // namespace mlwb
