// SPDX-License-Identifier: MIT
// Drift benchmark (issue #13): PSI, Kolmogorov-Smirnov and the normalised Wasserstein distance of
// F numeric features, each a serving window of N values against a reference sample of R values,
// through DriftStatistics' sample forms (numericSamples: one sort of each side), against the same
// computation in numpy/scipy (Debian's, /usr/bin/python3) on the same data in the same run:
//   scipy.stats.ks_2samp(ref, cur, method='asymp'),
//   scipy.stats.wasserstein_distance(ref, cur) / max(numpy.std(ref), 0.001) (Evidently's form),
//   PSI on numpy.histogram over the reference's deciles (numpy.percentile 'inverted_cdf', the
//   package baseline's rule) plus the two end bins, empty shares as 0.0001 (Evidently's psi).
// The data is generated here, written to a temporary file and read by both sides; each side
// times only the computation, not the generation or the reading. The two sides' figures must
// agree (ks exactly, the others to 1e-9 relative), else the benchmark fails, --quick included; so
// does a missing python3 or scipy.
//
// The live dashboard does not take this route: it has the agent's histograms on the baseline's
// bins, and computes the binned forms (FeatureDrift); that cost is printed below for the same
// data, beside what binning the window costs the agent in total.
//   bench_drift [--quick] [--features F] [--rows N] [--reference-rows R]

#include "bench_goal.h"
#include "monitor/drift_statistics.h"
#include "monitor/feature_drift.h"
#include "monitor/monitor_view.h"
#include "package/package_baseline.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace mlwb;
using mlwb::bench::BenchGoals;

namespace {

using Clock = std::chrono::steady_clock;

// The reference side. Each feature's reference and current values are float64 in the file, the
// reference first; only the statistics are timed.
const char *kPython = R"PY(
import json, sys, time
import numpy as np
import scipy
from scipy import stats
path, features, ref_rows, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

def decile_edges(ref):
    # The package baseline's nearest-rank deciles, equal edges merged; a constant reference [v, v].
    e = np.unique(np.percentile(ref, np.arange(0, 110, 10), method="inverted_cdf"))
    return np.array([e[0], e[0]]) if len(e) == 1 else e

def psi_counts(x, edges):
    # Below the first edge, numpy.histogram's bins (the last one closed), above the last edge.
    return np.concatenate([[np.sum(x < edges[0])], np.histogram(x, edges)[0], [np.sum(x > edges[-1])]]).astype(float)

def psi(ref, cur):
    edges = decile_edges(ref)
    r = psi_counts(ref, edges)
    c = psi_counts(cur, edges)
    r /= r.sum()
    c /= c.sum()
    np.place(r, r == 0, 0.0001)
    np.place(c, c == 0, 0.0001)
    return float(np.sum((c - r) * np.log(c / r)))

seconds = {"ks": 0.0, "wasserstein": 0.0, "psi": 0.0}
out = []
for k in range(features):
    base = k * (ref_rows + rows) * 8
    ref = np.fromfile(path, dtype="<f8", count=ref_rows, offset=base)
    cur = np.fromfile(path, dtype="<f8", count=rows, offset=base + ref_rows * 8)
    t0 = time.perf_counter()
    ks = stats.ks_2samp(ref, cur, method="asymp")
    t1 = time.perf_counter()
    w = stats.wasserstein_distance(ref, cur) / max(float(np.std(ref)), 0.001)
    t2 = time.perf_counter()
    p = psi(ref, cur)
    t3 = time.perf_counter()
    seconds["ks"] += t1 - t0
    seconds["wasserstein"] += t2 - t1
    seconds["psi"] += t3 - t2
    en = len(ref) * len(cur) / (len(ref) + len(cur))
    out.append({"psi": p, "ks": float(ks.statistic), "ks_p_asymp": float(ks.pvalue),
                "ks_p_kstwobign": float(stats.kstwobign.sf(np.sqrt(en) * ks.statistic)), "n_eff": en,
                "wasserstein": w})
print(json.dumps({"numpy": np.__version__, "scipy": scipy.__version__, "seconds": seconds, "features": out}))
)PY";

struct Feature {
    const char *kind;
    double psi, ks, ksP, wasserstein;
};

// Five kinds of feature, in turn: unchanged, slightly shifted, a skewed one rescaled, a count
// with many ties, a share of the window moved. Deterministic per feature.
const char *generate(int k, std::vector<double> &ref, std::vector<double> &cur)
{
    std::mt19937_64 rng(0x13d71f7ULL + std::uint64_t(k));
    auto fill = [&](std::vector<double> &v, auto &&draw) {
        for (double &x : v)
            x = draw();
    };
    switch (k % 5) {
    case 0: {
        std::normal_distribution<double> d(10, 2);
        fill(ref, [&] { return d(rng); });
        fill(cur, [&] { return d(rng); });
        return "normal, same";
    }
    case 1: {
        std::normal_distribution<double> r(0, 1), c(0.05, 1);
        fill(ref, [&] { return r(rng); });
        fill(cur, [&] { return c(rng); });
        return "normal, +0.05 sd";
    }
    case 2: {
        std::lognormal_distribution<double> r(3, 0.5), c(3, 0.6);
        fill(ref, [&] { return r(rng); });
        fill(cur, [&] { return c(rng); });
        return "lognormal, wider";
    }
    case 3: {
        std::poisson_distribution<int> r(4.0), c(4.4);
        fill(ref, [&] { return double(r(rng)); });
        fill(cur, [&] { return double(c(rng)); });
        return "poisson counts, ties";
    }
    default: {
        std::uniform_real_distribution<double> u(0, 1), moved(0.5, 1.5);
        std::bernoulli_distribution share(0.1);
        fill(ref, [&] { return u(rng); });
        fill(cur, [&] { return share(rng) ? moved(rng) : u(rng); });
        return "uniform, 10% moved";
    }
    }
}

// The population standard deviation, as PackageBaseline writes "std" and numpy.std computes it.
double referenceStd(const std::vector<double> &v)
{
    double sum = 0;
    for (double x : v)
        sum += x;
    const double mean = sum / double(v.size());
    double squares = 0;
    for (double x : v)
        squares += (x - mean) * (x - mean);
    return std::sqrt(squares / double(v.size()));
}

// Within tol relative (absolute below 1e-300, where both are 0 in effect).
bool agrees(double ours, double theirs, double tol)
{
    if (std::isnan(ours) || std::isnan(theirs))
        return std::isnan(ours) && std::isnan(theirs);
    return std::fabs(ours - theirs) <= tol * std::fabs(theirs) || std::fabs(ours - theirs) <= 1e-300;
}

double relative(double ours, double theirs)
{
    return ours == theirs ? 0.0 : std::fabs(ours - theirs) / std::max(std::fabs(theirs), 1e-300);
}

int intArg(const QStringList &args, const char *name, int def)
{
    const qsizetype i = args.indexOf(QString::fromLatin1(name));
    return i >= 0 && i + 1 < args.size() ? args[i + 1].toInt() : def;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const bool quick = args.contains(QStringLiteral("--quick"));
    const int features = intArg(args, "--features", quick ? 5 : 50);
    const int rows = intArg(args, "--rows", quick ? 100000 : 1000000);
    const int refRows = intArg(args, "--reference-rows", quick ? 10000 : 100000);
    if (features < 1 || rows < 1 || refRows < 1) {
        std::fprintf(stderr, "bench_drift: --features, --rows and --reference-rows take positive numbers\n");
        return 2;
    }
    std::printf("drift benchmark: %d numeric features, each %d current values against %d reference values;\n"
                "PSI (10 reference deciles + 2 end bins) + KS (statistic, asymptotic p) + Wasserstein / reference std.\n"
                "Both sides single-threaded, timing the computation only (not generating or reading the data).\n\n",
                features, rows, refRows);

    QTemporaryDir tmp;
    const QString dataPath = QDir(tmp.path()).filePath(QStringLiteral("features.f64"));
    QFile data(dataPath);
    if (!tmp.isValid() || !data.open(QIODevice::WriteOnly)) {
        std::fprintf(stderr, "bench_drift: cannot write %s\n", qPrintable(dataPath));
        return 1;
    }

    // Ours, feature by feature as the data is written; the live route on the same data beside it.
    std::vector<double> ref(static_cast<size_t>(refRows));
    std::vector<double> cur(static_cast<size_t>(rows));
    std::vector<Feature> ours;
    double oursSeconds = 0;
    double binningSeconds = 0;
    double binnedSeconds = 0;
    for (int k = 0; k < features; ++k) {
        Feature f{};
        f.kind = generate(k, ref, cur);
        for (const std::vector<double> *side : {&ref, &cur}) {
            const qint64 bytes = qint64(side->size() * sizeof(double));
            if (data.write(reinterpret_cast<const char *>(side->data()), bytes) != bytes) {
                std::fprintf(stderr, "bench_drift: cannot write %s\n", qPrintable(dataPath));
                return 1;
            }
        }
        const auto t0 = Clock::now();
        const DriftStatistics::Summary s = DriftStatistics::numericSamples(ref, cur);
        const double w = DriftStatistics::normalisedWasserstein(s.wasserstein, referenceStd(ref));
        oursSeconds += std::chrono::duration<double>(Clock::now() - t0).count();
        f.psi = s.psi;
        f.ks = s.ks.statistic;
        f.ksP = s.ks.pValue;
        f.wasserstein = w;
        ours.push_back(f);

        // The dashboard's route: the baseline binned once at packaging time, the window binned by
        // the agent as it serves (timed here in one go), then the binned statistics.
        QJsonObject baseline = PackageBaseline::numeric(ref);
        baseline.insert(QStringLiteral("name"), QStringLiteral("f%1").arg(k));
        baseline.insert(QStringLiteral("kind"), QStringLiteral("numeric"));
        std::vector<double> edges;
        for (const QJsonValue &e : baseline.value(QStringLiteral("edges")).toArray())
            edges.push_back(e.toDouble());
        const auto t1 = Clock::now();
        MonitorView::Distribution window;
        window.bounds = edges;
        window.bins.assign(edges.size() - 1, 0.0);
        for (double x : cur) {
            if (x < edges.front())
                ++window.below;
            else if (x > edges.back())
                ++window.above;
            else
                ++window.bins[std::min<size_t>(size_t(std::upper_bound(edges.begin(), edges.end(), x) - edges.begin()), edges.size() - 1) - 1];
        }
        const auto t2 = Clock::now();
        FeatureDrift::Thresholds thresholds;
        const auto figures = FeatureDrift::compute(baseline, double(refRows), window, thresholds);
        const auto t3 = Clock::now();
        if (!figures) {
            std::fprintf(stderr, "bench_drift: FeatureDrift: %s\n", qPrintable(figures.error()));
            return 1;
        }
        binningSeconds += std::chrono::duration<double>(t2 - t1).count();
        binnedSeconds += std::chrono::duration<double>(t3 - t2).count();
    }
    data.close();

    // numpy/scipy on the same file.
    QProcess py;
    py.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), QString::fromUtf8(kPython), dataPath,
                                                  QString::number(features), QString::number(refRows), QString::number(rows)});
    const bool finished = py.waitForFinished(3600 * 1000);
    const QByteArray pyOut = py.readAllStandardOutput();
    if (!finished || py.exitStatus() != QProcess::NormalExit || py.exitCode() != 0) {
        std::fprintf(stderr, "bench_drift: /usr/bin/python3 with numpy and scipy is needed and failed (%s):\n%s\n",
                     qPrintable(py.errorString()), py.readAllStandardError().constData());
        return 1;
    }
    const QJsonObject reference = QJsonDocument::fromJson(pyOut.mid(pyOut.lastIndexOf("\n{") + 1)).object();
    const QJsonArray theirs = reference.value(QStringLiteral("features")).toArray();
    if (theirs.size() != features) {
        std::fprintf(stderr, "bench_drift: the numpy/scipy side printed %lld features, not %d:\n%s\n", qint64(theirs.size()),
                     features, pyOut.left(400).constData());
        return 1;
    }
    const QJsonObject perStatistic = reference.value(QStringLiteral("seconds")).toObject();
    const double ksSeconds = perStatistic.value(QStringLiteral("ks")).toDouble(NAN);
    const double wSeconds = perStatistic.value(QStringLiteral("wasserstein")).toDouble(NAN);
    const double psiSeconds = perStatistic.value(QStringLiteral("psi")).toDouble(NAN);
    const double theirSeconds = ksSeconds + wSeconds + psiSeconds;

    // Agreement, feature by feature: the same ks statistic (the same divisions and maximum), the
    // p-value against Kolmogorov's limit as scipy evaluates it (kstwobign; scipy's 'asymp' uses
    // the finite-n kstwo instead, within 1/sqrt(n_eff), see drift_statistics.h), PSI and
    // Wasserstein to 1e-9 relative.
    std::printf("%-3s %-22s %12s %12s %12s %12s   %s\n", "", "feature", "psi", "ks", "ks p", "wasserstein/sd", "vs scipy");
    int mismatches = 0;
    double worstPsi = 0, worstKs = 0, worstP = 0, worstW = 0, worstAsymp = 0;
    for (int k = 0; k < features; ++k) {
        const Feature &f = ours[size_t(k)];
        const QJsonObject r = theirs[k].toObject();
        const double psi = r.value(QStringLiteral("psi")).toDouble(NAN);
        const double ks = r.value(QStringLiteral("ks")).toDouble(NAN);
        const double p = r.value(QStringLiteral("ks_p_kstwobign")).toDouble(NAN);
        const double pAsymp = r.value(QStringLiteral("ks_p_asymp")).toDouble(NAN);
        const double nEff = r.value(QStringLiteral("n_eff")).toDouble(NAN);
        const double w = r.value(QStringLiteral("wasserstein")).toDouble(NAN);
        const double pTol = p < 1e-6 ? 1e-7 : 1e-9; // deep in the tail scipy's own evaluation is no better
        std::string bad;
        if (!agrees(f.psi, psi, 1e-9))
            bad += " psi";
        if (!(f.ks == ks))
            bad += " ks";
        if (!agrees(f.ksP, p, pTol) || !(std::fabs(f.ksP - pAsymp) <= 1 / std::sqrt(nEff)))
            bad += " ks-p";
        if (!agrees(f.wasserstein, w, 1e-9))
            bad += " wasserstein";
        worstPsi = std::max(worstPsi, relative(f.psi, psi));
        worstKs = std::max(worstKs, std::fabs(f.ks - ks));
        worstP = std::max(worstP, relative(f.ksP, p));
        worstAsymp = std::max(worstAsymp, std::fabs(f.ksP - pAsymp));
        worstW = std::max(worstW, relative(f.wasserstein, w));
        if (!bad.empty())
            ++mismatches;
        std::printf("%-3d %-22s %12.6g %12.6g %12.4g %12.6g   %s\n", k, f.kind, f.psi, f.ks, f.ksP, f.wasserstein,
                    bad.empty() ? "agree" : ("DIFFER:" + bad).c_str());
        if (!bad.empty())
            std::printf("    scipy/numpy:               %12.6g %12.6g %12.4g %12.6g   (scipy asymp p %.4g)\n", psi, ks, p, w, pAsymp);
    }
    std::printf("\nagreement over %d features: psi %.2g relative, ks statistic %.2g absolute, ks p %.2g relative "
                "(%.2g absolute from scipy's own 'asymp' p), wasserstein/sd %.2g relative; %d feature(s) differ\n",
                features, worstPsi, worstKs, worstP, worstAsymp, worstW, mismatches);

    const double ratio = theirSeconds / oursSeconds;
    std::printf("\n%-46s %10s %14s\n", "computation (all features)", "seconds", "ms / feature");
    std::printf("%-46s %10.3f %14.2f\n", "DriftStatistics::numericSamples + std", oursSeconds, 1e3 * oursSeconds / features);
    std::printf("%-46s %10.3f %14.2f\n",
                qPrintable(QStringLiteral("numpy %1 / scipy %2, of which:")
                               .arg(reference.value(QStringLiteral("numpy")).toString(), reference.value(QStringLiteral("scipy")).toString())),
                theirSeconds, 1e3 * theirSeconds / features);
    std::printf("%-46s %10.3f %14.2f\n", "  scipy.stats.ks_2samp", ksSeconds, 1e3 * ksSeconds / features);
    std::printf("%-46s %10.3f %14.2f\n", "  scipy.stats.wasserstein_distance / np.std", wSeconds, 1e3 * wSeconds / features);
    std::printf("%-46s %10.3f %14.2f\n", "  PSI: np.percentile + np.histogram", psiSeconds, 1e3 * psiSeconds / features);
    std::printf("speed-up: %.1fx\n", ratio);
    std::printf("\nthe live route (info): the agent binning the window on the baseline's edges, %.3f s in all "
                "(%.1f ns a value, spread over the requests); the dashboard's binned statistics (FeatureDrift) %.3f ms "
                "for all %d features\n",
                binningSeconds, 1e9 * binningSeconds / (double(rows) * features), 1e3 * binnedSeconds, features);

    BenchGoals goals(quick);
    goals.atLeast("drift statistics at least 5x faster than scipy/numpy", mismatches == 0 ? ratio : NAN, 5.0, "x");
    const int code = goals.exitCode();
    if (mismatches > 0) {
        std::printf("FAIL: %d feature(s) disagree with numpy/scipy\n", mismatches);
        return 1;
    }
    return code;
}
