// SPDX-License-Identifier: MIT
#include "charts/nice_axis.h"

#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace mlwb {

int NiceAxis::Range::tickCount() const
{
    if (!(step > 0) || !(max > min))
        return 2;
    return std::clamp(int(std::lround((max - min) / step)) + 1, 2, 101);
}

double NiceAxis::niceStep(double span, int intervals)
{
    if (!std::isfinite(span) || span <= 0)
        return 1.0;
    const double raw = span / std::max(intervals, 1);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double fraction = raw / magnitude;
    double nice = 10;
    for (double candidate : {1.0, 2.0, 2.5, 5.0})
        if (fraction <= candidate * (1 + 1e-9)) {
            nice = candidate;
            break;
        }
    return nice * magnitude;
}

NiceAxis::Range NiceAxis::rounded(double lo, double hi, int intervals)
{
    if (!std::isfinite(lo) || !std::isfinite(hi))
        return {};
    if (hi < lo)
        std::swap(lo, hi);
    if (hi == lo) {
        const double half = lo == 0 ? 0.5 : std::fabs(lo) * 0.05;
        lo -= half;
        hi += half;
    }
    const double step = niceStep(hi - lo, intervals);
    // A small tolerance keeps 1.0000000002 from growing an extra tick.
    const double eps = step * 1e-9;
    Range r;
    r.step = step;
    r.min = std::floor((lo + eps) / step) * step;
    r.max = std::ceil((hi - eps) / step) * step;
    if (r.max <= r.min)
        r.max = r.min + step;
    // -0 prints as "-0".
    if (r.min == 0)
        r.min = 0;
    return r;
}

NiceAxis::Range NiceAxis::forValues(double lo, double hi, bool unitInterval, int intervals)
{
    if (!std::isfinite(lo) || !std::isfinite(hi))
        return unitInterval ? Range{0, 1, 0.2} : Range{};
    const bool nonNegative = lo >= 0;
    const double pad = hi > lo ? (hi - lo) * 0.05 : std::max(std::fabs(hi) * 0.05, 1e-6);
    double a = lo - pad, b = hi + pad;
    if (nonNegative)
        a = std::max(a, 0.0);
    const bool fraction = unitInterval && lo >= 0 && hi <= 1;
    if (fraction)
        b = std::min(b, 1.0);
    Range r = rounded(a, b, intervals);
    if (fraction) {
        r.max = std::min(r.max, 1.0);
        r.min = std::max(r.min, 0.0);
        if (r.max <= r.min)
            r.min = std::max(0.0, r.max - r.step);
    }
    if (nonNegative && r.min < 0)
        r.min = 0;
    return r;
}

NiceAxis::Range NiceAxis::forSteps(double first, double last, int intervals)
{
    if (!std::isfinite(first) || !std::isfinite(last))
        return {};
    if (last <= first)
        last = first + 1;
    Range r;
    r.min = first;
    r.max = last;
    r.step = niceStep(last - first, intervals);
    return r;
}

QList<double> NiceAxis::ticks(const Range &range)
{
    QList<double> out;
    const int n = range.tickCount();
    for (int i = 0; i < n; ++i) {
        double v = range.min + i * range.step;
        if (std::fabs(v) < range.step * 1e-9)
            v = 0;
        out << std::min(v, range.max);
    }
    return out;
}

NiceAxis::Range NiceAxis::decades(double lo, double hi)
{
    if (!(lo > 0) || !std::isfinite(lo) || !std::isfinite(hi))
        return {};
    if (hi < lo)
        std::swap(lo, hi);
    // A tolerance keeps 0.001 from becoming 1e-4 through rounding in log10.
    double a = std::floor(std::log10(lo) + 1e-9);
    double b = std::ceil(std::log10(hi) - 1e-9);
    if (b <= a)
        b = a + 1;
    return {std::pow(10.0, a), std::pow(10.0, b), 10.0};
}

QList<double> NiceAxis::decadeTicks(const Range &range)
{
    QList<double> out;
    if (!(range.min > 0) || !(range.max > range.min))
        return out;
    const int a = int(std::lround(std::log10(range.min)));
    const int b = int(std::lround(std::log10(range.max)));
    for (int k = a; k <= b && out.size() < 40; ++k)
        out << std::pow(10.0, k);
    return out;
}

void NiceAxis::applyValues(QValueAxis *axis, const Range &range)
{
    axis->setTickType(QValueAxis::TicksFixed);
    axis->setRange(range.min, range.max);
    axis->setTickCount(range.tickCount());
}

void NiceAxis::applySteps(QValueAxis *axis, const Range &range)
{
    axis->setRange(range.min, range.max);
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setTickInterval(range.step);
}

} // namespace mlwb
