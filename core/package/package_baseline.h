// SPDX-License-Identifier: MIT
#pragma once

// PackageBaseline: a package's baseline.json, the training split's distribution of every input
// feature and of the model's predictions, binned once at packaging time so drift monitoring only
// passes over the serving window:
//
//   {"format": 1, "split": "train", "rows": N,
//    "features": [{"name", "kind": "numeric", "edges": [e0, ..., e10], "counts": [10 counts],
//                  "missing": k, "mean", "std", "min", "max"},
//                 {"name", "kind": "category"|"boolean", "categories": [...], "counts": [...],
//                  "missing": k}],
//    "prediction": {"kind": "category", "categories": [class names], "counts": [...]}
//               or {"kind": "numeric", "edges", "counts", "mean", "std", "min", "max"}}
//
// Numeric edges are the training values' deciles (equal-frequency bins; ties merge bins, so
// there may be fewer than ten); a value v falls in bin i when edges[i] <= v < edges[i+1], the
// last bin including its upper edge. Values outside [edges[0], edges[last]] are outside the
// training range: a monitor counts them in the end bins' open extensions.

#include <QJsonObject>
#include <QStringList>

#include <span>
#include <vector>

namespace mlwb {

class DataTable;
class Preprocessing;

class PackageBaseline {
public:
    static constexpr int kBins = 10;

    // `classes` (classification) or `predictions` (regression, in the target's units): one per
    // row of `rows`.
    static QJsonObject build(const DataTable &table, const Preprocessing &pre, const std::vector<qint64> &rows,
                             std::span<const qint64> classes, std::span<const double> predictions);

    // The numeric part alone: deciles of the finite values, counts per bin, the missing count.
    static QJsonObject numeric(std::vector<double> values);
    static QJsonObject categorical(std::span<const double> codes, const QStringList &categories,
                                   const QString &kind);
};

} // namespace mlwb
