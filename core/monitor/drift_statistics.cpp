// SPDX-License-Identifier: MIT
#include "monitor/drift_statistics.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <new>
#include <numbers>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace mlwb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// The total of a side's counts; NaN when a count is negative or NaN, so a corrupt scrape never
// passes for a distribution.
double total(std::span<const double> counts)
{
    double sum = 0;
    for (double c : counts) {
        if (!(c >= 0))
            return kNaN;
        sum += c;
    }
    return sum;
}

// Both sides' totals, or NaN when the bins differ in number or a side is empty.
bool totals(std::span<const double> ref, std::span<const double> cur, double &r, double &c)
{
    if (ref.size() != cur.size() || ref.empty())
        return false;
    r = total(ref);
    c = total(cur);
    return r > 0 && c > 0;
}

// Kolmogorov's limiting distribution's survival function, P(K > x) (scipy.special.kolmogorov).
// Below x = 1 the alternating series converges slowly and the theta-function form of the CDF
// converges fast, above it the other way round; either needs a handful of terms to 1e-16.
double kolmogorovSf(double x)
{
    if (std::isnan(x))
        return kNaN;
    if (x <= 0)
        return 1.0;
    if (x < 1.0) {
        const double w = std::numbers::pi * std::numbers::pi / (8 * x * x);
        double cdf = 0;
        for (int k = 1; k < 50; ++k) {
            const double term = std::exp(-double((2 * k - 1) * (2 * k - 1)) * w);
            cdf += term;
            if (term < 1e-18 * cdf)
                break;
        }
        return 1.0 - std::sqrt(2 * std::numbers::pi) / x * cdf;
    }
    double sf = 0;
    for (int k = 1; k < 100; ++k) {
        const double term = std::exp(-2.0 * double(k) * double(k) * x * x);
        sf += (k % 2 ? term : -term);
        if (term < 1e-18 * sf)
            break;
    }
    return std::clamp(2 * sf, 0.0, 1.0);
}

// The regularized upper incomplete gamma function Q(a, x) = Gamma(a, x) / Gamma(a): the series
// for P below x = a + 1 (where Q = 1 - P loses nothing, Q being at least about 0.4 there) and
// Lentz's continued fraction for Q above it (Numerical Recipes 6.2). The chi-squared survival
// function is Q(dof / 2, x / 2).
double upperGammaQ(double a, double x)
{
    if (std::isnan(a) || std::isnan(x) || a <= 0 || x < 0)
        return kNaN;
    if (x == 0)
        return 1.0;
    if (std::isinf(x))
        return 0.0;
    const double logPrefactor = a * std::log(x) - x - std::lgamma(a);
    if (x < a + 1) {
        double term = 1.0 / a;
        double sum = term;
        for (int n = 1; n < 100000; ++n) {
            term *= x / (a + n);
            sum += term;
            if (std::fabs(term) < std::fabs(sum) * 1e-17)
                break;
        }
        return std::clamp(1.0 - sum * std::exp(logPrefactor), 0.0, 1.0);
    }
    constexpr double tiny = 1e-300;
    double b = x + 1 - a;
    double c = 1 / tiny;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < 100000; ++i) {
        const double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        if (std::fabs(d) < tiny)
            d = tiny;
        c = b + an / c;
        if (std::fabs(c) < tiny)
            c = tiny;
        d = 1 / d;
        const double delta = d * c;
        h *= delta;
        if (std::fabs(delta - 1) < 1e-16)
            break;
    }
    return std::clamp(std::exp(logPrefactor) * h, 0.0, 1.0);
}

// A sum of many small terms of one sign and size, as Wasserstein's: Neumaier's compensation keeps
// it at the correctly rounded result where a plain loop over two million terms drifts by 1e-12.
class CompensatedSum {
public:
    void add(double v)
    {
        const double t = m_sum + v;
        m_compensation += std::fabs(m_sum) >= std::fabs(v) ? (m_sum - t) + v : (v - t) + m_sum;
        m_sum = t;
    }
    double value() const { return m_sum + m_compensation; }

private:
    double m_sum = 0;
    double m_compensation = 0;
};

// The buffers of a sort: uninitialised (each element is written before it is read, so a resize
// costs nothing) and, from a quarter of a megabyte, in transparent huge pages on Linux, as numpy
// puts its large arrays. Both matter because on a virtual machine a fresh 4 KiB page's first
// touch can cost 10-20 us: the three 8 MB buffers of sorting a million values then take more
// time in page faults than the sort itself (measured: 150 ms against 40 ms a call).
template <typename T>
class SortAllocator {
public:
    using value_type = T;
    SortAllocator() = default;
    template <typename U>
    SortAllocator(const SortAllocator<U> &) noexcept
    {
    }

    T *allocate(std::size_t n)
    {
        const std::size_t bytes = n * sizeof(T);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        if (bytes >= kHugeFrom) {
            const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
            if (void *p = std::aligned_alloc(kHugePage, rounded)) {
                madvise(p, rounded, MADV_HUGEPAGE); // advice: if refused, small pages serve
                return static_cast<T *>(p);
            }
            throw std::bad_alloc();
        }
#endif
        if (void *p = std::malloc(bytes))
            return static_cast<T *>(p);
        throw std::bad_alloc();
    }
    void deallocate(T *p, std::size_t) noexcept { std::free(p); }

    // Default-initialise: a resize leaves the values unwritten.
    template <typename U>
    void construct(U *p) noexcept
    {
        ::new (static_cast<void *>(p)) U;
    }
    template <typename U, typename... Args>
    void construct(U *p, Args &&...args)
    {
        ::new (static_cast<void *>(p)) U(std::forward<Args>(args)...);
    }

    template <typename U>
    bool operator==(const SortAllocator<U> &) const noexcept
    {
        return true;
    }

private:
    static constexpr std::size_t kHugePage = std::size_t(2) << 20;
    static constexpr std::size_t kHugeFrom = std::size_t(256) << 10;
};

using SortedValues = std::vector<double, SortAllocator<double>>;

// A double's bits as an unsigned key that orders as the double does (-inf < ... < -0 < +0 < ...
// < +inf): a positive value's sign bit set, a negative value's bits all flipped. std::sort
// counts -0 and +0 as equal and may leave them either way round; here -0 comes first, which no
// statistic can see (they compare equal everywhere after).
constexpr std::uint64_t kSignBit = std::uint64_t(1) << 63;
std::uint64_t orderedKey(double v)
{
    const auto bits = std::bit_cast<std::uint64_t>(v);
    return bits & kSignBit ? ~bits : bits | kSignBit;
}
double fromOrderedKey(std::uint64_t key)
{
    return std::bit_cast<double>(key & kSignBit ? key & ~kSignBit : ~key);
}

// The finite and infinite values, sorted. The sort is most of what a sample statistic costs
// (the passes after it are linear), so above a few thousand values it is a
// least-significant-digit radix sort on the keys above: six passes of 11 bits, one counting pass
// for all six, and a pass skipped where every key has the same digit (the exponent's top bits,
// often). On a million doubles it takes about a third of std::sort's time, for the same order.
SortedValues sortedWithoutNaN(std::span<const double> values)
{
    constexpr std::size_t kRadixFrom = 4096;
    SortedValues out;
    if (values.size() < kRadixFrom) {
        out.reserve(values.size());
        std::copy_if(values.begin(), values.end(), std::back_inserter(out), [](double v) { return !std::isnan(v); });
        std::sort(out.begin(), out.end());
        return out;
    }
    constexpr int kDigitBits = 11;
    constexpr int kPasses = (64 + kDigitBits - 1) / kDigitBits;
    constexpr std::size_t kBuckets = std::size_t(1) << kDigitBits;
    using Keys = std::vector<std::uint64_t, SortAllocator<std::uint64_t>>;
    Keys keys(values.size());
    std::vector<std::array<std::size_t, kBuckets>> counts(kPasses);
    for (auto &c : counts)
        c.fill(0);
    std::size_t n = 0;
    for (double v : values) {
        if (std::isnan(v))
            continue;
        const std::uint64_t key = orderedKey(v);
        keys[n++] = key;
        for (int p = 0; p < kPasses; ++p)
            ++counts[size_t(p)][(key >> (p * kDigitBits)) & (kBuckets - 1)];
    }
    keys.resize(n);
    Keys scratch(n);
    for (int p = 0; p < kPasses; ++p) {
        auto &c = counts[size_t(p)];
        const int shift = p * kDigitBits;
        if (n == 0 || c[(keys[0] >> shift) & (kBuckets - 1)] == n)
            continue; // one digit for all: the pass would move nothing
        std::size_t offset = 0;
        for (std::size_t &bucket : c) {
            const std::size_t size = bucket;
            bucket = offset;
            offset += size;
        }
        for (const std::uint64_t key : keys)
            scratch[c[(key >> shift) & (kBuckets - 1)]++] = key;
        keys.swap(scratch);
    }
    out.resize(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = fromOrderedKey(keys[i]);
    return out;
}

// One pass over both sorted sides at each distinct value: the CDFs' largest gap (KS) and the
// area between them (Wasserstein), with the same arithmetic as scipy (i / n - j / m at each
// value, |gap| * width between consecutive values) so the statistic comes out identical.
struct MergeResult {
    double ksStatistic = kNaN;
    double wasserstein = kNaN;
};

MergeResult mergePass(std::span<const double> a, std::span<const double> b)
{
    MergeResult r;
    const size_t n = a.size();
    const size_t m = b.size();
    if (n == 0 || m == 0)
        return r;
    const double dn = double(n);
    const double dm = double(m);
    size_t i = 0;
    size_t j = 0;
    double maxGap = 0;
    CompensatedSum area;
    while (i < n || j < m) {
        const double v = j == m || (i < n && a[i] <= b[j]) ? a[i] : b[j];
        while (i < n && a[i] <= v)
            ++i;
        while (j < m && b[j] <= v)
            ++j;
        const double gap = double(i) / dn - double(j) / dm;
        maxGap = std::max(maxGap, std::fabs(gap));
        if (i < n || j < m) {
            const double next = j == m || (i < n && a[i] <= b[j]) ? a[i] : b[j];
            area.add(std::fabs(gap) * (next - v));
        }
    }
    r.ksStatistic = maxGap;
    r.wasserstein = area.value();
    return r;
}

DriftStatistics::Ks ksFromStatistic(double statistic, double n, double m)
{
    return {statistic, kolmogorovSf(std::sqrt(n * m / (n + m)) * statistic)};
}

// Counts of sorted values per bin of `edges` (bin i: edges[i] <= v < edges[i+1], the last bin
// holding its upper edge), with the values below the first edge first and those above the last
// edge last.
std::vector<double> binSorted(std::span<const double> sorted, const std::vector<double> &edges)
{
    std::vector<double> counts;
    counts.reserve(edges.size() + 1);
    auto below = [&](double e) { return size_t(std::lower_bound(sorted.begin(), sorted.end(), e) - sorted.begin()); };
    size_t previous = below(edges.front());
    counts.push_back(double(previous));
    for (size_t k = 1; k < edges.size(); ++k) {
        const size_t upTo = k + 1 == edges.size()
                                ? size_t(std::upper_bound(sorted.begin(), sorted.end(), edges[k]) - sorted.begin())
                                : below(edges[k]);
        counts.push_back(double(upTo - previous));
        previous = upTo;
    }
    counts.push_back(double(sorted.size() - previous));
    return counts;
}

double psiSorted(std::span<const double> ref, std::span<const double> cur, int bins)
{
    if (ref.empty() || cur.empty())
        return kNaN;
    const std::vector<double> edges = DriftStatistics::equalFrequencyEdges(ref, bins);
    if (edges.empty())
        return kNaN;
    return DriftStatistics::psi(binSorted(ref, edges), binSorted(cur, edges));
}

} // namespace

double DriftStatistics::psi(std::span<const double> ref, std::span<const double> cur, double epsilon)
{
    double r = 0;
    double c = 0;
    if (!totals(ref, cur, r, c))
        return kNaN;
    double sum = 0;
    for (size_t i = 0; i < ref.size(); ++i) {
        double pr = ref[i] / r;
        double pc = cur[i] / c;
        if (pr == 0)
            pr = epsilon;
        if (pc == 0)
            pc = epsilon;
        sum += (pc - pr) * std::log(pc / pr);
    }
    return sum;
}

DriftStatistics::Ks DriftStatistics::ksBinned(std::span<const double> ref, std::span<const double> cur)
{
    double r = 0;
    double c = 0;
    if (!totals(ref, cur, r, c))
        return {kNaN, kNaN};
    double cumRef = 0;
    double cumCur = 0;
    double statistic = 0;
    for (size_t i = 0; i < ref.size(); ++i) {
        cumRef += ref[i];
        cumCur += cur[i];
        statistic = std::max(statistic, std::fabs(cumRef / r - cumCur / c));
    }
    return ksFromStatistic(statistic, r, c);
}

double DriftStatistics::wassersteinBinned(std::span<const double> edges, std::span<const double> ref,
                                          std::span<const double> cur)
{
    double r = 0;
    double c = 0;
    if (!totals(ref, cur, r, c) || edges.size() != ref.size() + 1)
        return kNaN;
    for (size_t i = 0; i < edges.size(); ++i) {
        if (!std::isfinite(edges[i]) || (i > 0 && edges[i] < edges[i - 1]))
            return kNaN;
    }
    // Both CDFs are linear inside a bin, so their gap goes linearly from d0 to d1 and the area of
    // its absolute value is exact: a trapezoid, or two triangles when it changes sign. A bin of
    // zero width adds no area but moves the gap (a point mass).
    double cumRef = 0;
    double cumCur = 0;
    double d0 = 0;
    CompensatedSum area;
    for (size_t i = 0; i < ref.size(); ++i) {
        cumRef += ref[i];
        cumCur += cur[i];
        const double d1 = cumRef / r - cumCur / c;
        const double width = edges[i + 1] - edges[i];
        if (width > 0) {
            const double a0 = std::fabs(d0);
            const double a1 = std::fabs(d1);
            if (d0 * d1 >= 0)
                area.add(width * (a0 + a1) / 2);
            else
                area.add(width * (d0 * d0 + d1 * d1) / (2 * (a0 + a1)));
        }
        d0 = d1;
    }
    return area.value();
}

double DriftStatistics::normalisedWasserstein(double distance, double referenceStd)
{
    if (std::isnan(distance) || std::isnan(referenceStd))
        return kNaN;
    return distance / std::max(referenceStd, 0.001);
}

double DriftStatistics::jensenShannon(std::span<const double> ref, std::span<const double> cur)
{
    double r = 0;
    double c = 0;
    if (!totals(ref, cur, r, c))
        return kNaN;
    // scipy's rel_entr(x, y): x ln(x / y), 0 when x is 0; m is never 0 where p or q is not.
    auto relEntr = [](double x, double y) { return x > 0 ? x * std::log(x / y) : 0.0; };
    double left = 0;
    double right = 0;
    for (size_t i = 0; i < ref.size(); ++i) {
        const double p = ref[i] / r;
        const double q = cur[i] / c;
        const double m = (p + q) / 2.0;
        left += relEntr(p, m);
        right += relEntr(q, m);
    }
    // Rounding may leave a divergence of -1e-17 for identical inputs; the distance is then 0.
    return std::sqrt(std::max((left + right) / 2.0, 0.0));
}

DriftStatistics::ChiSquared DriftStatistics::chiSquared(std::span<const double> ref, std::span<const double> cur)
{
    double r = 0;
    double c = 0;
    if (!totals(ref, cur, r, c))
        return {kNaN, kNaN, 0};
    const double scale = c / r; // Evidently's k_norm
    double statistic = 0;
    int kept = 0;
    for (size_t i = 0; i < ref.size(); ++i) {
        if (ref[i] == 0 && cur[i] == 0)
            continue;
        ++kept;
        const double expected = ref[i] * scale;
        statistic += expected > 0 ? (cur[i] - expected) * (cur[i] - expected) / expected : kInf;
    }
    if (kept < 2)
        return {statistic, kNaN, 0};
    const int dof = kept - 1;
    return {statistic, upperGammaQ(dof / 2.0, statistic / 2.0), dof};
}

DriftStatistics::Ks DriftStatistics::ksSamples(std::span<const double> ref, std::span<const double> cur)
{
    const SortedValues a = sortedWithoutNaN(ref);
    const SortedValues b = sortedWithoutNaN(cur);
    const MergeResult merged = mergePass(a, b);
    if (std::isnan(merged.ksStatistic))
        return {kNaN, kNaN};
    return ksFromStatistic(merged.ksStatistic, double(a.size()), double(b.size()));
}

double DriftStatistics::wassersteinSamples(std::span<const double> ref, std::span<const double> cur)
{
    return mergePass(sortedWithoutNaN(ref), sortedWithoutNaN(cur)).wasserstein;
}

double DriftStatistics::psiSamples(std::span<const double> ref, std::span<const double> cur, int bins)
{
    return psiSorted(sortedWithoutNaN(ref), sortedWithoutNaN(cur), bins);
}

DriftStatistics::Summary DriftStatistics::numericSamples(std::span<const double> ref, std::span<const double> cur)
{
    const SortedValues a = sortedWithoutNaN(ref);
    const SortedValues b = sortedWithoutNaN(cur);
    const MergeResult merged = mergePass(a, b);
    Summary s{psiSorted(a, b, 10), {kNaN, kNaN}, merged.wasserstein};
    if (!std::isnan(merged.ksStatistic))
        s.ks = ksFromStatistic(merged.ksStatistic, double(a.size()), double(b.size()));
    return s;
}

std::vector<double> DriftStatistics::equalFrequencyEdges(std::span<const double> sorted, int bins)
{
    if (sorted.empty() || bins < 1)
        return {};
    const size_t n = sorted.size();
    std::vector<double> edges{sorted.front()};
    for (int k = 1; k < bins; ++k) {
        const double q = sorted[size_t(std::ceil(double(k) * double(n) / bins)) - 1];
        if (q > edges.back())
            edges.push_back(q);
    }
    if (sorted.back() > edges.back() || edges.size() == 1)
        edges.push_back(sorted.back());
    return edges;
}

} // namespace mlwb
