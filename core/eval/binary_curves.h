// SPDX-License-Identifier: MIT
#pragma once

// ROC and precision-recall curves of one binary problem (a class against the rest), computed the
// way scikit-learn does (roc_curve, precision_recall_curve, roc_auc_score,
// average_precision_score), so the workbench agrees with what users check in a notebook.

#include <QtGlobal>

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace mlwb {

// Points by decreasing threshold; the first is (0, 0) at threshold +inf, as in sklearn's roc_curve.
struct RocCurve {
    std::vector<double> fpr;
    std::vector<double> tpr;
    std::vector<double> thresholds;
};

// sklearn's precision_recall_curve order: increasing threshold, recall falling to a last point
// (recall 0, precision 1) that has no threshold, so thresholds.size() == precision.size() - 1.
struct PrCurve {
    std::vector<double> precision;
    std::vector<double> recall;
    std::vector<double> thresholds;
};

struct BinaryCurveOptions {
    // Drop ROC points on straight segments (sklearn's drop_intermediate=True); AUC is unchanged.
    bool dropIntermediate = true;
    // Cap on the points kept per curve (0 = no cap) so a million-row evaluation stays small in the
    // project file and cheap to draw. AUC and AP are always computed on the full curve.
    int maxPoints = 1000;
};

struct BinaryCurves {
    RocCurve roc; // empty when positives or negatives are missing (AUC undefined)
    PrCurve pr;   // empty when there is no positive (AP undefined)
    double auc = std::numeric_limits<double>::quiet_NaN();
    double averagePrecision = std::numeric_limits<double>::quiet_NaN();
    qint64 positives = 0;
    qint64 negatives = 0;
};

// scores: higher means "more positive"; isPositive: 0 or 1 per row, same length. Scores must not be
// NaN (the evaluators check). Sorts once: O(n log n).
BinaryCurves computeBinaryCurves(std::span<const float> scores,
                                 std::span<const std::uint8_t> isPositive,
                                 const BinaryCurveOptions &options = {});

// One-vs-rest curves of class `cls` from row-major n x k probabilities, without copying a column.
BinaryCurves computeOneVsRestCurves(std::span<const float> probabilities, int classCount, int cls,
                                    std::span<const qint64> labels,
                                    const BinaryCurveOptions &options = {});

// Thins a polyline to at most maxPoints (>= 2) points, evenly spaced along its L1 length and always
// keeping both ends, so steep and flat parts both keep their shape. `extra` (thresholds) is
// thinned alongside; it may be empty or as long as x.
void thinCurve(std::vector<double> &x, std::vector<double> &y, std::vector<double> &extra,
               int maxPoints);

} // namespace mlwb
