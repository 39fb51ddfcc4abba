// SPDX-License-Identifier: MIT
#pragma once

// PrometheusQuery: a Prometheus server's HTTP API (/api/v1/query_range), for a target whose
// agent is scraped by the team's Prometheus rather than polled by the workbench. Called
// synchronously like AgentClient (a local event loop per call), so it runs on a job's thread or
// in the CLI. Prometheus refuses a query_range of more than 11,000 points per series, so the
// step is widened to fit (stepFor). Values come back as strings ("NaN", "+Inf" included) and are
// read as doubles, NaN kept.
//
// snapshots() turns the agent's series, as Prometheus stored them, into the MetricSnapshots the
// monitor diffs, the job and instance labels Prometheus adds taken off, so both sources give
// the same series keys.

#include "common/result.h"
#include "monitor/metric_snapshot.h"

#include <QList>
#include <QString>
#include <QUrl>

#include <utility>
#include <vector>

namespace mlwb {

class PrometheusQuery {
public:
    static constexpr qint64 kMaxPointsPerSeries = 11000;

    struct Series {
        QList<std::pair<QString, QString>> labels; // __name__ included
        std::vector<std::pair<qint64, double>> points; // ms since the epoch, value
    };

    // `base`: the server's URL (http://host:9090). timeoutMs per call.
    explicit PrometheusQuery(QUrl base, int timeoutMs = 30000);

    // The step (ms, whole seconds) to ask for: `wantedMs` or wider, so that [from, to] holds
    // at most kMaxPointsPerSeries points.
    static qint64 stepFor(qint64 fromMs, qint64 toMs, qint64 wantedMs);

    // An error names the server, the query and Prometheus' own "error" text.
    Result<QList<Series>> queryRange(const QString &query, qint64 fromMs, qint64 toMs, qint64 stepMs) const;
    // The query_range URL it asks: every parameter percent-encoded, '+' included (a server
    // reads a bare '+' in a query string as a space, which turns the regex ".+" into ". ").
    QUrl rangeUrl(const QString &query, qint64 fromMs, qint64 toMs, qint64 stepMs) const;
    // Every mlwb_agent_ series of `job` (any job when empty), one snapshot per step that has
    // points, oldest first. Kinds by name: _total, _bucket, _sum, _count are Delta.
    Result<QList<MetricSnapshot>> snapshots(const QString &job, qint64 fromMs, qint64 toMs, qint64 stepMs) const;

    // A query_range answer's body read (exposed for the tests and the fuzzer).
    static Result<QList<Series>> parseMatrix(const QByteArray &body, const QString &source);

private:
    QUrl m_base;
    int m_timeoutMs;
};

} // namespace mlwb
