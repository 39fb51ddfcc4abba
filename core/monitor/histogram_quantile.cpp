// SPDX-License-Identifier: MIT
#include "monitor/histogram_quantile.h"

#include <cmath>
#include <limits>

namespace mlwb {

double HistogramQuantile::quantile(double q, std::span<const double> bounds, std::span<const double> cumulative)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (std::isnan(q) || cumulative.size() != bounds.size() + 1 || cumulative.empty())
        return nan;
    if (q < 0)
        return -std::numeric_limits<double>::infinity();
    if (q > 1)
        return std::numeric_limits<double>::infinity();
    const double total = cumulative.back();
    if (!(total > 0))
        return nan;
    const double rank = q * total;
    std::size_t b = 0;
    while (b < cumulative.size() && cumulative[b] < rank)
        ++b;
    if (b >= bounds.size()) // the +Inf bucket: the highest finite bound is all that is known
        return bounds.empty() ? nan : bounds.back();
    const double upper = bounds[b];
    double lower = 0.0;
    double below = 0.0;
    if (b > 0) {
        lower = bounds[b - 1];
        below = cumulative[b - 1];
    } else if (upper <= 0) {
        return upper;
    }
    const double inBucket = cumulative[b] - below;
    if (!(inBucket > 0))
        return upper;
    return lower + (upper - lower) * ((rank - below) / inBucket);
}

} // namespace mlwb
