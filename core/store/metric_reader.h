// SPDX-License-Identifier: MIT
#pragma once

// MetricReader: reads metric series back in step order, whole or as a step window, raw or
// decimated to per-bucket min/max for charts, and the latest value of every (run, key). NaN and
// infinities read back as themselves (SQLite stores a NaN as NULL; schema 4).

#include "common/result.h"
#include "store/records.h"

#include <QHash>
#include <QList>
#include <QStringList>

#include <limits>
#include <optional>
#include <vector>

namespace mlwb {

class Database;

class MetricReader {
public:
    explicit MetricReader(Database &db) : m_db(db) {}

    Result<QStringList> keys(qint64 runId);
    Result<std::vector<MetricPoint>> series(qint64 runId, const QString &key,
                                            qint64 fromStep = std::numeric_limits<qint64>::min(),
                                            qint64 toStep = std::numeric_limits<qint64>::max());
    // Every point ever logged to a series, in step order: with a tracked run's points that a
    // later one at the same step replaced in the series (MLflow's append-only history, schema 10).
    Result<std::vector<MetricPoint>> history(qint64 runId, const QString &key);
    // Splits [fromStep, toStep] (default: the whole series) into bucketCount equal step ranges
    // and returns min, max and last value of each non-empty one.
    Result<std::vector<MetricBucket>> buckets(qint64 runId, const QString &key, int bucketCount,
                                              qint64 fromStep = std::numeric_limits<qint64>::min(),
                                              qint64 toStep = std::numeric_limits<qint64>::max());
    // For charts of long series: the same as buckets() but read from the per-64-step summary
    // the logger keeps, so the cost follows the number of blocks, not of points. Each bucket's
    // min and max are exact; a bucket's step range is widened to whole blocks. Falls back to
    // buckets() when the window is short.
    Result<std::vector<MetricBucket>> chartBuckets(
        qint64 runId, const QString &key, int bucketCount,
        qint64 fromStep = std::numeric_limits<qint64>::min(),
        qint64 toStep = std::numeric_limits<qint64>::max());
    // The first point of a series that is NaN or infinite: where a run diverged.
    Result<std::optional<MetricPoint>> firstNonFinite(qint64 runId, const QString &key);
    // Latest value of every key of the given runs (all runs if empty).
    Result<QList<LatestMetric>> latest(const QList<qint64> &runIds = {});

private:
    // 0 when the key was never logged.
    Result<qint64> keyId(const QString &key);
    Database &m_db;
    QHash<QString, qint64> m_keyIds;
};

} // namespace mlwb
