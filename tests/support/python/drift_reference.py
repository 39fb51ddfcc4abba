# SPDX-License-Identifier: MIT
"""The reference side of the drift statistic checks (tests/core/monitor): numpy and scipy compute
every statistic of core/monitor/drift_statistics.h from the same inputs.

usage: /usr/bin/python3 drift_reference.py cases.json

cases.json: {"samples": [{"name", "ref": [...], "cur": [...]}], "binned": [{"name", "edges",
"ref", "cur"}]} with null for NaN. Prints one JSON object, name -> results, null for NaN. The
calls are the ones Evidently (or a notebook) makes; where the workbench defines the binning
itself (PSI's reference deciles), the numpy spelling of the same rule."""

import json
import sys
import warnings

import numpy as np
from scipy import integrate, stats
from scipy.spatial.distance import jensenshannon

warnings.simplefilter("ignore")  # divisions by zero on purpose (disjoint supports, empty bins)


def num(v):
    """Plain JSON: NaN as null, infinities as the strings "inf" and "-inf"."""
    v = float(v)
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return None if np.isnan(v) else v


def evidently_psi(ref_counts, cur_counts):
    # evidently.calculations.stattests.psi: shares, empty bins replaced by 0.0001.
    r = ref_counts / ref_counts.sum()
    c = cur_counts / cur_counts.sum()
    np.place(r, r == 0, 0.0001)
    np.place(c, c == 0, 0.0001)
    return float(np.sum((c - r) * np.log(c / r)))


def decile_edges(ref):
    # The package baseline's nearest-rank deciles (numpy's 'inverted_cdf'), equal edges merged;
    # a constant reference keeps one bin [v, v].
    e = np.unique(np.percentile(ref, np.arange(0, 110, 10), method="inverted_cdf"))
    return np.array([e[0], e[0]]) if len(e) == 1 else e


def binned_psi_counts(x, edges):
    # Below the first edge, np.histogram's bins (the last one closed), above the last edge.
    return np.concatenate([[np.sum(x < edges[0])], np.histogram(x, edges)[0], [np.sum(x > edges[-1])]]).astype(float)


def samples(case):
    ref = np.array(case["ref"], dtype=float)
    cur = np.array(case["cur"], dtype=float)
    ref = ref[~np.isnan(ref)]
    cur = cur[~np.isnan(cur)]
    ks = stats.ks_2samp(ref, cur, method="asymp")
    n, m = len(ref), len(cur)
    en = n * m / (n + m)
    edges = decile_edges(ref)
    return {
        "ks": num(ks.statistic),
        "ks_p_kstwobign": num(stats.kstwobign.sf(np.sqrt(en) * ks.statistic)),
        "ks_p_scipy_asymp": num(ks.pvalue),
        "n_eff": en,
        "wasserstein": num(stats.wasserstein_distance(ref, cur)),
        "psi": num(evidently_psi(binned_psi_counts(ref, edges), binned_psi_counts(cur, edges))),
        "edges": [float(e) for e in edges],
    }


def binned_wasserstein(edges, ref, cur):
    # Independently of the trapezoids in C++: integrate |F_ref - F_cur| numerically, the CDFs
    # interpolated linearly inside each bin of positive width (a zero-width bin is a step).
    fr = np.concatenate([[0.0], np.cumsum(ref) / ref.sum()])
    fc = np.concatenate([[0.0], np.cumsum(cur) / cur.sum()])
    total = 0.0
    for i in range(len(edges) - 1):
        a, b = edges[i], edges[i + 1]
        if b > a:
            # Within bin i the CDFs go from their value after edge i's steps to fr[i + 1].
            def gap(x, i=i, a=a, b=b):
                t = (x - a) / (b - a)
                return abs((fr[i] + t * (fr[i + 1] - fr[i])) - (fc[i] + t * (fc[i + 1] - fc[i])))
            value, _ = integrate.quad(gap, a, b, epsabs=1e-15, epsrel=1e-13, limit=200)
            total += value
    return total


def binned(case):
    edges = np.array(case["edges"], dtype=float)
    ref = np.array(case["ref"], dtype=float)
    cur = np.array(case["cur"], dtype=float)
    out = {"psi": num(evidently_psi(ref.copy(), cur.copy()))}
    cdf_gap = np.abs(np.cumsum(ref) / ref.sum() - np.cumsum(cur) / cur.sum())
    d = float(np.max(cdf_gap))
    en = ref.sum() * cur.sum() / (ref.sum() + cur.sum())
    out["ks"] = d
    out["ks_p"] = num(stats.kstwobign.sf(np.sqrt(en) * d))
    out["wasserstein"] = binned_wasserstein(edges, ref, cur)
    # Point masses only (every bin of zero width): scipy's weighted form must agree.
    if np.all(np.diff(edges)[ref + cur > 0] == 0):
        out["wasserstein_points"] = float(stats.wasserstein_distance(edges[:-1], edges[:-1], ref, cur))
    out["jensen_shannon"] = num(jensenshannon(ref, cur))
    # evidently.calculations.stattests.chisquare_stattest: categories seen on either side,
    # f_exp = reference counts * (current total / reference total).
    keep = ~((ref == 0) & (cur == 0))
    f_exp = ref[keep] * (cur.sum() / ref.sum())
    chi = stats.chisquare(cur[keep], f_exp)
    out["chi2"] = num(chi.statistic)
    out["chi2_p"] = num(chi.pvalue)
    out["chi2_dof"] = int(keep.sum()) - 1
    return out


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    result = {}
    for case in cases.get("samples", []):
        result[case["name"]] = samples(case)
    for case in cases.get("binned", []):
        result[case["name"]] = binned(case)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
