// SPDX-License-Identifier: MIT
#include "store/monitor_repository.h"

#include "store/database.h"
#include "store/statement.h"
#include "store/store_util.h"

#include <QUrl>

namespace mlwb {

namespace {
// An empty text as '' (a null QString binds NULL, which the NOT NULL columns refuse).
QString nn(const QString &s) { return s.isNull() ? QStringLiteral("") : s; }
} // namespace

Status MonitorRepository::check(const MonitorConfig &c)
{
    const QString who = QStringLiteral("the monitor of target %1").arg(c.targetId);
    if (c.source != QLatin1String("agent") && c.source != QLatin1String("prometheus"))
        return invalidInput(QStringLiteral("%1: the source is \"%2\", not agent or prometheus").arg(who, c.source));
    if (c.source == QLatin1String("prometheus")) {
        const QUrl url(c.prometheusUrl, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty())
            return invalidInput(QStringLiteral("%1: \"%2\" is not the http:// or https:// URL of a Prometheus server").arg(who, c.prometheusUrl));
    }
    if (c.intervalMs < 1000)
        return invalidInput(QStringLiteral("%1: polls at least a second apart, not every %2 ms").arg(who).arg(c.intervalMs));
    if (c.rawRetentionMs < c.intervalMs)
        return invalidInput(QStringLiteral("%1: every point is kept for at least one interval").arg(who));
    if (c.minuteRetentionMs < c.rawRetentionMs || c.hourRetentionMs < c.minuteRetentionMs)
        return invalidInput(QStringLiteral("%1: retentions go raw <= 1-minute points <= 1-hour points (%2, %3, %4 ms)")
                                .arg(who)
                                .arg(c.rawRetentionMs)
                                .arg(c.minuteRetentionMs)
                                .arg(c.hourRetentionMs));
    return {};
}

Result<MonitorConfig> MonitorRepository::config(qint64 targetId)
{
    auto exists = m_db.prepare(QStringLiteral("SELECT count(*) FROM target WHERE id = ?1"));
    if (!exists)
        return exists.failure();
    exists->bind(1, targetId);
    auto row = exists->step();
    if (!row)
        return row.failure();
    if (!*row || exists->columnInt(0) == 0)
        return notFound(QStringLiteral("no target with id %1").arg(targetId));
    exists = Statement();
    MonitorConfig c;
    c.targetId = targetId;
    auto st = m_db.prepare(QStringLiteral("SELECT source, prometheus_url, prometheus_job, interval_ms, raw_retention_ms, "
                                          "minute_retention_ms, hour_retention_ms FROM monitor WHERE target_id = ?1"));
    if (!st)
        return st.failure();
    st->bind(1, targetId);
    row = st->step();
    if (!row)
        return row.failure();
    if (*row) {
        c.source = st->columnText(0);
        c.prometheusUrl = st->columnText(1);
        c.prometheusJob = st->columnText(2);
        c.intervalMs = st->columnInt(3);
        c.rawRetentionMs = st->columnInt(4);
        c.minuteRetentionMs = st->columnInt(5);
        c.hourRetentionMs = st->columnInt(6);
    }
    return c;
}

Status MonitorRepository::setConfig(const MonitorConfig &c)
{
    if (Status s = check(c); !s)
        return s;
    auto st = m_db.prepare(QStringLiteral(
        "INSERT INTO monitor(target_id, source, prometheus_url, prometheus_job, interval_ms, raw_retention_ms, "
        "minute_retention_ms, hour_retention_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
        "ON CONFLICT (target_id) DO UPDATE SET source = excluded.source, prometheus_url = excluded.prometheus_url, "
        "prometheus_job = excluded.prometheus_job, interval_ms = excluded.interval_ms, raw_retention_ms = excluded.raw_retention_ms, "
        "minute_retention_ms = excluded.minute_retention_ms, hour_retention_ms = excluded.hour_retention_ms"));
    if (!st)
        return st.failure();
    st->bind(1, c.targetId).bind(2, c.source).bind(3, nn(c.prometheusUrl)).bind(4, nn(c.prometheusJob)).bind(5, c.intervalMs);
    st->bind(6, c.rawRetentionMs).bind(7, c.minuteRetentionMs).bind(8, c.hourRetentionMs);
    if (Status s = st->run(); !s) {
        if (s.error().contains(QStringLiteral("FOREIGN KEY")))
            return notFound(QStringLiteral("no target with id %1").arg(c.targetId));
        return s.failure().reworded(QStringLiteral("the monitor of target %1: %2").arg(c.targetId).arg(s.error()));
    }
    return {};
}

} // namespace mlwb
