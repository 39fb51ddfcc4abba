// SPDX-License-Identifier: MIT
#include "store/metric_reader.h"

#include "store/database.h"
#include "store/metric_logger.h"
#include "store/statement.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlwb {

namespace {

// SQLite stores a NaN as NULL (schema 4); every value column reads through this.
double valueAt(sqlite3_stmt *h, int column)
{
    if (sqlite3_column_type(h, column) == SQLITE_NULL)
        return std::numeric_limits<double>::quiet_NaN();
    return sqlite3_column_double(h, column);
}

// Adds one point to a bucket: min and max over the points that are not NaN.
void addPoint(MetricBucket &b, qint64 step, double v)
{
    if (std::isnan(v)) {
        ++b.nanCount;
    } else {
        b.min = std::isnan(b.min) ? v : std::min(b.min, v);
        b.max = std::isnan(b.max) ? v : std::max(b.max, v);
    }
    if (!std::isfinite(v) && (b.firstNonFiniteStep < 0 || step < b.firstNonFiniteStep)) {
        b.firstNonFiniteStep = step;
        b.firstNonFinite = v;
    }
}

} // namespace

Result<qint64> MetricReader::keyId(const QString &key)
{
    if (auto it = m_keyIds.constFind(key); it != m_keyIds.cend())
        return *it;
    auto st = m_db.prepare(QStringLiteral("SELECT id FROM metric_key WHERE name = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, key);
    auto row = st->step();
    if (!row)
        return row.failure();
    if (!*row)
        return qint64(0); // not cached: it may be logged later
    const qint64 id = st->columnInt(0);
    m_keyIds.insert(key, id);
    return id;
}

Result<QStringList> MetricReader::keys(qint64 runId)
{
    auto st = m_db.prepare(QStringLiteral(
        "SELECT k.name FROM metric_latest l JOIN metric_key k ON k.id = l.key_id "
        "WHERE l.run_id = ?1 ORDER BY k.name"));
    if (!st)
        return st.failure();
    st->bind(1, runId);
    QStringList out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        out << st->columnText(0);
    }
    return out;
}

Result<std::vector<MetricPoint>> MetricReader::series(qint64 runId, const QString &key,
                                                      qint64 fromStep, qint64 toStep)
{
    auto id = keyId(key);
    if (!id)
        return id.failure();
    std::vector<MetricPoint> out;
    if (*id == 0)
        return out;
    auto st = m_db.prepare(QStringLiteral(
        "SELECT step, wall, value FROM metric WHERE run_id = ?1 AND key_id = ?2 "
        "AND step BETWEEN ?3 AND ?4 ORDER BY step"));
    if (!st)
        return st.failure();
    st->bind(1, runId).bind(2, *id).bind(3, fromStep).bind(4, toStep);
    // The hot loop of chart reads: straight sqlite3 calls, no per-row wrapper overhead.
    sqlite3_stmt *h = st->handle();
    int rc;
    while ((rc = sqlite3_step(h)) == SQLITE_ROW)
        out.push_back(MetricPoint{sqlite3_column_int64(h, 0), sqlite3_column_double(h, 1),
                                  valueAt(h, 2)});
    if (rc != SQLITE_DONE)
        return m_db.error(QStringLiteral("reading metric \"%1\" of run %2").arg(key).arg(runId));
    return out;
}

Result<std::vector<MetricPoint>> MetricReader::history(qint64 runId, const QString &key)
{
    auto id = keyId(key);
    if (!id)
        return id.failure();
    std::vector<MetricPoint> out;
    if (*id == 0)
        return out;
    // The points a later one at the same step replaced (metric_repeat keeps them in the order
    // they came, seq) come before it: every point in step order, and in a step as logged.
    auto st = m_db.prepare(QStringLiteral(
        "SELECT step, wall, value FROM (SELECT step, wall, value, seq AS o FROM metric_repeat WHERE run_id = ?1 AND key_id = ?2 "
        "UNION ALL SELECT step, wall, value, 9223372036854775807 AS o FROM metric WHERE run_id = ?1 AND key_id = ?2) "
        "ORDER BY step, o"));
    if (!st)
        return st.failure();
    st->bind(1, runId).bind(2, *id);
    sqlite3_stmt *h = st->handle();
    int rc;
    while ((rc = sqlite3_step(h)) == SQLITE_ROW)
        out.push_back(MetricPoint{sqlite3_column_int64(h, 0), sqlite3_column_double(h, 1), valueAt(h, 2)});
    if (rc != SQLITE_DONE)
        return m_db.error(QStringLiteral("reading the history of metric \"%1\" of run %2").arg(key).arg(runId));
    return out;
}

Result<std::vector<MetricBucket>> MetricReader::buckets(qint64 runId, const QString &key,
                                                        int bucketCount, qint64 fromStep,
                                                        qint64 toStep)
{
    if (bucketCount <= 0)
        return fail(QStringLiteral("bucket count must be positive, got %1").arg(bucketCount));
    auto id = keyId(key);
    if (!id)
        return id.failure();
    std::vector<MetricBucket> out;
    if (*id == 0)
        return out;
    auto range = m_db.prepare(QStringLiteral(
        "SELECT min(step), max(step) FROM metric WHERE run_id = ?1 AND key_id = ?2 "
        "AND step BETWEEN ?3 AND ?4"));
    if (!range)
        return range.failure();
    range->bind(1, runId).bind(2, *id).bind(3, fromStep).bind(4, toStep);
    auto row = range->step();
    if (!row)
        return row.failure();
    if (!*row || range->columnIsNull(0))
        return out;
    const qint64 lo = range->columnInt(0);
    const qint64 hi = range->columnInt(1);
    const double width = double(hi - lo + 1) / bucketCount;

    auto st = m_db.prepare(QStringLiteral(
        "SELECT step, value, wall FROM metric WHERE run_id = ?1 AND key_id = ?2 "
        "AND step BETWEEN ?3 AND ?4 ORDER BY step"));
    if (!st)
        return st.failure();
    st->bind(1, runId).bind(2, *id).bind(3, lo).bind(4, hi);
    out.reserve(size_t(std::min<qint64>(bucketCount, hi - lo + 1)));
    int current = -1;
    sqlite3_stmt *h = st->handle();
    int rc;
    while ((rc = sqlite3_step(h)) == SQLITE_ROW) {
        const qint64 step = sqlite3_column_int64(h, 0);
        const double v = valueAt(h, 1);
        const int b = std::min(bucketCount - 1, int(double(step - lo) / width));
        const double wall = sqlite3_column_double(h, 2);
        if (b != current) {
            const double nan = std::numeric_limits<double>::quiet_NaN();
            out.push_back(MetricBucket{step, step, wall, wall, nan, nan, v, 0});
            current = b;
        }
        MetricBucket &bucket = out.back();
        bucket.lastStep = step;
        bucket.lastWall = wall;
        addPoint(bucket, step, v);
        bucket.last = v;
        ++bucket.count;
    }
    if (rc != SQLITE_DONE)
        return m_db.error(QStringLiteral("reading metric \"%1\" of run %2").arg(key).arg(runId));
    return out;
}

Result<std::vector<MetricBucket>> MetricReader::chartBuckets(qint64 runId, const QString &key,
                                                             int bucketCount, qint64 fromStep,
                                                             qint64 toStep)
{
    if (bucketCount <= 0)
        return fail(QStringLiteral("bucket count must be positive, got %1").arg(bucketCount));
    auto id = keyId(key);
    if (!id)
        return id.failure();
    std::vector<MetricBucket> out;
    if (*id == 0)
        return out;
    const qint64 fromBlock = fromStep >> kMetricBlockShift;
    const qint64 toBlock = toStep >> kMetricBlockShift;
    auto range = m_db.prepare(QStringLiteral(
        "SELECT min(first_step), max(last_step) FROM metric_block WHERE run_id = ?1 AND key_id = ?2 "
        "AND block BETWEEN ?3 AND ?4"));
    if (!range)
        return range.failure();
    range->bind(1, runId).bind(2, *id).bind(3, fromBlock).bind(4, toBlock);
    auto row = range->step();
    if (!row)
        return row.failure();
    if (!*row || range->columnIsNull(0))
        return out;
    const qint64 lo = std::max(fromStep, range->columnInt(0));
    const qint64 hi = std::min(toStep, range->columnInt(1));
    // Short windows: the points themselves are few enough, and exact.
    if ((hi - lo + 1) <= (qint64(bucketCount) << (kMetricBlockShift + 1)))
        return buckets(runId, key, bucketCount, lo, hi);

    const double width = double(hi - lo + 1) / bucketCount;
    auto st = m_db.prepare(QStringLiteral(
        "SELECT first_step, last_step, first_wall, last_wall, min, max, last, count "
        "FROM metric_block WHERE run_id = ?1 AND key_id = ?2 AND block BETWEEN ?3 AND ?4 "
        "ORDER BY block"));
    if (!st)
        return st.failure();
    st->bind(1, runId).bind(2, *id).bind(3, lo >> kMetricBlockShift).bind(4, hi >> kMetricBlockShift);
    // The NaN points of the window, from the partial index metric_nan: blocks keep min and max
    // of the other points only.
    std::vector<qint64> nanSteps;
    {
        auto nans = m_db.prepare(QStringLiteral(
            "SELECT step FROM metric WHERE run_id = ?1 AND key_id = ?2 AND value IS NULL "
            "AND step BETWEEN ?3 AND ?4 ORDER BY step"));
        if (!nans)
            return nans.failure();
        nans->bind(1, runId).bind(2, *id).bind(3, (lo >> kMetricBlockShift) << kMetricBlockShift);
        nans->bind(4, ((hi >> kMetricBlockShift) << kMetricBlockShift) + (qint64(1) << kMetricBlockShift) - 1);
        sqlite3_stmt *nh = nans->handle();
        int nrc;
        while ((nrc = sqlite3_step(nh)) == SQLITE_ROW)
            nanSteps.push_back(sqlite3_column_int64(nh, 0));
        if (nrc != SQLITE_DONE)
            return m_db.error(QStringLiteral("reading the NaN points of \"%1\" of run %2").arg(key).arg(runId));
    }
    // The first infinite point of a block whose min or max is infinite (rare: a diverging run).
    auto inf = m_db.prepare(QStringLiteral(
        "SELECT step, value FROM metric WHERE run_id = ?1 AND key_id = ?2 AND step BETWEEN ?3 AND ?4 "
        "AND (value > 1.7976931348623157e308 OR value < -1.7976931348623157e308) "
        "ORDER BY step LIMIT 1"));
    if (!inf)
        return inf.failure();

    sqlite3_stmt *h = st->handle();
    out.reserve(size_t(bucketCount));
    auto nextNan = nanSteps.cbegin();
    int current = -1;
    int rc;
    while ((rc = sqlite3_step(h)) == SQLITE_ROW) {
        const qint64 first = sqlite3_column_int64(h, 0);
        const qint64 last = sqlite3_column_int64(h, 1);
        const double mn = valueAt(h, 4); // NaN: every point of the block is NaN
        const double mx = valueAt(h, 5);
        const double lastValue = valueAt(h, 6);
        const int b = std::clamp(int(double(std::max(first, lo) - lo) / width), 0, bucketCount - 1);
        if (b != current) {
            const double nan = std::numeric_limits<double>::quiet_NaN();
            out.push_back(MetricBucket{first, last, sqlite3_column_double(h, 2),
                                       sqlite3_column_double(h, 3), nan, nan, lastValue, 0});
            current = b;
        }
        MetricBucket &bucket = out.back();
        bucket.lastStep = last;
        bucket.lastWall = sqlite3_column_double(h, 3);
        if (!std::isnan(mn)) {
            bucket.min = std::isnan(bucket.min) ? mn : std::min(bucket.min, mn);
            bucket.max = std::isnan(bucket.max) ? mx : std::max(bucket.max, mx);
        }
        while (nextNan != nanSteps.cend() && *nextNan < first)
            ++nextNan;
        for (; nextNan != nanSteps.cend() && *nextNan <= last; ++nextNan) {
            ++bucket.nanCount;
            if (bucket.firstNonFiniteStep < 0 || *nextNan < bucket.firstNonFiniteStep) {
                bucket.firstNonFiniteStep = *nextNan;
                bucket.firstNonFinite = std::numeric_limits<double>::quiet_NaN();
            }
        }
        if (std::isinf(mn) || std::isinf(mx)) {
            inf->bind(1, runId).bind(2, *id).bind(3, first).bind(4, last);
            auto row = inf->step();
            if (!row)
                return row.failure();
            if (*row) {
                const qint64 step = inf->columnInt(0);
                if (bucket.firstNonFiniteStep < 0 || step < bucket.firstNonFiniteStep) {
                    bucket.firstNonFiniteStep = step;
                    bucket.firstNonFinite = inf->columnDouble(1);
                }
            }
            inf->reset();
        }
        bucket.last = lastValue;
        bucket.count += sqlite3_column_int64(h, 7);
    }
    if (rc != SQLITE_DONE)
        return m_db.error(QStringLiteral("reading the summary of \"%1\" of run %2").arg(key).arg(runId));
    return out;
}

Result<std::optional<MetricPoint>> MetricReader::firstNonFinite(qint64 runId, const QString &key)
{
    auto id = keyId(key);
    if (!id)
        return id.failure();
    std::optional<MetricPoint> found;
    if (*id == 0)
        return found;
    auto pointAt = [&](const QString &sql) -> Status {
        auto st = m_db.prepare(sql);
        if (!st)
            return st.failure();
        st->bind(1, runId).bind(2, *id);
        auto row = st->step();
        if (!row)
            return row.failure();
        if (*row && (!found || st->columnInt(0) < found->step))
            found = MetricPoint{st->columnInt(0), st->columnDouble(1), valueAt(st->handle(), 2)};
        return {};
    };
    // NaN through the partial index metric_nan; an infinity is a block's min or max, so only
    // the first such block is searched point by point.
    if (auto s = pointAt(QStringLiteral(
            "SELECT step, wall, value FROM metric WHERE run_id = ?1 AND key_id = ?2 "
            "AND value IS NULL ORDER BY step LIMIT 1"));
        !s)
        return s.failure();
    if (auto s = pointAt(QStringLiteral(
            "SELECT m.step, m.wall, m.value FROM metric m, "
            "  (SELECT first_step, last_step FROM metric_block WHERE run_id = ?1 AND key_id = ?2 "
            "   AND (min < -1.7976931348623157e308 OR max > 1.7976931348623157e308) "
            "   ORDER BY block LIMIT 1) b "
            "WHERE m.run_id = ?1 AND m.key_id = ?2 AND m.step BETWEEN b.first_step AND b.last_step "
            "AND (m.value > 1.7976931348623157e308 OR m.value < -1.7976931348623157e308) "
            "ORDER BY m.step LIMIT 1"));
        !s)
        return s.failure();
    return found;
}

Result<QList<LatestMetric>> MetricReader::latest(const QList<qint64> &runIds)
{
    QString where;
    if (!runIds.isEmpty()) {
        QStringList ids;
        for (qint64 id : runIds)
            ids << QString::number(id);
        where = QStringLiteral("WHERE l.run_id IN (%1)").arg(ids.join(u','));
    }
    auto st = m_db.prepare(QStringLiteral(
        "SELECT l.run_id, k.name, l.step, l.wall, l.value FROM metric_latest l "
        "JOIN metric_key k ON k.id = l.key_id %1 ORDER BY l.run_id, k.name").arg(where));
    if (!st)
        return st.failure();
    QList<LatestMetric> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        out << LatestMetric{st->columnInt(0), st->columnText(1), st->columnInt(2),
                            st->columnDouble(3), valueAt(st->handle(), 4)};
    }
    return out;
}

} // namespace mlwb
