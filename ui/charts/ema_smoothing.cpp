// SPDX-License-Identifier: MIT
#include "charts/ema_smoothing.h"

#include <algorithm>
#include <cmath>

namespace mlwb {

std::vector<double> EmaSmoothing::apply(const std::vector<double> &values, double weight)
{
    weight = std::clamp(weight, 0.0, 0.999);
    std::vector<double> out(values.size());
    double last = 0;
    int counted = 0;
    for (size_t i = 0; i < values.size(); ++i) {
        const double v = values[i];
        // An infinity or NaN would poison every later average: it is shown, not averaged.
        if (!std::isfinite(v)) {
            out[i] = v;
            continue;
        }
        last = weight * last + (1.0 - weight) * v;
        ++counted;
        const double debias = 1.0 - std::pow(weight, counted);
        out[i] = debias > 0 ? last / debias : v;
    }
    return out;
}

} // namespace mlwb
