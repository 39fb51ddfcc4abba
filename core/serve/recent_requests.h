// SPDX-License-Identifier: MIT
#pragma once

// RecentRequests: the last answered requests of one model, kept in a ring for
// GET /mlwb/v1/models/NAME/recent (docs/monitoring.md): when, which version, the request's id,
// status, latency, its raw input rows and predictions. A request's rows beyond the first 64
// are not kept, so a ring of 1000 stays small whatever the requests' sizes. add() holds the
// ring's own mutex for a few moves; the JSON is made when it is asked for.

#include <QJsonArray>
#include <QString>
#include <QStringList>

#include <mutex>
#include <vector>

namespace mlwb {

class RecentRequests {
public:
    static constexpr qint64 kRowsKept = 64;

    struct Entry {
        qint64 timeMs = 0; // since the Unix epoch, UTC
        QString version;
        QString id;
        bool hasId = false;
        int status = 200;
        double latencyMs = 0;
        qint64 rows = 0;
        qint64 features = 0;
        std::vector<float> inputs;  // min(rows, kRowsKept) x features, raw
        std::vector<qint64> classes; // classification: the class per row kept
        QStringList labels;          // ... and the class names
        std::vector<float> values;   // regression: the prediction per row kept
    };

    explicit RecentRequests(qint64 capacity);
    RecentRequests(const RecentRequests &) = delete;
    RecentRequests &operator=(const RecentRequests &) = delete;

    qint64 capacity() const { return m_capacity; }
    // Keeps the entry, dropping the oldest when the ring is full (nothing when capacity is 0).
    // Inputs and predictions past kRowsKept rows are cut here.
    void add(Entry entry);
    // The last `limit` entries, oldest first, in the form of docs/monitoring.md.
    QJsonArray lastJson(qint64 limit) const;
    qint64 size() const;

private:
    const qint64 m_capacity;
    mutable std::mutex m_mutex;
    std::vector<Entry> m_ring;
    size_t m_next = 0; // where the next entry goes once the ring is full
};

} // namespace mlwb
