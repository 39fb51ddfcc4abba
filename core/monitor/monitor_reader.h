// SPDX-License-Identifier: MIT
#pragma once

// MonitorReader: a target's stored monitoring (schema 8: monitor_series, monitor_sample,
// monitor_scrape) read back into a MonitorView over a time range. Reads whatever resolution the
// retention left (raw, 1-minute, 1-hour points) and the polls, failed ones included.

#include "common/result.h"
#include "monitor/monitor_view.h"

namespace mlwb {

class Database;

class MonitorReader {
public:
    static Result<MonitorView> view(Database &db, qint64 targetId, qint64 fromMs, qint64 toMs, int slots);
};

} // namespace mlwb
