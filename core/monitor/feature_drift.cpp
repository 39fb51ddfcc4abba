// SPDX-License-Identifier: MIT
#include "monitor/feature_drift.h"

#include "monitor/drift_statistics.h"

#include <QJsonArray>

#include <cmath>
#include <limits>

namespace mlwb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> numbers(const QJsonArray &a)
{
    std::vector<double> out;
    out.reserve(a.size());
    for (const QJsonValue &v : a)
        out.push_back(v.toDouble(kNaN));
    return out;
}

std::vector<double> shares(const std::vector<double> &counts)
{
    double total = 0;
    for (double c : counts)
        total += c;
    std::vector<double> out(counts.size(), kNaN);
    if (total > 0) {
        for (std::size_t i = 0; i < counts.size(); ++i)
            out[i] = counts[i] / total;
    }
    return out;
}

QString number(double v) { return QString::number(v, 'g', 4); }

} // namespace

FeatureDrift::Statistic FeatureDrift::defaultStatistic(bool numeric, double referenceRows)
{
    if (numeric)
        return referenceRows <= 1000 ? Statistic::Ks : Statistic::Wasserstein;
    return referenceRows <= 1000 ? Statistic::ChiSquared : Statistic::JensenShannon;
}

double FeatureDrift::threshold(Statistic s, const Thresholds &t)
{
    switch (s) {
    case Statistic::Psi:
        return t.psi;
    case Statistic::Ks:
        return t.ksP;
    case Statistic::Wasserstein:
        return t.wasserstein;
    case Statistic::JensenShannon:
        return t.jensenShannon;
    case Statistic::ChiSquared:
        return t.chiSquaredP;
    }
    return kNaN;
}

QString FeatureDrift::name(Statistic s)
{
    switch (s) {
    case Statistic::Psi:
        return QStringLiteral("psi");
    case Statistic::Ks:
        return QStringLiteral("ks");
    case Statistic::Wasserstein:
        return QStringLiteral("wasserstein");
    case Statistic::JensenShannon:
        return QStringLiteral("jensen_shannon");
    case Statistic::ChiSquared:
        return QStringLiteral("chi_squared");
    }
    return QString();
}

std::optional<FeatureDrift::Statistic> FeatureDrift::fromName(const QString &name)
{
    for (Statistic s : {Statistic::Psi, Statistic::Ks, Statistic::Wasserstein, Statistic::JensenShannon,
                        Statistic::ChiSquared}) {
        if (FeatureDrift::name(s) == name)
            return s;
    }
    return std::nullopt;
}

QString FeatureDrift::levelName(Level l)
{
    switch (l) {
    case Level::NotEnoughData:
        return QStringLiteral("not_enough_data");
    case Level::Green:
        return QStringLiteral("green");
    case Level::Amber:
        return QStringLiteral("amber");
    case Level::Red:
        return QStringLiteral("red");
    }
    return QString();
}

Result<FeatureDrift::Figures> FeatureDrift::compute(const QJsonObject &baseline, double baselineRows,
                                                    const MonitorView::Distribution &current,
                                                    const Thresholds &thresholds)
{
    Figures f;
    f.feature = baseline.value(QLatin1String("name")).toString();
    f.kind = baseline.value(QLatin1String("kind")).toString();
    f.referenceRows = baselineRows;
    const bool numeric = f.kind == QLatin1String("numeric");
    const std::vector<double> refCounts = numbers(baseline.value(QLatin1String("counts")).toArray());
    const double refMissing = baseline.value(QLatin1String("missing")).toDouble(0);
    const QString where = f.feature.isEmpty() ? QStringLiteral("the prediction") : QStringLiteral("feature %1").arg(f.feature);

    // Reference and current counts over the same bins; the missing bin last.
    std::vector<double> ref, cur;
    std::vector<double> edges;
    if (numeric) {
        edges = numbers(baseline.value(QLatin1String("edges")).toArray());
        if (edges.size() != refCounts.size() + 1)
            return Error{QStringLiteral("%1: the baseline has %2 edges for %3 bins").arg(where).arg(edges.size()).arg(refCounts.size()),
                         ErrorKind::Corrupt};
        if (current.total() > 0 && current.bins.size() != refCounts.size())
            return Error{QStringLiteral("%1: the agent reports %2 bins, the package baseline has %3 (is the agent serving this package?)")
                             .arg(where)
                             .arg(current.bins.size())
                             .arg(refCounts.size()),
                         ErrorKind::InvalidInput};
        ref.push_back(0);
        cur.push_back(current.below);
        f.binLabels << QStringLiteral("< %1").arg(number(edges.front()));
        for (std::size_t i = 0; i < refCounts.size(); ++i) {
            ref.push_back(refCounts[i]);
            cur.push_back(i < current.bins.size() ? current.bins[i] : 0.0);
            f.binLabels << QStringLiteral("%1 – %2").arg(number(edges[i]), number(edges[i + 1]));
        }
        ref.push_back(0);
        cur.push_back(current.above);
        f.binLabels << QStringLiteral("> %1").arg(number(edges.back()));
    } else {
        const QJsonArray categories = baseline.value(QLatin1String("categories")).toArray();
        if (categories.size() != qsizetype(refCounts.size()))
            return Error{QStringLiteral("%1: the baseline has %2 categories for %3 counts").arg(where).arg(categories.size()).arg(refCounts.size()),
                         ErrorKind::Corrupt};
        QMap<QString, double> rest = current.categories;
        for (qsizetype i = 0; i < categories.size(); ++i) {
            const QString c = categories[i].toString();
            ref.push_back(refCounts[i]);
            cur.push_back(rest.take(c));
            f.binLabels << c;
        }
        for (auto it = rest.cbegin(); it != rest.cend(); ++it) { // never seen in training
            ref.push_back(0);
            cur.push_back(it.value());
            f.binLabels << it.key();
        }
    }
    const std::size_t valueBins = ref.size();
    const bool anyMissing = refMissing > 0 || current.missing > 0;
    if (anyMissing) {
        ref.push_back(refMissing);
        cur.push_back(current.missing);
        f.binLabels << QStringLiteral("missing");
    }
    double rows = 0;
    for (double c : cur)
        rows += c;
    f.rows = rows;
    f.missingShare = rows > 0 ? current.missing / rows : kNaN;
    f.referenceShare = shares(ref);
    f.currentShare = shares(cur);

    f.psi = DriftStatistics::psi(ref, cur);
    f.jensenShannon = DriftStatistics::jensenShannon(ref, cur);
    if (numeric) {
        // KS and Wasserstein over the values alone: a missing value has no place on the axis.
        const std::span<const double> refValues(ref.data(), valueBins);
        const std::span<const double> curValues(cur.data(), valueBins);
        const DriftStatistics::Ks ks = DriftStatistics::ksBinned(refValues, curValues);
        f.ksStatistic = ks.statistic;
        f.ksP = ks.pValue;
        f.hasKs = true;
        std::vector<double> wideEdges;
        wideEdges.push_back(edges.front()); // the below-range bin, zero width at e0
        wideEdges.insert(wideEdges.end(), edges.begin(), edges.end());
        wideEdges.push_back(edges.back()); // the above-range bin, zero width at en
        const double std = baseline.value(QLatin1String("std")).toDouble(kNaN);
        const double distance = DriftStatistics::wassersteinBinned(wideEdges, refValues, curValues);
        f.wasserstein = std > 0 ? distance / std : (distance == 0 ? 0.0 : kNaN);
        f.hasWasserstein = true;
    } else {
        const DriftStatistics::ChiSquared chi = DriftStatistics::chiSquared(ref, cur);
        f.chiSquared = chi.statistic;
        f.chiSquaredP = chi.pValue;
        f.hasChiSquared = true;
    }

    f.statistic = thresholds.statistic.value_or(defaultStatistic(numeric, baselineRows));
    if (numeric && f.statistic == Statistic::ChiSquared)
        f.statistic = Statistic::Ks; // chi-squared is for categories; its numeric sibling
    if (!numeric && (f.statistic == Statistic::Ks || f.statistic == Statistic::Wasserstein))
        f.statistic = Statistic::JensenShannon;
    switch (f.statistic) {
    case Statistic::Psi:
        f.value = f.psi;
        break;
    case Statistic::Ks:
        f.value = f.ksP;
        break;
    case Statistic::Wasserstein:
        f.value = f.wasserstein;
        break;
    case Statistic::JensenShannon:
        f.value = f.jensenShannon;
        break;
    case Statistic::ChiSquared:
        f.value = f.chiSquaredP;
        break;
    }
    f.threshold = threshold(f.statistic, thresholds);
    if (rows < thresholds.minRows || std::isnan(f.value)) {
        f.level = Level::NotEnoughData;
    } else if (driftBelow(f.statistic)) {
        f.level = f.value < f.threshold ? Level::Red : f.value < 2 * f.threshold ? Level::Amber : Level::Green;
    } else {
        f.level = f.value >= f.threshold ? Level::Red : f.value >= f.threshold / 2 ? Level::Amber : Level::Green;
    }
    return f;
}

} // namespace mlwb
