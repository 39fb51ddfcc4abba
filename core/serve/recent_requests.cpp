// SPDX-License-Identifier: MIT
#include "serve/recent_requests.h"

#include <QDateTime>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace mlwb {

RecentRequests::RecentRequests(qint64 capacity) : m_capacity(std::max<qint64>(0, capacity)) {}

void RecentRequests::add(Entry e)
{
    if (m_capacity == 0)
        return;
    const qint64 kept = std::min(e.rows, kRowsKept);
    if (e.inputs.size() > size_t(kept * e.features))
        e.inputs.resize(size_t(kept * e.features));
    if (e.classes.size() > size_t(kept))
        e.classes.resize(size_t(kept));
    if (e.values.size() > size_t(kept))
        e.values.resize(size_t(kept));
    std::lock_guard lock(m_mutex);
    if (qint64(m_ring.size()) < m_capacity) {
        m_ring.push_back(std::move(e));
        return;
    }
    m_ring[m_next] = std::move(e); // the old entry is freed under the lock: a few small vectors
    m_next = (m_next + 1) % m_ring.size();
}

qint64 RecentRequests::size() const
{
    std::lock_guard lock(m_mutex);
    return qint64(m_ring.size());
}

namespace {

QJsonValue number(float v)
{
    return std::isfinite(v) ? QJsonValue(double(v)) : QJsonValue(); // JSON has no NaN: null
}

QJsonObject toJson(const RecentRequests::Entry &e)
{
    QJsonArray inputs;
    const qint64 f = std::max<qint64>(1, e.features);
    for (size_t at = 0; at + size_t(f) <= e.inputs.size(); at += size_t(f)) {
        QJsonArray row;
        for (qint64 k = 0; k < f; ++k)
            row.append(number(e.inputs[at + size_t(k)]));
        inputs.append(row);
    }
    QJsonArray predictions;
    for (qint64 c : e.classes)
        predictions.append(c >= 0 && c < e.labels.size() ? QJsonValue(e.labels[c]) : QJsonValue());
    for (float v : e.values)
        predictions.append(number(v));
    return QJsonObject{
        {QStringLiteral("time"), QDateTime::fromMSecsSinceEpoch(e.timeMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("version"), e.version},
        {QStringLiteral("id"), e.hasId ? QJsonValue(e.id) : QJsonValue()},
        {QStringLiteral("status"), e.status},
        {QStringLiteral("latency_ms"), e.latencyMs},
        {QStringLiteral("rows"), e.rows},
        {QStringLiteral("inputs"), inputs},
        {QStringLiteral("predictions"), predictions},
    };
}

} // namespace

QJsonArray RecentRequests::lastJson(qint64 limit) const
{
    std::vector<Entry> copies;
    {
        std::lock_guard lock(m_mutex);
        const size_t n = m_ring.size();
        const size_t take = size_t(std::clamp<qint64>(limit, 0, qint64(n)));
        // Oldest first: once full, the oldest sits at m_next.
        const size_t start = qint64(n) < m_capacity ? 0 : m_next;
        for (size_t i = n - take; i < n; ++i)
            copies.push_back(m_ring[(start + i) % n]);
    }
    QJsonArray out;
    for (const Entry &e : copies)
        out.append(toJson(e));
    return out;
}

} // namespace mlwb
