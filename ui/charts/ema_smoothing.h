// SPDX-License-Identifier: MIT
#pragma once

// EmaSmoothing: the exponential moving average TensorBoard draws, with its bias correction:
// s_t = w * s_{t-1} + (1 - w) * x_t from s_0 = 0, shown as s_t / (1 - w^t), so the first points
// are not pulled towards zero and the first smoothed value is the first raw value. Values that
// are not finite are shown as they are and left out of the average.

#include <vector>

namespace mlwb {

class EmaSmoothing {
public:
    // `weight` in [0, 1): 0 returns the values unchanged.
    static std::vector<double> apply(const std::vector<double> &values, double weight);
};

} // namespace mlwb
