// SPDX-License-Identifier: MIT
#pragma once

// DemoMonitoringHistory: the demo project's local deployment and about a week of its
// monitoring, so the Monitoring pane shows something real at first start. Nothing in the
// history is written by hand. The demo's package is loaded by the agent's own code in-process
// (ModelRegistry: seal and signature checked, engine loaded, warmed up, smoke-tested; its
// ServeMetrics and InputMonitor made as mlwb-agent makes them; no network), answers requests
// made of the data set's training rows with its real predictions, and the text its /metrics would
// answer is scraped every few minutes of simulated time by the monitor's own poller
// (MonitorPoller: MetricSnapshot diffs, the store, the retention policy, the default alert
// rules and their evaluation), each scrape stamped with its simulated time.
//
// What is simulated, and only that: when requests come (a daily curve, quieter at weekends),
// how many rows each carries, the measurement noise on the rows, their latencies (a log-normal
// draw: in-process times would say nothing of an HTTP round trip, and a busy build machine's
// preemptions would make them noise), two requests refused with 503 (busy) at busy moments,
// one agent restart (a new process: its counters start again, the monitor sees a reset) and,
// for the last two days, one feature scaled (by default iris' petal width by 1.5), so that
// feature's drift alert fires and stays firing while the others stay green.

#include "common/result.h"
#include "store/records.h"

#include <QList>
#include <QString>

namespace mlwb {

class Database;
class JobFeedback;

class DemoMonitoringHistory {
public:
    // Where the demo's target says the local agent listens: mlwb-agent's default port. The
    // local agent, once started, points the target at its real port (LocalAgent::registerTarget).
    static constexpr const char *kTargetUrl = "http://127.0.0.1:8500";

    struct Options {
        qint64 packageId = 0;  // the project's package the history serves
        QString dataset;       // the data set whose training rows make the requests
        QString shiftedFeature;
        double shiftFactor = 1.5;
        qint64 shiftForMs = 2 * 24 * 3600'000LL; // the shift's length, up to the end
        qint64 endMs = 0;                        // the last scrape; 0: now
        qint64 lengthMs = 7 * 24 * 3600'000LL;   // from the first scrape to the last
        qint64 scrapeEveryMs = 5 * 60'000;
        double peakRequestsPerHour = 1800; // a weekday's busiest hour; nights see about 5 %
        quint64 seed = 13;
    };
    struct Outcome {
        qint64 targetId = 0;
        int scrapes = 0;
        int resets = 0;
        qint64 requests = 0; // answered
        qint64 rows = 0;
        int refused = 0;     // the 503s
        qint64 restartMs = 0;
        qint64 shiftFromMs = 0;
        QList<AlertRecord> firing; // at the end
    };

    // Registers the target `local` (it must not exist yet) with the package deployed to it and
    // a monitor on it, then records the history into `db`. Canceled through `feedback`.
    static Result<Outcome> record(Database &db, const Options &options, JobFeedback *feedback);
};

} // namespace mlwb
