// SPDX-License-Identifier: MIT
#pragma once

// MetricSnapshot: the values of an agent's series at one moment, read from its /metrics text or
// from one step of a Prometheus query, keyed by metric name and canonical label text
// ({a="x",b="y"}, sorted by label name). The monitor keeps increases, not totals: diff() turns
// two snapshots into what happened between them, the way Prometheus' increase() does. A counter
// that went down, or an agent whose start time changed, was restarted: its count since the
// restart is the increase, and the diff says there was a reset, so the dashboard shows a restart
// and never a negative rate.

#include "common/result.h"

#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QString>

namespace mlwb {

class PrometheusText;

class MetricSnapshot {
public:
    // Delta: a counter or histogram part, kept as increases (downsampling sums them). Gauge: a
    // level (downsampling averages it).
    enum class Kind { Delta, Gauge };
    struct Key {
        QString name;
        QString labels; // canonical: PrometheusText::labelsText of the labels sorted by name
        bool operator==(const Key &o) const { return name == o.name && labels == o.labels; }
    };
    struct Value {
        Kind kind = Kind::Gauge;
        double value = 0.0;
    };
    // One series' change between two snapshots: an increase (Delta) or the later value (Gauge).
    struct Change {
        Key key;
        Kind kind = Kind::Gauge;
        double value = 0.0;
    };
    struct Diff {
        qint64 tMs = 0;     // the later snapshot's time
        qint64 spanMs = 0;  // since the earlier one
        bool reset = false; // the agent restarted between them
        QList<Change> changes;
    };

    MetricSnapshot() = default;
    explicit MetricSnapshot(qint64 tMs) : m_tMs(tMs) {}

    // Every mlwb_agent_ series of the text: counters and histograms' _bucket, _sum and _count
    // are Delta series, gauges and untyped ones Gauge series. An InvalidInput error names the
    // source and line of malformed text.
    static Result<MetricSnapshot> fromText(QByteArrayView text, const QString &source, qint64 tMs);
    static MetricSnapshot fromParsed(const PrometheusText &text, qint64 tMs);

    void set(const Key &key, Kind kind, double value);
    qint64 tMs() const { return m_tMs; }
    bool isEmpty() const { return m_values.isEmpty(); }
    qsizetype size() const { return m_values.size(); }
    const Value *value(const Key &key) const;
    const QHash<QString, std::pair<Key, Value>> &values() const { return m_values; }
    // mlwb_agent_start_time_seconds, NaN when the snapshot has none.
    double startTime() const;

    // What changed from `earlier` to `later`. A Delta series new in `later` (a version loaded
    // since) counts from zero; one that went down, or any series after the start time changed,
    // counts its whole value (reset set). Gauges give their later value. NaN stays NaN.
    static Diff diff(const MetricSnapshot &earlier, const MetricSnapshot &later);

    static QString canonicalLabels(QList<std::pair<QString, QString>> labels);

    // The snapshot as the project file keeps the last one of each target (monitor_state), so
    // the next poll, by whichever process, counts from it: one line per series,
    // "D|G <TAB> name <TAB> labels <TAB> value", the first line "t <TAB> ms". Values with 17
    // significant digits (nan, inf, -inf spelt so), so they read back exactly.
    QByteArray toBytes() const;
    static Result<MetricSnapshot> fromBytes(const QByteArray &bytes);

private:
    qint64 m_tMs = 0;
    QHash<QString, std::pair<Key, Value>> m_values; // by name + labels
};

} // namespace mlwb
