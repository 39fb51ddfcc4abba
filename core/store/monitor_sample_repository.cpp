// SPDX-License-Identifier: MIT
#include "store/monitor_sample_repository.h"

#include "store/database.h"
#include "store/monitor_repository.h"
#include "store/statement.h"
#include "store/transaction.h"

#include <cmath>
#include <limits>

namespace mlwb {

namespace {

// An empty text as '' (a null QString binds NULL, which the NOT NULL columns refuse).
QString nn(const QString &s) { return s.isNull() ? QStringLiteral("") : s; }

QString kindName(MonitorSeriesKind k) { return k == MonitorSeriesKind::Delta ? QStringLiteral("delta") : QStringLiteral("gauge"); }

void bindValue(Statement &st, int index, double v)
{
    if (std::isnan(v))
        st.bindNull(index); // SQLite keeps no NaN: NULL is read back as NaN
    else
        st.bind(index, v);
}

Status insertScrape(Database &db, const ScrapeRecord &r)
{
    auto st = db.prepare(QStringLiteral("INSERT INTO monitor_scrape(target_id, t_ms, ok, reset, error) VALUES (?1, ?2, ?3, ?4, ?5)"));
    if (!st)
        return st.failure();
    st->bind(1, r.targetId).bind(2, r.tMs).bind(3, r.ok ? 1 : 0).bind(4, r.reset ? 1 : 0).bind(5, nn(r.error.left(2000)));
    if (Status s = st->run(); !s)
        return s.failure().reworded(QStringLiteral("storing a poll of target %1: %2").arg(r.targetId).arg(s.error()));
    return {};
}

// Folds the target's points with from < t <= to into buckets of `width` ms (see the header).
Status fold(Database &db, qint64 targetId, qint64 from, qint64 to, qint64 width)
{
    if (to <= from)
        return {};
    if (Status s = db.exec(QStringLiteral("CREATE TEMP TABLE IF NOT EXISTS monitor_fold(series_id INTEGER, t_ms INTEGER, "
                                          "span_ms INTEGER, value REAL)"));
        !s)
        return s;
    if (Status s = db.exec(QStringLiteral("DELETE FROM temp.monitor_fold")); !s)
        return s;
    auto st = db.prepare(QStringLiteral(
        "INSERT INTO temp.monitor_fold "
        "SELECT p.series_id, ((p.t_ms - 1) / ?4 + 1) * ?4 AS bucket, sum(p.span_ms), "
        "  CASE WHEN s.kind = 'delta' THEN sum(p.value) "
        "       WHEN sum(CASE WHEN p.value IS NOT NULL THEN p.span_ms END) > 0 "
        "         THEN sum(p.value * p.span_ms) / sum(CASE WHEN p.value IS NOT NULL THEN p.span_ms END) "
        "       ELSE avg(p.value) END "
        "FROM monitor_series s JOIN monitor_sample p ON p.series_id = s.id "
        "WHERE s.target_id = ?1 AND p.t_ms > ?2 AND p.t_ms <= ?3 "
        "GROUP BY p.series_id, bucket"));
    if (!st)
        return st.failure();
    st->bind(1, targetId).bind(2, from).bind(3, to).bind(4, width);
    if (Status s = st->run(); !s)
        return s;
    st = db.prepare(QStringLiteral("DELETE FROM monitor_sample WHERE series_id IN (SELECT id FROM monitor_series WHERE target_id = ?1) "
                                   "AND t_ms > ?2 AND t_ms <= ?3"));
    if (!st)
        return st.failure();
    st->bind(1, targetId).bind(2, from).bind(3, to);
    if (Status s = st->run(); !s)
        return s;
    return db.exec(QStringLiteral("INSERT INTO monitor_sample(series_id, t_ms, span_ms, value) "
                                  "SELECT series_id, t_ms, span_ms, value FROM temp.monitor_fold"));
}

qint64 alignDown(qint64 t, qint64 width) { return t >= 0 ? t / width * width : -((-t + width - 1) / width) * width; }

} // namespace

Result<qint64> MonitorSampleRepository::seriesId(qint64 targetId, const QString &name, const QString &labels, MonitorSeriesKind kind)
{
    auto find = m_db.prepare(QStringLiteral("SELECT id FROM monitor_series WHERE target_id = ?1 AND name = ?2 AND labels = ?3"));
    if (!find)
        return find.failure();
    find->bind(1, targetId).bind(2, name).bind(3, nn(labels));
    auto row = find->step();
    if (!row)
        return row.failure();
    if (*row)
        return find->columnInt(0);
    find = Statement();
    auto st = m_db.prepare(QStringLiteral("INSERT INTO monitor_series(target_id, name, labels, kind) VALUES (?1, ?2, ?3, ?4)"));
    if (!st)
        return st.failure();
    st->bind(1, targetId).bind(2, name).bind(3, nn(labels)).bind(4, kindName(kind));
    if (Status s = st->run(); !s)
        return s.failure().reworded(QStringLiteral("the series %1%2 of target %3: %4").arg(name, labels).arg(targetId).arg(s.error()));
    return m_db.lastInsertId();
}

Result<QList<MonitorSeriesRecord>> MonitorSampleRepository::series(qint64 targetId)
{
    auto st = m_db.prepare(QStringLiteral("SELECT id, target_id, name, labels, kind FROM monitor_series WHERE target_id = ?1 ORDER BY id"));
    if (!st)
        return st.failure();
    st->bind(1, targetId);
    QList<MonitorSeriesRecord> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        MonitorSeriesRecord r;
        r.id = st->columnInt(0);
        r.targetId = st->columnInt(1);
        r.name = st->columnText(2);
        r.labels = st->columnText(3);
        r.kind = st->columnText(4) == QLatin1String("gauge") ? MonitorSeriesKind::Gauge : MonitorSeriesKind::Delta;
        out << r;
    }
    return out;
}

Status MonitorSampleRepository::append(qint64 targetId, qint64 tMs, const std::vector<SeriesPoint> &points, const ScrapeRecord &scrape,
                                       const QByteArray &snapshot, std::optional<qint64> expectedStateMs)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.failure();
    if (expectedStateMs) {
        auto now = state(targetId);
        if (!now)
            return now.failure();
        const qint64 stored = *now ? (*now)->first : 0;
        if (stored != *expectedStateMs)
            return conflict(QStringLiteral("target %1 was polled by another process meanwhile (its last poll is at %2 ms, not %3)")
                                .arg(targetId)
                                .arg(stored)
                                .arg(*expectedStateMs));
    }
    if (!points.empty()) {
        auto st = m_db.prepare(QStringLiteral("INSERT INTO monitor_sample(series_id, t_ms, span_ms, value) VALUES (?1, ?2, ?3, ?4) "
                                              "ON CONFLICT (series_id, t_ms) DO UPDATE SET span_ms = excluded.span_ms, value = excluded.value"));
        if (!st)
            return st.failure();
        for (const SeriesPoint &p : points) {
            st->bind(1, p.seriesId).bind(2, tMs).bind(3, std::max<qint64>(0, p.spanMs));
            bindValue(*st, 4, p.value);
            if (Status s = st->run(); !s)
                return s.failure().reworded(QStringLiteral("storing the monitoring of target %1: %2").arg(targetId).arg(s.error()));
        }
    }
    if (Status s = insertScrape(m_db, scrape); !s)
        return s;
    if (!snapshot.isEmpty()) {
        auto st = m_db.prepare(QStringLiteral("INSERT INTO monitor_state(target_id, t_ms, snapshot) VALUES (?1, ?2, ?3) "
                                              "ON CONFLICT (target_id) DO UPDATE SET t_ms = excluded.t_ms, snapshot = excluded.snapshot"));
        if (!st)
            return st.failure();
        st->bind(1, targetId).bind(2, tMs).bind(3, snapshot);
        if (Status s = st->run(); !s)
            return s.failure().reworded(QStringLiteral("storing the last poll of target %1: %2").arg(targetId).arg(s.error()));
    }
    return tx->commit();
}

Status MonitorSampleRepository::appendScrape(const ScrapeRecord &scrape)
{
    return insertScrape(m_db, scrape);
}

Result<std::optional<std::pair<qint64, QByteArray>>> MonitorSampleRepository::state(qint64 targetId)
{
    auto st = m_db.prepare(QStringLiteral("SELECT t_ms, snapshot FROM monitor_state WHERE target_id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, targetId);
    auto row = st->step();
    if (!row)
        return row.failure();
    if (!*row)
        return std::optional<std::pair<qint64, QByteArray>>();
    return std::optional<std::pair<qint64, QByteArray>>(std::make_pair(st->columnInt(0), st->columnBlob(1)));
}

Result<QList<MonitorPoint>> MonitorSampleRepository::read(qint64 seriesId, qint64 fromMs, qint64 toMs)
{
    auto st = m_db.prepare(QStringLiteral("SELECT t_ms, span_ms, value FROM monitor_sample WHERE series_id = ?1 AND t_ms >= ?2 "
                                          "AND t_ms <= ?3 ORDER BY t_ms"));
    if (!st)
        return st.failure();
    st->bind(1, seriesId).bind(2, fromMs).bind(3, toMs);
    QList<MonitorPoint> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        out.append({st->columnInt(0), st->columnInt(1),
                    st->columnIsNull(2) ? std::numeric_limits<double>::quiet_NaN() : st->columnDouble(2)});
    }
    return out;
}

Result<QList<ScrapeRecord>> MonitorSampleRepository::scrapes(qint64 targetId, qint64 fromMs, qint64 toMs)
{
    auto st = m_db.prepare(QStringLiteral("SELECT t_ms, ok, reset, error FROM monitor_scrape WHERE target_id = ?1 AND t_ms >= ?2 "
                                          "AND t_ms <= ?3 ORDER BY t_ms, id"));
    if (!st)
        return st.failure();
    st->bind(1, targetId).bind(2, fromMs).bind(3, toMs);
    QList<ScrapeRecord> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        ScrapeRecord r;
        r.targetId = targetId;
        r.tMs = st->columnInt(0);
        r.ok = st->columnInt(1) != 0;
        r.reset = st->columnInt(2) != 0;
        r.error = st->columnText(3);
        out << r;
    }
    return out;
}

Result<qint64> MonitorSampleRepository::pointCount(qint64 targetId)
{
    auto st = m_db.prepare(QStringLiteral("SELECT count(*) FROM monitor_sample WHERE series_id IN "
                                          "(SELECT id FROM monitor_series WHERE target_id = ?1)"));
    if (!st)
        return st.failure();
    st->bind(1, targetId);
    auto row = st->step();
    if (!row)
        return row.failure();
    return *row ? st->columnInt(0) : 0;
}

Status MonitorSampleRepository::compact(qint64 targetId, qint64 nowMs)
{
    Result<MonitorConfig> c = MonitorRepository(m_db).config(targetId);
    if (!c)
        return c.failure();
    const qint64 hourCutoff = nowMs - c->hourRetentionMs;
    const qint64 minuteCutoff = nowMs - c->minuteRetentionMs;
    const qint64 rawCutoff = nowMs - c->rawRetentionMs;
    // Only whole buckets fold: their ends at or before the cut-off.
    const qint64 hourEnd = alignDown(minuteCutoff, kHourMs);
    const qint64 minuteEnd = alignDown(rawCutoff, kMinuteMs);
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return tx.failure();
    auto st = m_db.prepare(QStringLiteral("DELETE FROM monitor_sample WHERE series_id IN (SELECT id FROM monitor_series WHERE target_id = ?1) "
                                          "AND t_ms <= ?2"));
    if (!st)
        return st.failure();
    st->bind(1, targetId).bind(2, hourCutoff);
    if (Status s = st->run(); !s)
        return s;
    st = Statement();
    if (Status s = fold(m_db, targetId, hourCutoff, hourEnd, kHourMs); !s)
        return s.failure().reworded(QStringLiteral("folding the monitoring of target %1 into hours: %2").arg(targetId).arg(s.error()));
    if (Status s = fold(m_db, targetId, std::max(hourCutoff, hourEnd), minuteEnd, kMinuteMs); !s)
        return s.failure().reworded(QStringLiteral("folding the monitoring of target %1 into minutes: %2").arg(targetId).arg(s.error()));
    st = m_db.prepare(QStringLiteral("DELETE FROM monitor_scrape WHERE target_id = ?1 AND (t_ms <= ?2 OR (ok = 1 AND reset = 0 AND t_ms <= ?3))"));
    if (!st)
        return st.failure();
    st->bind(1, targetId).bind(2, hourCutoff).bind(3, rawCutoff);
    if (Status s = st->run(); !s)
        return s;
    st = Statement();
    return tx->commit();
}

} // namespace mlwb
