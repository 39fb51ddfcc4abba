// SPDX-License-Identifier: MIT
#pragma once

// NiceAxis: axis ranges that end on round numbers (steps of 1, 2, 2.5 or 5 times a power of
// ten), so every chart reads the same: a value axis padded and rounded out to whole ticks,
// fractions such as accuracy never beyond 1.0 (nor below 0), and an x axis that ends at the last
// step with round ticks inside it instead of an empty tail up to the next round number.

#include <QList>

class QValueAxis;

namespace mlwb {

class NiceAxis {
public:
    struct Range {
        double min = 0;
        double max = 1;
        double step = 0.2; // distance between ticks
        // Ticks from min to max (both ends included) when the ends are multiples of step.
        int tickCount() const;
    };

    // The round step that cuts `span` into about `intervals` parts.
    static double niceStep(double span, int intervals = 5);
    // [lo, hi] rounded out to multiples of a nice step (a single value gets a range around it).
    static Range rounded(double lo, double hi, int intervals = 5);
    // The range a value axis shows for data in [lo, hi]: 5% padding, rounded out; values that
    // never go below zero keep the axis at zero, and unit-interval metrics stay within [0, 1].
    static Range forValues(double lo, double hi, bool unitInterval, int intervals = 5);
    // An x axis from `first` to exactly `last`, with ticks at round multiples inside it.
    static Range forSteps(double first, double last, int intervals = 5);

    // The ticks from min to max, one per step.
    static QList<double> ticks(const Range &range);
    // A log axis from the power of ten at or below `lo` to the one at or above `hi` (lo > 0).
    static Range decades(double lo, double hi);
    // Powers of ten from range.min to range.max.
    static QList<double> decadeTicks(const Range &range);

    // Value axis: the range with one tick per step.
    static void applyValues(QValueAxis *axis, const Range &range);
    // Step axis: the exact range with ticks anchored at multiples of the step.
    static void applySteps(QValueAxis *axis, const Range &range);
};

} // namespace mlwb
