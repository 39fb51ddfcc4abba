// SPDX-License-Identifier: MIT
#include "eval/binary_curves.h"

#include <algorithm>
#include <cmath>

namespace mlwb {

namespace {

struct Scored {
    float score;
    std::uint8_t positive;
};

// Cumulative true and false positives at each distinct score, by decreasing score: sklearn's
// _binary_clf_curve. Tied scores form one threshold, which is how ties count as half in the AUC.
struct ThresholdCounts {
    std::vector<qint64> tps;
    std::vector<qint64> fps;
    std::vector<double> thresholds;
};

ThresholdCounts countAtThresholds(std::vector<Scored> &rows)
{
    std::sort(rows.begin(), rows.end(),
              [](const Scored &a, const Scored &b) { return a.score > b.score; });
    ThresholdCounts c;
    qint64 tp = 0;
    qint64 fp = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
        tp += rows[i].positive;
        fp += 1 - rows[i].positive;
        if (i + 1 == rows.size() || rows[i + 1].score != rows[i].score) {
            c.tps.push_back(tp);
            c.fps.push_back(fp);
            c.thresholds.push_back(rows[i].score);
        }
    }
    return c;
}

void buildRoc(const ThresholdCounts &c, const BinaryCurveOptions &options, BinaryCurves &out)
{
    const qint64 p = out.positives;
    const qint64 n = out.negatives;
    const size_t m = c.tps.size();

    // Trapezoids in integer counts: exact, so ties give exactly the Mann-Whitney U statistic.
    qint64 twiceArea = 0;
    for (size_t i = 0; i < m; ++i) {
        const qint64 prevFp = i ? c.fps[i - 1] : 0;
        const qint64 prevTp = i ? c.tps[i - 1] : 0;
        twiceArea += (c.fps[i] - prevFp) * (c.tps[i] + prevTp);
    }
    out.auc = double(twiceArea) / (2.0 * double(p) * double(n));

    RocCurve &roc = out.roc;
    roc.fpr.reserve(m + 1);
    roc.tpr.reserve(m + 1);
    roc.thresholds.reserve(m + 1);
    roc.fpr.push_back(0.0);
    roc.tpr.push_back(0.0);
    roc.thresholds.push_back(std::numeric_limits<double>::infinity());
    for (size_t i = 0; i < m; ++i) {
        if (options.dropIntermediate && m > 2 && i > 0 && i + 1 < m) {
            const qint64 d2fp = c.fps[i + 1] - 2 * c.fps[i] + c.fps[i - 1];
            const qint64 d2tp = c.tps[i + 1] - 2 * c.tps[i] + c.tps[i - 1];
            if (d2fp == 0 && d2tp == 0)
                continue;
        }
        roc.fpr.push_back(double(c.fps[i]) / double(n));
        roc.tpr.push_back(double(c.tps[i]) / double(p));
        roc.thresholds.push_back(c.thresholds[i]);
    }
    thinCurve(roc.fpr, roc.tpr, roc.thresholds, options.maxPoints);
}

void buildPr(const ThresholdCounts &c, const BinaryCurveOptions &options, BinaryCurves &out)
{
    const qint64 p = out.positives;
    const size_t m = c.tps.size();

    // sklearn: AP = sum_n (R_n - R_{n-1}) P_n, a step function rather than the optimistic
    // trapezoid, by decreasing threshold.
    double ap = 0.0;
    for (size_t i = 0; i < m; ++i) {
        const qint64 prevTp = i ? c.tps[i - 1] : 0;
        const double precision = double(c.tps[i]) / double(c.tps[i] + c.fps[i]);
        ap += double(c.tps[i] - prevTp) * precision;
    }
    out.averagePrecision = ap / double(p);

    PrCurve &pr = out.pr;
    pr.precision.reserve(m + 1);
    pr.recall.reserve(m + 1);
    pr.thresholds.reserve(m + 1);
    for (size_t j = m; j-- > 0;) {
        pr.precision.push_back(double(c.tps[j]) / double(c.tps[j] + c.fps[j]));
        pr.recall.push_back(double(c.tps[j]) / double(p));
        pr.thresholds.push_back(c.thresholds[j]);
    }
    pr.precision.push_back(1.0);
    pr.recall.push_back(0.0);
    // Pad so thinning keeps thresholds aligned; the pad sits on the last point, which is always
    // kept, and is removed again.
    pr.thresholds.push_back(std::numeric_limits<double>::quiet_NaN());
    thinCurve(pr.recall, pr.precision, pr.thresholds, options.maxPoints);
    pr.thresholds.pop_back();
}

BinaryCurves curvesFromRows(std::vector<Scored> &rows, const BinaryCurveOptions &options)
{
    BinaryCurves out;
    for (const Scored &r : rows)
        out.positives += r.positive;
    out.negatives = qint64(rows.size()) - out.positives;
    if (rows.empty())
        return out;
    const ThresholdCounts counts = countAtThresholds(rows);
    if (out.positives > 0 && out.negatives > 0)
        buildRoc(counts, options, out);
    if (out.positives > 0)
        buildPr(counts, options, out);
    return out;
}

} // namespace

BinaryCurves computeBinaryCurves(std::span<const float> scores,
                                 std::span<const std::uint8_t> isPositive,
                                 const BinaryCurveOptions &options)
{
    const size_t n = std::min(scores.size(), isPositive.size());
    std::vector<Scored> rows(n);
    for (size_t i = 0; i < n; ++i)
        rows[i] = Scored{scores[i], std::uint8_t(isPositive[i] ? 1 : 0)};
    return curvesFromRows(rows, options);
}

BinaryCurves computeOneVsRestCurves(std::span<const float> probabilities, int classCount, int cls,
                                    std::span<const qint64> labels,
                                    const BinaryCurveOptions &options)
{
    const size_t k = size_t(std::max(classCount, 1));
    const size_t n = std::min(labels.size(), probabilities.size() / k);
    std::vector<Scored> rows(n);
    for (size_t i = 0; i < n; ++i)
        rows[i] = Scored{probabilities[i * k + size_t(cls)], std::uint8_t(labels[i] == cls ? 1 : 0)};
    return curvesFromRows(rows, options);
}

void thinCurve(std::vector<double> &x, std::vector<double> &y, std::vector<double> &extra,
               int maxPoints)
{
    const size_t m = x.size();
    if (maxPoints <= 0 || m <= size_t(maxPoints))
        return;
    const size_t limit = size_t(std::max(maxPoints, 2));

    std::vector<double> length(m, 0.0);
    for (size_t i = 1; i < m; ++i)
        length[i] = length[i - 1] + std::fabs(x[i] - x[i - 1]) + std::fabs(y[i] - y[i - 1]);
    const double step = length.back() / double(limit - 1);

    std::vector<size_t> keep;
    keep.reserve(limit);
    keep.push_back(0);
    double next = step;
    for (size_t i = 1; i + 1 < m && keep.size() + 1 < limit; ++i) {
        if (length[i] >= next && length[i] > length[keep.back()]) {
            keep.push_back(i);
            next = length[i] + step;
        }
    }
    keep.push_back(m - 1);

    const bool withExtra = extra.size() == m;
    for (size_t j = 0; j < keep.size(); ++j) {
        x[j] = x[keep[j]];
        y[j] = y[keep[j]];
        if (withExtra)
            extra[j] = extra[keep[j]];
    }
    x.resize(keep.size());
    y.resize(keep.size());
    if (withExtra)
        extra.resize(keep.size());
}

} // namespace mlwb
