// SPDX-License-Identifier: MIT
// What the workbench's monitor reads from outside (issue #13): a Prometheus server's
// query_range answer (PrometheusQuery::parseMatrix), and a snapshot stored in a project file
// that a colleague's newer or damaged workbench may have written (MetricSnapshot::fromBytes),
// and /metrics text turned into a snapshot and diffed. The first byte picks which. Promises: a
// refusal names its source; a stored snapshot read back writes the same bytes again; a snapshot
// diffed against itself has no increase but NaN, and never a reset.

#include "fuzz_check.h"

#include "monitor/metric_snapshot.h"
#include "monitor/prometheus_query.h"

#include <cmath>
#include <cstddef>
#include <cstdint>

using namespace mlwb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray bytes(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    switch (data[0] % 3) {
    case 0: {
        const QString source = QStringLiteral("Prometheus p:9090");
        Result<QList<PrometheusQuery::Series>> m = PrometheusQuery::parseMatrix(bytes, source);
        if (!m)
            MLWB_FUZZ_CHECK(m.error().startsWith(source), m.error());
        break;
    }
    case 1: {
        Result<MetricSnapshot> s = MetricSnapshot::fromBytes(bytes);
        if (!s) {
            MLWB_FUZZ_CHECK(s.error().startsWith(QStringLiteral("the stored monitor snapshot")), s.error());
            break;
        }
        const QByteArray again = s->toBytes();
        Result<MetricSnapshot> back = MetricSnapshot::fromBytes(again);
        MLWB_FUZZ_CHECK(back, back ? QString() : back.error());
        MLWB_FUZZ_CHECK(back->toBytes() == again, QStringLiteral("a stored snapshot does not read back as itself"));
        break;
    }
    default: {
        Result<MetricSnapshot> s = MetricSnapshot::fromText(bytes, QStringLiteral("agent:9100/metrics"), 1000);
        if (!s)
            break;
        const MetricSnapshot::Diff d = MetricSnapshot::diff(*s, *s);
        // A snapshot against itself: no counter went down and the start time is the same, so
        // no reset (NaN compares false, so a NaN counter is no decrease either).
        MLWB_FUZZ_CHECK(!d.reset, QStringLiteral("a snapshot diffed against itself is a reset"));
        for (const MetricSnapshot::Change &c : d.changes)
            if (c.kind == MetricSnapshot::Kind::Delta)
                MLWB_FUZZ_CHECK(c.value == 0 || std::isnan(c.value) || std::isinf(c.value), c.key.name);
        (void)MetricSnapshot::diff(MetricSnapshot(0), *s);
        break;
    }
    }
    return 0;
}
