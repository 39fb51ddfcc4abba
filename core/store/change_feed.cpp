// SPDX-License-Identifier: MIT
#include "store/change_feed.h"

#include "store/database.h"
#include "store/statement.h"

#include <algorithm>

namespace mlwb {

const QStringList &ChangeFeed::aggregates()
{
    static const QStringList all = {Aggregate::Dataset,  Aggregate::Model,   Aggregate::Sweep,
                                    Aggregate::Run,      Aggregate::Metrics, Aggregate::Evaluation,
                                    Aggregate::Artifact, Aggregate::Lease,   Aggregate::Package,
                                    Aggregate::Target,   Aggregate::Monitor, Aggregate::Alert,
                                    Aggregate::Report,   Aggregate::Experiment};
    return all;
}

Result<ChangeFeed> ChangeFeed::open(Database &db)
{
    ChangeFeed feed(db);
    // main.: a read-only reader of an older file has a TEMP stand-in that tracks nothing.
    auto tables = db.queryInt(QStringLiteral(
        "SELECT count(*) FROM main.sqlite_master WHERE type = 'table' AND name = 'change_counter'"));
    if (!tables)
        return tables.failure();
    feed.m_tracked = *tables > 0;
    if (feed.m_tracked) {
        auto n = feed.counter();
        if (!n)
            return n.failure();
        feed.m_seen = *n;
    }
    return feed;
}

Result<qint64> ChangeFeed::counter()
{
    return m_db->queryInt(QStringLiteral("SELECT n FROM main.change_counter WHERE id = 1"));
}

Result<ChangeSet> ChangeFeed::read()
{
    ChangeSet changes;
    if (!m_tracked) {
        for (const QString &aggregate : aggregates())
            changes.items.insert(aggregate, {});
        return changes;
    }
    auto n = counter();
    if (!n)
        return n.failure();
    if (*n == m_seen)
        return changes;
    auto st = m_db->prepare(QStringLiteral(
        "SELECT aggregate, item_id FROM main.change_log WHERE seq > ?1 ORDER BY aggregate, item_id"));
    if (!st)
        return st.failure();
    st->bind(1, m_seen);
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.failure();
        if (!*row)
            break;
        changes.items[st->columnText(0)].append(st->columnInt(1));
    }
    // A write committed between the two queries shows up in both: it is reported now, and
    // again (harmlessly) next time.
    m_seen = *n;
    return changes;
}

} // namespace mlwb
