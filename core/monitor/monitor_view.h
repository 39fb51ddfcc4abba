// SPDX-License-Identifier: MIT
#pragma once

// MonitorView: a target's monitoring figures over a time range, cut into equal slots for the
// charts and summed over the whole range for the summary and the drift tables. It is fed the
// stored increases of every series (MetricSnapshot::Diff's changes as the project file keeps
// them) and knows the agent's families (docs/agent.md, docs/monitoring.md): requests by status,
// the latency histogram, the prediction and input families.
//
// Time that no successful poll covers is a gap: a slot without coverage gives NaN throughput,
// error rate and latency (drawn as a break), never zero traffic. Rates divide by the time the
// polls covered, not the slot's length, so a half-covered slot is not half the traffic.

#include "monitor/metric_snapshot.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <map>
#include <utility>
#include <vector>

namespace mlwb {

class MonitorView {
public:
    using Labels = QList<std::pair<QString, QString>>;
    struct Point {
        qint64 tMs = 0;
        qint64 spanMs = 0;
        double value = 0.0;
    };
    // One poll's outcome, for gaps and restart marks.
    struct Poll {
        qint64 tMs = 0;
        bool ok = true;
        bool reset = false;
        QString error;
    };
    // A feature's (or the prediction's) counts over the range.
    struct Distribution {
        // numeric: the histogram's bounds as the agent wrote them (below(e0) ... en) and the
        // counts below the training range, in each baseline bin, above it.
        std::vector<double> bounds;
        double below = 0.0;
        std::vector<double> bins;
        double above = 0.0;
        // categorical: count by category name (also the classes of a classifier's predictions)
        QMap<QString, double> categories;
        double missing = 0.0;
        double total() const;
        bool numeric() const { return !bounds.empty(); }
    };
    struct Totals {
        double requests = 0.0;
        double errors = 0.0;
        double rows = 0.0;
        double coveredSeconds = 0.0;
        double throughputRps = 0.0; // requests / covered seconds; NaN with no coverage
        double errorRate = 0.0;     // errors / requests; NaN with no requests
        double p50Ms = 0.0, p95Ms = 0.0, p99Ms = 0.0;
        QMap<QString, double> byStatus;
    };

    // Slot i holds points ending in (from + i*slot, from + (i+1)*slot]; a point's value covers
    // the span before its time.
    MonitorView(qint64 fromMs, qint64 toMs, int slots);

    // One series' stored points (those outside the range are ignored).
    void addSeries(const QString &name, const QString &canonicalLabels, MetricSnapshot::Kind kind,
                   const QList<Point> &points);
    void addSeries(const QString &name, const Labels &labels, MetricSnapshot::Kind kind, const QList<Point> &points);
    // Polls in the range, any order.
    void addPolls(const QList<Poll> &polls);

    qint64 fromMs() const { return m_from; }
    qint64 toMs() const { return m_to; }
    int slots() const { return m_slots; }
    qint64 slotMs() const { return m_slotMs; }
    qint64 slotEndMs(int slot) const { return m_from + (slot + 1) * m_slotMs; }

    // Models and their versions seen in the range, sorted.
    QStringList models() const;
    QStringList versions(const QString &model) const;

    // Per slot; an empty model means every model. NaN where the slot has no coverage (or, for
    // the error rate and latencies, no requests).
    std::vector<double> throughput(const QString &model = {}) const;
    std::vector<double> errorRate(const QString &model = {}) const;
    std::vector<double> latencyMs(double q, const QString &model = {}) const;
    std::vector<double> coveredSeconds() const;
    // Over the whole range; an empty version means every version.
    Totals totals(const QString &model = {}, const QString &version = {}) const;

    QStringList features(const QString &model, const QString &version) const;
    Distribution feature(const QString &model, const QString &version, const QString &feature) const;
    Distribution prediction(const QString &model, const QString &version) const;

    const QList<Poll> &polls() const { return m_polls; }
    // Failed polls and resets in the range.
    int failedPolls() const;
    int resets() const;
    // The time of the last successful poll in the range, 0 when none.
    qint64 lastOkMs() const;

    // {a="x",b="y"} read back (values unescaped); empty for malformed text.
    static Labels parseLabels(const QString &canonical);

private:
    struct Series {
        QString name;
        Labels labels;
        MetricSnapshot::Kind kind;
        std::vector<double> slots; // summed increases (Delta) or the last value (Gauge)
        double total = 0.0;        // summed over the range (Delta), last value (Gauge)
        QString label(const QString &key) const;
    };
    int slotOf(qint64 tMs) const;
    // The series of `name` whose labels match model (and version when not empty).
    std::vector<const Series *> select(const QString &name, const QString &model, const QString &version = {}) const;
    // le-ordered cumulative buckets of a histogram summed over the selected series.
    std::map<double, std::vector<double>> buckets(const QString &name, const QString &model,
                                                  const QString &version, const QString &feature) const;
    Distribution histogramDistribution(const QString &name, const QString &model, const QString &version,
                                       const QString &feature) const;

    qint64 m_from;
    qint64 m_to;
    int m_slots;
    qint64 m_slotMs;
    std::vector<Series> m_series;
    std::map<qint64, qint64> m_spans; // distinct poll time -> span, from the points
    QList<Poll> m_polls;
};

} // namespace mlwb
