// SPDX-License-Identifier: MIT
#pragma once

// FeatureDrift: one input feature's (or the prediction's) serving distribution against the
// package's baseline (baseline.json, core/package/package_baseline.h), with every statistic the
// dashboard shows and the one its traffic light follows. The defaults are Evidently's: a
// numeric feature with at most 1,000 reference rows is judged by the Kolmogorov-Smirnov test
// (p < 0.05), a larger one by the Wasserstein distance normalised by the reference's standard
// deviation (>= 0.1); a categorical one by the Jensen-Shannon distance (>= 0.1), or chi-squared
// (p < 0.05) with at most 1,000 reference rows. PSI (> 0.2, the common rule) is shown beside
// them. Every threshold is the user's to change (the drift alert rules carry them).
//
// The baseline is binned, so these are the binned forms (DriftStatistics): values outside the
// training range count in zero-width end bins at its edges, and a missing value is a bin of its
// own for PSI, Jensen-Shannon and chi-squared. Fewer than minRows serving rows are "not enough
// data", never green.

#include "common/result.h"
#include "monitor/monitor_view.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace mlwb {

class FeatureDrift {
public:
    enum class Statistic { Psi, Ks, Wasserstein, JensenShannon, ChiSquared };
    enum class Level { NotEnoughData, Green, Amber, Red };
    struct Thresholds {
        double psi = 0.2;
        double ksP = 0.05;
        double wasserstein = 0.1;
        double jensenShannon = 0.1;
        double chiSquaredP = 0.05;
        double minRows = 100;
        // nullopt: the default for the feature's kind and reference size.
        std::optional<Statistic> statistic;
    };
    struct Figures {
        QString feature;
        QString kind;             // numeric, category, boolean
        double referenceRows = 0; // the baseline's
        double rows = 0;          // served in the window, missing included
        double missingShare = 0;  // of rows; NaN with no rows
        double psi = 0, ksStatistic = 0, ksP = 0, wasserstein = 0, jensenShannon = 0, chiSquared = 0, chiSquaredP = 0;
        bool hasKs = false, hasWasserstein = false, hasChiSquared = false;
        Statistic statistic = Statistic::Psi; // the one that decides
        double value = 0;                    // its value
        double threshold = 0;
        Level level = Level::NotEnoughData;
        // Share of rows per bin or category, for the chart: labels, reference and current.
        QStringList binLabels;
        std::vector<double> referenceShare;
        std::vector<double> currentShare;
    };

    // `baseline` is one entry of baseline.json's "features" (or its "prediction", with the
    // baseline's "rows"); `current` the window's counts for it.
    static Result<Figures> compute(const QJsonObject &baseline, double baselineRows,
                                   const MonitorView::Distribution &current, const Thresholds &thresholds);

    static Statistic defaultStatistic(bool numeric, double referenceRows);
    // Drift when value `>` threshold, or `<` for the p-values (ks, chi_squared).
    static bool driftBelow(Statistic s) { return s == Statistic::Ks || s == Statistic::ChiSquared; }
    static double threshold(Statistic s, const Thresholds &t);
    static QString name(Statistic s); // psi, ks, wasserstein, jensen_shannon, chi_squared
    static std::optional<Statistic> fromName(const QString &name);
    static QString levelName(Level l); // not_enough_data, green, amber, red
};

} // namespace mlwb
