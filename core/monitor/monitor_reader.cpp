// SPDX-License-Identifier: MIT
#include "monitor/monitor_reader.h"

#include "store/database.h"
#include "store/monitor_sample_repository.h"

namespace mlwb {

Result<MonitorView> MonitorReader::view(Database &db, qint64 targetId, qint64 fromMs, qint64 toMs, int slots)
{
    MonitorView view(fromMs, toMs, slots);
    MonitorSampleRepository samples(db);
    Result<QList<MonitorSeriesRecord>> series = samples.series(targetId);
    if (!series)
        return series.failure();
    for (const MonitorSeriesRecord &s : *series) {
        // A point ending at `from` covers time before the range (MonitorView's slots).
        Result<QList<MonitorPoint>> points = samples.read(s.id, fromMs + 1, toMs);
        if (!points)
            return points.failure();
        if (points->isEmpty())
            continue;
        QList<MonitorView::Point> converted;
        converted.reserve(points->size());
        for (const MonitorPoint &p : *points)
            converted.append({p.tMs, p.spanMs, p.value});
        view.addSeries(s.name, s.labels, s.kind == MonitorSeriesKind::Delta ? MetricSnapshot::Kind::Delta : MetricSnapshot::Kind::Gauge,
                       converted);
    }
    Result<QList<ScrapeRecord>> scrapes = samples.scrapes(targetId, fromMs, toMs);
    if (!scrapes)
        return scrapes.failure();
    QList<MonitorView::Poll> polls;
    polls.reserve(scrapes->size());
    for (const ScrapeRecord &r : *scrapes)
        polls.append({r.tMs, r.ok, r.reset, r.error});
    view.addPolls(polls);
    return view;
}

} // namespace mlwb
