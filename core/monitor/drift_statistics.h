// SPDX-License-Identifier: MIT
#pragma once

// DriftStatistics: how far a serving window's distribution of a feature has moved from the
// training baseline. The binned forms take the per-bin counts the live monitor has (a package
// baseline's counts against the agent's histogram increases, same bins); the sample forms take
// raw values (the payload log, the benchmark) and follow the scipy functions named below, so a
// figure here can be checked against the reference implementation.
//
// A statistic that cannot be computed is NaN, never 0: 0 would read as "no drift". An empty side
// (no counts, or no finite sample) gives NaN. The sample forms exclude NaNs before anything else,
// as missing values are monitored on their own (mlwb_agent_input_missing_total).

#include <span>
#include <vector>

namespace mlwb {

class DriftStatistics {
public:
    struct Ks {
        double statistic;
        double pValue;
    };
    struct ChiSquared {
        double statistic;
        double pValue;
        int dof;
    };
    // PSI, KS and Wasserstein of one numeric feature from one sort of each side.
    struct Summary {
        double psi;
        Ks ks;
        double wasserstein;
    };

    // --- Binned forms: `ref` and `cur` are counts over the same bins. ---

    // Population Stability Index, sum over bins of (p_cur - p_ref) * ln(p_cur / p_ref), p being
    // the bin's share of its side. As Evidently does, an empty bin's share is replaced by
    // `epsilon` (0.0001) so the logarithm stays finite; shares above zero are used as they are.
    static double psi(std::span<const double> ref, std::span<const double> cur, double epsilon = 1e-4);

    // Two-sample Kolmogorov-Smirnov on binned data: the largest |CDF_ref - CDF_cur| at the bin
    // boundaries, and its p-value from Kolmogorov's limiting distribution at
    // sqrt(n*m/(n+m)) * D (scipy.stats.kstwobign.sf), n and m the two totals. Note: scipy 1.10's
    // ks_2samp(method='asymp') evaluates the finite-n distribution kstwo at round(n*m/(n+m))
    // instead; the two agree to O(1/sqrt(n*m/(n+m))) relative, far inside any alert threshold.
    static Ks ksBinned(std::span<const double> ref, std::span<const double> cur);

    // 1-Wasserstein distance between the two binned distributions, each bin's mass spread
    // uniformly over [edges[i], edges[i+1]] (edges.size() == bins + 1). A bin of zero width (the
    // end bins a monitor keeps for values outside the training range may be given so) is a point
    // mass at its edge. In the feature's units; see normalisedWasserstein.
    static double wassersteinBinned(std::span<const double> edges, std::span<const double> ref,
                                    std::span<const double> cur);
    // distance / referenceStd, the scale-free form Evidently thresholds (at 0.1). As Evidently,
    // a standard deviation under 0.001 counts as 0.001, so a constant reference does not divide
    // by zero.
    static double normalisedWasserstein(double distance, double referenceStd);

    // Jensen-Shannon distance (the square root of the divergence, natural logarithm) between the
    // two count vectors normalised to shares, as scipy.spatial.distance.jensenshannon(ref, cur);
    // Evidently's default for categories, threshold 0.1. In [0, sqrt(ln 2)].
    static double jensenShannon(std::span<const double> ref, std::span<const double> cur);

    // Pearson's chi-squared test of the current counts against the reference shares, as
    // Evidently: scipy.stats.chisquare(f_obs = cur, f_exp = ref / sum(ref) * sum(cur)). A bin
    // empty on both sides is left out (Evidently only lists categories seen on either side; scipy
    // would make the statistic NaN), and dof is the bins kept minus one. A bin the reference
    // never saw but the current window has makes the statistic +inf and the p-value 0: a category
    // that did not exist in training is drift. With fewer than two bins kept there is nothing to
    // compare: the p-value is NaN (as scipy's) and dof 0.
    static ChiSquared chiSquared(std::span<const double> ref, std::span<const double> cur);

    // --- Sample forms: raw values; NaNs are left out. ---

    // As scipy.stats.ks_2samp(ref, cur, method='asymp'): the statistic exactly; the p-value as
    // ksBinned (Kolmogorov's limiting distribution, see there).
    static Ks ksSamples(std::span<const double> ref, std::span<const double> cur);
    // As scipy.stats.wasserstein_distance(ref, cur).
    static double wassersteinSamples(std::span<const double> ref, std::span<const double> cur);
    // PSI on `bins` equal-frequency bins of the reference, cut as PackageBaseline::numeric cuts
    // the training values (equalFrequencyEdges), with the current values below the first or above
    // the last edge counted in two extra end bins (the reference has none there), then psi().
    static double psiSamples(std::span<const double> ref, std::span<const double> cur, int bins = 10);
    // psiSamples(bins = 10), ksSamples and wassersteinSamples from one sort of each side.
    static Summary numericSamples(std::span<const double> ref, std::span<const double> cur);

    // The edges PackageBaseline::numeric writes for sorted finite values: the minimum, the
    // nearest-rank quantiles k/bins (value[ceil(k*n/bins) - 1]) that are above the edge before
    // them, and the maximum (ties merge bins, so there may be fewer than `bins`). A constant input
    // gives [v, v]; an empty one no edges.
    static std::vector<double> equalFrequencyEdges(std::span<const double> sorted, int bins);
};

} // namespace mlwb
