// SPDX-License-Identifier: MIT
// The drift statistics against their reference implementation: numpy and scipy
// (tests/support/python/drift_reference.py) recompute every statistic from the very inputs, run
// once for all cases in this process, and the values must agree: 1e-9 relative where both sides
// compute the same closed form, looser only for p-values deep in a tail. Without /usr/bin/python3
// and scipy the tests fail: the claim is about values, and nothing else can check them.

#include "monitor/drift_statistics.h"

#include "test_support.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace mlwb;
using namespace mlwb::test;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kExact = 1e-9;

using Values = std::vector<double>;

struct SampleCase {
    const char *name;
    Values ref;
    Values cur;
};

struct BinnedCase {
    const char *name;
    Values edges;
    Values ref;
    Values cur;
};

Values normal(std::mt19937_64 &rng, size_t n, double mean, double sd)
{
    std::normal_distribution<double> d(mean, sd);
    Values v(n);
    for (double &x : v)
        x = d(rng);
    return v;
}

Values uniform(std::mt19937_64 &rng, size_t n, double lo, double hi)
{
    std::uniform_real_distribution<double> d(lo, hi);
    Values v(n);
    for (double &x : v)
        x = d(rng);
    return v;
}

Values integers(std::mt19937_64 &rng, size_t n, int lo, int hi)
{
    std::uniform_int_distribution<int> d(lo, hi);
    Values v(n);
    for (double &x : v)
        x = d(rng);
    return v;
}

std::vector<SampleCase> sampleCases()
{
    std::mt19937_64 rng(13);
    std::vector<SampleCase> cases;
    const Values same = normal(rng, 1000, 0, 1);
    cases.push_back({"identical", same, same});
    cases.push_back({"shifted_normals", normal(rng, 5000, 0, 1), normal(rng, 4000, 0.3, 1)});
    cases.push_back({"slightly_shifted", normal(rng, 20000, 0, 1), normal(rng, 20000, 0.02, 1)});
    cases.push_back({"scaled", normal(rng, 3000, 5, 1), normal(rng, 3000, 5, 2)});
    cases.push_back({"disjoint", uniform(rng, 500, 0, 1), uniform(rng, 700, 5, 6)});
    Values withNaN = normal(rng, 2000, 0, 1);
    Values curNaN = normal(rng, 1500, 0.5, 1);
    for (size_t i = 0; i < withNaN.size(); i += 7)
        withNaN[i] = kNaN;
    for (size_t i = 3; i < curNaN.size(); i += 5)
        curNaN[i] = kNaN;
    cases.push_back({"nan_inputs", withNaN, curNaN});
    cases.push_back({"tiny_one_each", {1.0}, {2.0}});
    cases.push_back({"tiny_three_one", {1.0, 2.0, 3.0}, {2.5}});
    cases.push_back({"tiny_same_value", {4.0, 4.0}, {4.0}});
    cases.push_back({"ties_integers", integers(rng, 3000, 0, 4), integers(rng, 2000, 1, 5)});
    // 70% zeros: the deciles tie and merge bins.
    Values zeros = integers(rng, 1000, 0, 9);
    for (double &x : zeros)
        x = x < 7 ? 0.0 : x;
    cases.push_back({"ties_merged_deciles", zeros, integers(rng, 800, 0, 9)});
    cases.push_back({"constant_reference", Values(200, 3.0), normal(rng, 300, 3, 1)});
    // Sides long enough for the radix sort (from 4096 values): signs, binades from 2^-100 to
    // 2^100, ties, both zeros and NaNs, in every order a key transform could get wrong.
    auto mixed = [&](size_t n, double shift) {
        Values v = normal(rng, n, shift, 1);
        for (size_t i = 0; i < v.size(); ++i) {
            if (i % 11 == 0)
                v[i] = std::ldexp(v[i], int(i % 201) - 100);
            if (i % 13 == 0)
                v[i] = std::round(v[i] * 4) / 4;
            if (i % 17 == 0)
                v[i] = i % 2 ? -0.0 : 0.0;
            if (i % 19 == 0)
                v[i] = kNaN;
        }
        return v;
    };
    cases.push_back({"radix_mixed", mixed(30000, 0), mixed(25000, 0.1)});
    return cases;
}

std::vector<BinnedCase> binnedCases()
{
    std::vector<BinnedCase> cases;
    const Values e10{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    cases.push_back({"b_identical", e10, Values(10, 100), Values(10, 100)});
    cases.push_back({"b_proportional", e10, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {3, 6, 9, 12, 15, 18, 21, 24, 27, 30}});
    cases.push_back({"b_shifted", e10, {10, 30, 80, 150, 230, 230, 150, 80, 30, 10},
                     {5, 15, 45, 100, 180, 230, 200, 130, 65, 30}});
    cases.push_back({"b_empty_bins", e10, {0, 40, 80, 0, 120, 90, 0, 50, 20, 0}, {10, 0, 70, 30, 100, 0, 60, 50, 0, 5}});
    cases.push_back({"b_disjoint", {0, 1, 2, 3, 4}, {10, 10, 0, 0}, {0, 0, 10, 10}});
    // A monitor's layout: zero-width end bins for values outside the training range.
    cases.push_back({"b_end_bins", {-2, -2, -1, 0.5, 3, 3}, {0, 300, 400, 300, 0}, {25, 280, 390, 250, 55}});
    cases.push_back({"b_uneven_widths", {0, 0.1, 0.5, 2, 10, 10.5}, {5, 50, 200, 40, 5}, {1, 20, 150, 100, 29}});
    cases.push_back({"b_point_masses", {1, 1, 2, 2, 5, 5}, {3, 0, 5, 0, 2}, {1, 0, 1, 0, 8}});
    // Large counts: p-values far in the tails.
    cases.push_back({"b_large_counts", e10, {1000, 3000, 8000, 15000, 23000, 23000, 15000, 8000, 3000, 1000},
                     {1100, 3300, 8200, 15500, 22400, 22300, 14800, 8200, 3100, 1100}});
    cases.push_back({"b_tail", e10, {1000, 3000, 8000, 15000, 23000, 23000, 15000, 8000, 3000, 1000},
                     {500, 1500, 4500, 10000, 18000, 23000, 20000, 13000, 6500, 3000}});
    Values many(51), manyCur(51), manyEdges(52);
    for (int i = 0; i < 51; ++i) {
        many[size_t(i)] = 100 + 10 * (i % 7);
        manyCur[size_t(i)] = 100 + 10 * ((i + 2) % 7);
        manyEdges[size_t(i)] = i;
    }
    manyEdges[51] = 51;
    cases.push_back({"b_many_bins", manyEdges, many, manyCur});
    // The current window saw a category the reference never did.
    cases.push_back({"b_new_category", {0, 1, 2, 3, 4}, {50, 30, 20, 0}, {40, 30, 20, 10}});
    return cases;
}

QJsonValue json(double v)
{
    return std::isnan(v) ? QJsonValue() : QJsonValue(v);
}

QJsonArray jsonArray(const Values &v)
{
    QJsonArray a;
    for (double x : v)
        a.append(json(x));
    return a;
}

// The script's JSON: null for NaN, "inf" and "-inf" for infinities.
double value(const QJsonValue &v)
{
    if (v.isString())
        return v.toString() == QStringLiteral("inf") ? std::numeric_limits<double>::infinity()
             : v.toString() == QStringLiteral("-inf") ? -std::numeric_limits<double>::infinity()
                                                       : kNaN;
    return v.isNull() ? kNaN : v.toDouble(kNaN);
}

// Both NaN, or within tol relative (absolute below 1).
::testing::AssertionResult close(double ours, double reference, double tol)
{
    if (std::isnan(ours) && std::isnan(reference))
        return ::testing::AssertionSuccess();
    if (ours == reference || nearlyEqual(ours, reference, tol))
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "ours " << ours << " vs scipy " << reference << " (tol " << tol << ")";
}

// A p-value: 1e-9 relative while it is not tiny; deep in the tail (below 1e-6) the reference's
// own evaluation is no better than 1e-7 relative, and below 1e-280 both are 0 in practice.
::testing::AssertionResult closeP(double ours, double reference)
{
    if (std::isnan(ours) || std::isnan(reference))
        return close(ours, reference, 0);
    const double tol = reference < 1e-6 ? 1e-7 : kExact;
    if (std::fabs(ours - reference) <= tol * reference || std::fabs(ours - reference) <= 1e-280)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "p-value ours " << ours << " vs scipy " << reference << " (rel tol " << tol << ")";
}

// The reference results for every case, computed once per process.
class DriftReferenceTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        s_error.clear();
        const QString missing = missingPythonModules({"numpy", "scipy"});
        if (!missing.isEmpty()) {
            s_error = missing;
            return;
        }
        QJsonArray samples, binned;
        for (const SampleCase &c : sampleCases())
            samples.append(QJsonObject{{QStringLiteral("name"), QString::fromLatin1(c.name)},
                                       {QStringLiteral("ref"), jsonArray(c.ref)},
                                       {QStringLiteral("cur"), jsonArray(c.cur)}});
        for (const BinnedCase &c : binnedCases())
            binned.append(QJsonObject{{QStringLiteral("name"), QString::fromLatin1(c.name)},
                                      {QStringLiteral("edges"), jsonArray(c.edges)},
                                      {QStringLiteral("ref"), jsonArray(c.ref)},
                                      {QStringLiteral("cur"), jsonArray(c.cur)}});
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cases.json"));
        QFile f(path);
        const QByteArray text = QJsonDocument(QJsonObject{{QStringLiteral("samples"), samples},
                                                          {QStringLiteral("binned"), binned}})
                                    .toJson(QJsonDocument::Compact);
        if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size()) {
            s_error = QStringLiteral("cannot write ") + path;
            return;
        }
        f.close();
        const PythonRun py = runPythonFile(pythonScriptPath(QStringLiteral("drift_reference.py")), {path});
        if (!py.ok()) {
            s_error = QStringLiteral("drift_reference.py failed: ") + QString::fromUtf8(py.err);
            return;
        }
        s_reference = QJsonDocument::fromJson(py.out).object();
        if (s_reference.isEmpty())
            s_error = QStringLiteral("drift_reference.py printed no results: ") + QString::fromUtf8(py.out.left(200));
    }

    void SetUp() override
    {
        // A failure, not a skip: without the reference these tests would claim nothing.
        ASSERT_TRUE(s_error.isEmpty()) << s_error.toStdString();
    }

    static QJsonObject reference(const char *name) { return s_reference.value(QString::fromLatin1(name)).toObject(); }

    static inline QString s_error;
    static inline QJsonObject s_reference;
};

} // namespace

TEST_F(DriftReferenceTest, SampleFormsMatchScipy)
{
    for (const SampleCase &c : sampleCases()) {
        SCOPED_TRACE(c.name);
        const QJsonObject r = reference(c.name);
        ASSERT_FALSE(r.isEmpty());
        const DriftStatistics::Ks ks = DriftStatistics::ksSamples(c.ref, c.cur);
        // The same divisions and the same maximum: identical, not merely close.
        EXPECT_EQ(ks.statistic, value(r[QStringLiteral("ks")]));
        EXPECT_TRUE(closeP(ks.pValue, value(r[QStringLiteral("ks_p_kstwobign")])));
        EXPECT_TRUE(close(DriftStatistics::wassersteinSamples(c.ref, c.cur), value(r[QStringLiteral("wasserstein")]), kExact));
        EXPECT_TRUE(close(DriftStatistics::psiSamples(c.ref, c.cur), value(r[QStringLiteral("psi")]), kExact));

        // One sort for all three gives the same figures as the separate calls.
        const DriftStatistics::Summary s = DriftStatistics::numericSamples(c.ref, c.cur);
        EXPECT_EQ(s.ks.statistic, ks.statistic);
        EXPECT_EQ(s.ks.pValue, ks.pValue);
        EXPECT_EQ(s.wasserstein, DriftStatistics::wassersteinSamples(c.ref, c.cur));
        EXPECT_EQ(s.psi, DriftStatistics::psiSamples(c.ref, c.cur));
    }
}

TEST_F(DriftReferenceTest, DecileEdgesAreNumpyInvertedCdfPercentiles)
{
    for (const SampleCase &c : sampleCases()) {
        SCOPED_TRACE(c.name);
        Values sorted;
        for (double v : c.ref)
            if (!std::isnan(v))
                sorted.push_back(v);
        std::sort(sorted.begin(), sorted.end());
        const Values edges = DriftStatistics::equalFrequencyEdges(sorted, 10);
        const QJsonArray expected = reference(c.name)[QStringLiteral("edges")].toArray();
        ASSERT_EQ(edges.size(), size_t(expected.size()));
        for (size_t i = 0; i < edges.size(); ++i)
            EXPECT_EQ(edges[i], expected[qsizetype(i)].toDouble());
    }
}

// Where Kolmogorov's limit and scipy's 'asymp' (the finite-n kstwo at round(n_eff)) part: the
// gap is of the order 1/sqrt(n_eff), so with a few thousand rows a side it is below 0.01.
TEST_F(DriftReferenceTest, KsPValueStaysNearScipyAsympForLargeSamples)
{
    for (const SampleCase &c : sampleCases()) {
        const QJsonObject r = reference(c.name);
        const double nEff = value(r[QStringLiteral("n_eff")]);
        if (nEff < 100)
            continue;
        SCOPED_TRACE(c.name);
        const double ours = DriftStatistics::ksSamples(c.ref, c.cur).pValue;
        EXPECT_LE(std::fabs(ours - value(r[QStringLiteral("ks_p_scipy_asymp")])), 1 / std::sqrt(nEff));
    }
}

TEST_F(DriftReferenceTest, BinnedFormsMatchScipyAndEvidently)
{
    for (const BinnedCase &c : binnedCases()) {
        SCOPED_TRACE(c.name);
        const QJsonObject r = reference(c.name);
        ASSERT_FALSE(r.isEmpty());
        EXPECT_TRUE(close(DriftStatistics::psi(c.ref, c.cur), value(r[QStringLiteral("psi")]), kExact));
        const DriftStatistics::Ks ks = DriftStatistics::ksBinned(c.ref, c.cur);
        EXPECT_TRUE(close(ks.statistic, value(r[QStringLiteral("ks")]), 1e-12));
        EXPECT_TRUE(closeP(ks.pValue, value(r[QStringLiteral("ks_p")])));
        const double w = DriftStatistics::wassersteinBinned(c.edges, c.ref, c.cur);
        EXPECT_TRUE(close(w, value(r[QStringLiteral("wasserstein")]), kExact));
        if (r.contains(QStringLiteral("wasserstein_points")))
            EXPECT_TRUE(close(w, value(r[QStringLiteral("wasserstein_points")]), kExact));
        EXPECT_TRUE(close(DriftStatistics::jensenShannon(c.ref, c.cur), value(r[QStringLiteral("jensen_shannon")]), kExact));
        const DriftStatistics::ChiSquared chi = DriftStatistics::chiSquared(c.ref, c.cur);
        EXPECT_TRUE(close(chi.statistic, value(r[QStringLiteral("chi2")]), kExact));
        EXPECT_TRUE(closeP(chi.pValue, value(r[QStringLiteral("chi2_p")])));
        EXPECT_EQ(chi.dof, r[QStringLiteral("chi2_dof")].toInt());
    }
}

TEST(DriftStatisticsTest, IdenticalDistributionsShowNoDrift)
{
    const Values counts{5, 0, 12, 40, 3};
    EXPECT_EQ(DriftStatistics::psi(counts, counts), 0.0);
    EXPECT_EQ(DriftStatistics::ksBinned(counts, counts).statistic, 0.0);
    EXPECT_EQ(DriftStatistics::ksBinned(counts, counts).pValue, 1.0);
    EXPECT_EQ(DriftStatistics::wassersteinBinned(Values{0, 1, 2, 3, 4, 5}, counts, counts), 0.0);
    EXPECT_EQ(DriftStatistics::jensenShannon(counts, counts), 0.0);
    EXPECT_EQ(DriftStatistics::chiSquared(counts, counts).statistic, 0.0);
    EXPECT_EQ(DriftStatistics::chiSquared(counts, counts).pValue, 1.0);
    const Values samples{3, 1, 4, 1, 5, 9, 2, 6};
    const DriftStatistics::Summary s = DriftStatistics::numericSamples(samples, samples);
    EXPECT_EQ(s.psi, 0.0);
    EXPECT_EQ(s.ks.statistic, 0.0);
    EXPECT_EQ(s.ks.pValue, 1.0);
    EXPECT_EQ(s.wasserstein, 0.0);
}

// An empty side, or one of NaNs only, has no distribution: NaN, never a reassuring 0.
TEST(DriftStatisticsTest, EmptySidesGiveNaN)
{
    const Values empty;
    const Values nans(4, kNaN);
    const Values some{1, 2, 3};
    for (const Values *side : {&empty, &nans}) {
        EXPECT_TRUE(std::isnan(DriftStatistics::ksSamples(*side, some).statistic));
        EXPECT_TRUE(std::isnan(DriftStatistics::ksSamples(some, *side).pValue));
        EXPECT_TRUE(std::isnan(DriftStatistics::wassersteinSamples(*side, some)));
        EXPECT_TRUE(std::isnan(DriftStatistics::wassersteinSamples(some, *side)));
        EXPECT_TRUE(std::isnan(DriftStatistics::psiSamples(*side, some)));
        EXPECT_TRUE(std::isnan(DriftStatistics::psiSamples(some, *side)));
        const DriftStatistics::Summary s = DriftStatistics::numericSamples(some, *side);
        EXPECT_TRUE(std::isnan(s.psi) && std::isnan(s.ks.statistic) && std::isnan(s.ks.pValue) && std::isnan(s.wasserstein));
    }
    const Values zeros(3, 0.0);
    const Values counts{1, 2, 3};
    const Values edges{0, 1, 2, 3};
    EXPECT_TRUE(std::isnan(DriftStatistics::psi(zeros, counts)));
    EXPECT_TRUE(std::isnan(DriftStatistics::psi(counts, zeros)));
    EXPECT_TRUE(std::isnan(DriftStatistics::ksBinned(zeros, counts).pValue));
    EXPECT_TRUE(std::isnan(DriftStatistics::wassersteinBinned(edges, counts, zeros)));
    EXPECT_TRUE(std::isnan(DriftStatistics::jensenShannon(zeros, counts)));
    EXPECT_TRUE(std::isnan(DriftStatistics::chiSquared(counts, zeros).pValue));
    EXPECT_TRUE(std::isnan(DriftStatistics::psi(empty, empty)));
}

TEST(DriftStatisticsTest, MalformedCountsGiveNaN)
{
    const Values counts{1, 2, 3};
    EXPECT_TRUE(std::isnan(DriftStatistics::psi(counts, Values{1, 2})));
    EXPECT_TRUE(std::isnan(DriftStatistics::psi(counts, Values{1, kNaN, 3})));
    EXPECT_TRUE(std::isnan(DriftStatistics::jensenShannon(counts, Values{1, -2, 3})));
    EXPECT_TRUE(std::isnan(DriftStatistics::wassersteinBinned(Values{0, 1, 2}, counts, counts)));
    EXPECT_TRUE(std::isnan(DriftStatistics::wassersteinBinned(Values{0, 2, 1, 3}, counts, counts)));
    // One category: nothing to compare.
    EXPECT_TRUE(std::isnan(DriftStatistics::chiSquared(Values{5, 0}, Values{7, 0}).pValue));
}

TEST(DriftStatisticsTest, PsiReplacesEmptyBinsByEpsilon)
{
    // Reference all in bin 0, current all in bin 1: shares (1, 1e-4) and (1e-4, 1).
    const double expected = 2 * (1 - 1e-4) * std::log(1 / 1e-4);
    EXPECT_TRUE(nearlyEqual(DriftStatistics::psi(Values{10, 0}, Values{0, 10}), expected, 1e-12));
    EXPECT_TRUE(nearlyEqual(DriftStatistics::psi(Values{10, 0}, Values{0, 10}, 1e-3), 2 * (1 - 1e-3) * std::log(1e3), 1e-12));
}

TEST(DriftStatisticsTest, NormalisedWassersteinDividesByTheFlooredStd)
{
    EXPECT_EQ(DriftStatistics::normalisedWasserstein(0.5, 2.0), 0.25);
    EXPECT_EQ(DriftStatistics::normalisedWasserstein(0.5, 0.0), 500.0);
    EXPECT_TRUE(std::isnan(DriftStatistics::normalisedWasserstein(kNaN, 1.0)));
    EXPECT_TRUE(std::isnan(DriftStatistics::normalisedWasserstein(1.0, kNaN)));
}

TEST(DriftStatisticsTest, EqualFrequencyEdgesFollowThePackageBaseline)
{
    EXPECT_TRUE(DriftStatistics::equalFrequencyEdges(Values{}, 10).empty());
    EXPECT_EQ(DriftStatistics::equalFrequencyEdges(Values{2, 2, 2}, 10), (Values{2, 2}));
    const Values ten{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    EXPECT_EQ(DriftStatistics::equalFrequencyEdges(ten, 10), (Values{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
    EXPECT_EQ(DriftStatistics::equalFrequencyEdges(ten, 5), (Values{0, 1, 3, 5, 7, 9}));
}
