// SPDX-License-Identifier: MIT
#pragma once

// MonitorPoller: one target watched. Each poll reads the agent's /metrics (or, for a target
// scraped by the team's Prometheus, the query API since the last poll), turns what changed into
// increases (MetricSnapshot::diff), stores them with the poll's outcome in one transaction,
// folds old points into coarser ones once an hour (the retention policy), makes sure every
// served model has its default alert rules, and fires or clears alerts. An agent that does not
// answer is a failed poll, stored as such (a gap), not an error: the poll goes on next time.
// A write to the project file that fails is an error and ends the poll.
//
// Each poll counts from the snapshot the last poll stored in the project file (monitor_state),
// whichever process made it, so `mlwb monitor --once` run from cron every few minutes records
// every span in between; the very first poll (or the first after more than an hour unwatched)
// only stores where the counters stand. A poll's points, its record and its snapshot are one
// transaction that checks the stored snapshot is still the one it counted from, so two pollers
// never count a span twice. Not thread-safe: one thread polls.

#include "common/result.h"
#include "monitor/alert_evaluator.h"
#include "monitor/metric_snapshot.h"
#include "monitor/monitor_baselines.h"
#include "store/records.h"

#include <QByteArray>
#include <QHash>

#include <functional>
#include <memory>
#include <optional>

namespace mlwb {

class Database;
class PackageRepository;
class TokenStore;

class MonitorPoller {
public:
    // The agent's /metrics text; an Io error when it does not answer.
    using Fetch = std::function<Result<QByteArray>()>;

    struct Outcome {
        qint64 tMs = 0;
        bool ok = false;
        bool reset = false;
        QString error;  // why the poll failed
        int points = 0; // stored
        QList<std::pair<QString, QString>> served; // (model, version) active or canary
        QList<AlertEvaluator::Finding> findings;
        QList<AlertEvaluator::Change> alertChanges;
    };

    // Polls `target` as its monitor config says; the agent's /metrics through `fetch` (tests
    // give their own), the Prometheus source through its query API.
    MonitorPoller(Database &db, PackageRepository &packages, TargetRecord target, MonitorConfig config, Fetch fetch);
    // The fetch of a real agent: AgentClient with the target's CA certificate (no token: /metrics needs none).
    static Fetch agentFetch(const TargetRecord &target);

    Result<Outcome> poll(qint64 nowMs);

    const MonitorConfig &config() const { return m_config; }
    const TargetRecord &target() const { return m_target; }

private:
    Result<qint64> seriesId(const MetricSnapshot::Key &key, MetricSnapshot::Kind kind);
    Result<QList<MetricSnapshot>> fetchPrometheus(qint64 nowMs, qint64 sinceMs);
    Result<std::optional<MetricSnapshot>> storedState();

    Database &m_db;
    TargetRecord m_target;
    MonitorConfig m_config;
    Fetch m_fetch;
    MonitorBaselines m_baselines;
    QHash<QString, qint64> m_seriesIds;
    qint64 m_lastCompactMs = 0;
};

} // namespace mlwb
