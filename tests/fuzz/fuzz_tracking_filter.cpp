// SPDX-License-Identifier: MIT
// TrackingFilter on any text, as runs/search and experiments/search read `filter` and
// `order_by` from any script that reaches the tracking endpoint (issue #15). Parsing never
// crashes; a refusal is InvalidInput and names a position inside the text; an accepted filter
// has a key in every clause and decides a match for every sample run; an accepted order is a
// strict weak ordering of the sample runs (irreflexive, asymmetric), so sorting by it is sound.
//
// Input: MODE TEXT...   MODE bit 0: order_by instead of filter

#include "fuzz_check.h"

#include "tracking/tracking_filter.h"

#include <QRegularExpression>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

using namespace mlwb;

namespace {

std::vector<TrackingFilter::Run> samples()
{
    std::vector<TrackingFilter::Run> runs(4);
    const double acc[] = {0.5, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(), -0.0};
    for (int i = 0; i < 4; ++i) {
        TrackingFilter::Run &r = runs[size_t(i)];
        r.runId = QString::number(i + 1);
        r.runName = QStringLiteral("run %1").arg(i);
        r.status = i % 2 ? QStringLiteral("RUNNING") : QStringLiteral("FINISHED");
        r.userId = QStringLiteral("alice");
        r.startTime = 1000 * i;
        if (i % 2 == 0)
            r.endTime = 2000 * i;
        if (i != 3)
            r.metrics[QStringLiteral("acc")] = acc[i];
        r.params[QStringLiteral("lr")] = QString::number(0.1 / (i + 1));
        r.tags[QStringLiteral("mlflow.runName")] = r.runName;
    }
    return runs;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const bool order = data[0] & 1;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    static const std::vector<TrackingFilter::Run> runs = samples();
    static const QRegularExpression at(QStringLiteral("at character (\\d+)"));

    if (order) {
        Result<TrackingFilter::Order> o = TrackingFilter::parseOrder(text);
        if (!o) {
            MLWB_FUZZ_CHECK(o.kind() == ErrorKind::InvalidInput, o.error());
            return 0;
        }
        MLWB_FUZZ_CHECK(!o->key.isEmpty(), text);
        for (const auto &a : runs) {
            MLWB_FUZZ_CHECK(!TrackingFilter::before(*o, a, a), text);
            for (const auto &b : runs)
                MLWB_FUZZ_CHECK(!(TrackingFilter::before(*o, a, b) && TrackingFilter::before(*o, b, a)), text);
        }
        return 0;
    }
    Result<TrackingFilter> f = TrackingFilter::parse(text);
    if (!f) {
        MLWB_FUZZ_CHECK(f.kind() == ErrorKind::InvalidInput, f.error());
        const QRegularExpressionMatch m = at.match(f.error());
        MLWB_FUZZ_CHECK(m.hasMatch(), f.error());
        const qsizetype position = m.captured(1).toLongLong();
        MLWB_FUZZ_CHECK(position >= 1 && position <= text.size() + 1, f.error());
        return 0;
    }
    for (const TrackingFilter::Clause &c : f->clauses())
        MLWB_FUZZ_CHECK(!c.key.isEmpty(), text);
    int matched = 0;
    for (const auto &r : runs)
        matched += f->matches(r);
    MLWB_FUZZ_CHECK(matched >= 0 && matched <= int(runs.size()), text);
    if (f->clauses().empty())
        MLWB_FUZZ_CHECK(matched == int(runs.size()), QStringLiteral("an empty filter matches every run"));
    return 0;
}
