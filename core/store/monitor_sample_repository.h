// SPDX-License-Identifier: MIT
#pragma once

// MonitorSampleRepository: what the monitor stored of each target (schema 8): its series,
// their points, every poll, and the last snapshot a poll counted from. A poll is one
// transaction (never a commit per point: DESIGN.md's SQLite figures). compact() is the retention
// policy: points older than the raw retention are folded into 1-minute points, older than the
// 1-minute retention into 1-hour points, older than the 1-hour retention deleted, so a file's
// size stays bounded however long a target is watched.
//
// Folding: a Delta series' points sum (NaN ones skipped; NaN only when all were), a Gauge's
// average weighted by span (NaN ones skipped); the span is the sum of the spans, so rates over
// folded points stay rates over the time that was covered. A point belongs to the bucket its
// time ends, as in MonitorView: (end - width, end]. Folding twice changes nothing.

#include "common/result.h"
#include "store/records.h"

#include <QByteArray>
#include <QList>

#include <optional>
#include <utility>
#include <vector>

namespace mlwb {

class Database;

class MonitorSampleRepository {
public:
    static constexpr qint64 kMinuteMs = 60'000;
    static constexpr qint64 kHourMs = 3600'000;

    explicit MonitorSampleRepository(Database &db) : m_db(db) {}

    // The series' id, made on first use.
    Result<qint64> seriesId(qint64 targetId, const QString &name, const QString &labels, MonitorSeriesKind kind);
    Result<QList<MonitorSeriesRecord>> series(qint64 targetId);

    // One poll in one transaction: its points, its record and (when not empty) the snapshot the
    // next poll counts from. With `expectedStateMs`, the stored snapshot must still be the one
    // the points were counted from (its time; 0: none was stored), else Conflict and nothing is
    // written: another process polled meanwhile, and counting again from it is the caller's.
    Status append(qint64 targetId, qint64 tMs, const std::vector<SeriesPoint> &points, const ScrapeRecord &scrape,
                  const QByteArray &snapshot = {}, std::optional<qint64> expectedStateMs = std::nullopt);
    // A poll that stored nothing (the target did not answer).
    Status appendScrape(const ScrapeRecord &scrape);
    // The last snapshot stored (its time and bytes); nullopt: none yet.
    Result<std::optional<std::pair<qint64, QByteArray>>> state(qint64 targetId);

    // The series' points with fromMs <= t <= toMs, oldest first; NaN where none was known.
    Result<QList<MonitorPoint>> read(qint64 seriesId, qint64 fromMs, qint64 toMs);
    Result<QList<ScrapeRecord>> scrapes(qint64 targetId, qint64 fromMs, qint64 toMs);
    Result<qint64> pointCount(qint64 targetId);

    // The retention policy of the target's monitor config, at nowMs. Successful polls that saw no
    // restart are kept as long as raw points; failed ones and restarts as long as 1-hour points.
    Status compact(qint64 targetId, qint64 nowMs);

private:
    Database &m_db;
};

} // namespace mlwb
