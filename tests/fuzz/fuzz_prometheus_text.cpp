// SPDX-License-Identifier: MIT
// PrometheusText::parse on any bytes, as the monitor reads whatever an agent's /metrics (or
// whatever answers at its address) sends. An accepted text's histograms can be checked, each
// sample can be looked up by its name and labels, and the class's one writer, labelsText(),
// writes labels the parser reads back as the same (PrometheusText has no writer for whole
// texts, so that is the round trip there is). A refusal names the source first.

#include "fuzz_check.h"

#include "common/prometheus_text.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

using namespace mlwb;

namespace {

const QString kSource = QStringLiteral("agent:9100/metrics");

QString valueText(double v)
{
    if (std::isnan(v))
        return QStringLiteral("NaN");
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
    return QString::number(v, 'g', 17);
}

bool sameValue(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView text(reinterpret_cast<const char *>(data), qsizetype(size));
    Result<PrometheusText> parsed = PrometheusText::parse(text, kSource);
    if (!parsed) {
        MLWB_FUZZ_CHECK(parsed.error().startsWith(kSource + QLatin1Char(':')), parsed.error());
        return 0;
    }
    (void)parsed->histogramProblems();

    int checked = 0;
    for (const PrometheusText::Family &f : parsed->families()) {
        MLWB_FUZZ_CHECK(!f.name.isEmpty(), QStringLiteral("a family without a name"));
        MLWB_FUZZ_CHECK(parsed->family(f.name) == &f, f.name);
        for (const PrometheusText::Sample &s : f.samples) {
            MLWB_FUZZ_CHECK(!s.name.isEmpty() && s.line >= 1, f.name);
            const PrometheusText::Sample *found = parsed->sample(s.name, s.labels);
            MLWB_FUZZ_CHECK(found && found->name == s.name, s.name + PrometheusText::labelsText(s.labels));
            if (++checked > 64)
                continue; // the round trip below costs a parse per sample
            const QString line = s.name + PrometheusText::labelsText(s.labels) + QLatin1Char(' ') + valueText(s.value) + QLatin1Char('\n');
            const QByteArray bytes = line.toUtf8();
            Result<PrometheusText> again = PrometheusText::parse(bytes, kSource);
            MLWB_FUZZ_CHECK(again, again ? QString() : again.error());
            MLWB_FUZZ_CHECK(again->families().size() == 1 && again->families()[0].samples.size() == 1, line);
            const PrometheusText::Sample &back = again->families()[0].samples[0];
            MLWB_FUZZ_CHECK(back.name == s.name && back.labels == s.labels && sameValue(back.value, s.value), line);
        }
    }
    return 0;
}
