// SPDX-License-Identifier: MIT
#pragma once

// HistogramQuantile: a quantile estimated from a histogram's cumulative bucket counts, as
// Prometheus' histogram_quantile() does, so the dashboard's p50/p95/p99 agree with a Grafana
// panel over the same agent: the bucket holding the rank is found and the value interpolated
// linearly inside it (from 0 for the first bucket when its bound is positive); a rank in the
// +Inf bucket answers the highest finite bound. NaN when there are no observations.

#include <span>

namespace mlwb {

class HistogramQuantile {
public:
    // q in [0, 1]; `bounds` ascending (the +Inf bucket excluded), `cumulative` one count per
    // bound and then the +Inf bucket (so cumulative.size() == bounds.size() + 1).
    static double quantile(double q, std::span<const double> bounds, std::span<const double> cumulative);
};

} // namespace mlwb
