// SPDX-License-Identifier: MIT
#pragma once

// MonitorRepository: how each target is watched (schema 8's monitor table): the source (the
// agent's own /metrics or a Prometheus server), the poll interval and the retention policy. A
// target without a row is watched with MonitorConfig's defaults.

#include "common/result.h"
#include "store/records.h"

namespace mlwb {

class Database;

class MonitorRepository {
public:
    explicit MonitorRepository(Database &db) : m_db(db) {}

    // NotFound when there is no such target.
    Result<MonitorConfig> config(qint64 targetId);
    // Checked first: an interval of at least 1 s, retentions raw <= 1-minute <= 1-hour (each at
    // least the interval), a Prometheus source with an http(s) URL.
    Status setConfig(const MonitorConfig &config);

    static Status check(const MonitorConfig &config);

private:
    Database &m_db;
};

} // namespace mlwb
