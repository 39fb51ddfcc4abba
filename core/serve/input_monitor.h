// SPDX-License-Identifier: MIT
#pragma once

// InputMonitor: what one served version's answered rows look like, as docs/monitoring.md says
// the agent exposes them: each input feature on the package baseline's bins (a numeric feature's
// histogram, its missing count; a categorical or boolean one counted per category name), the
// predicted class or the prediction's histogram, and the rows answered. Every series is made,
// at zero, when the monitor is, and the monitor keeps them: record() takes no lock (a binary
// search over at most a dozen bounds and relaxed atomic adds per value), as it runs for every
// answered request. ServeMetrics::removeVersion() takes the series out of /metrics.

#include "common/result.h"
#include "inference/inference_engine.h"
#include "package/package_manifest.h"
#include "serve/metric_registry.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <span>
#include <vector>

namespace mlwb {

class InputMonitor {
public:
    // The families the series go into (ServeMetrics owns them).
    struct Families {
        std::shared_ptr<MetricRegistry::HistogramFamily> value;      // model, version, feature
        std::shared_ptr<MetricRegistry::CounterFamily> missing;      // model, version, feature
        std::shared_ptr<MetricRegistry::CounterFamily> category;     // ... feature, category
        std::shared_ptr<MetricRegistry::CounterFamily> prediction;   // model, version, class
        std::shared_ptr<MetricRegistry::HistogramFamily> predictionValue; // model, version
        std::shared_ptr<MetricRegistry::CounterFamily> rows;         // model, version
    };
    // What the version's rows are: the manifest's features (their order is the raw row's), the
    // task and the class names (the engine's labels).
    struct Version {
        QString model;
        QString version;
        std::vector<PackageManifest::Feature> features;
        bool classification = true;
        QStringList labels;
    };

    // The series of `version`, bins from `baseline` (baseline.json). A feature the baseline
    // does not describe (or describes with unusable edges) gets a histogram of the +Inf bucket
    // alone, or the manifest's categories: its values still count, in coarser bins.
    InputMonitor(const Families &families, const Version &version, const QJsonObject &baseline);
    InputMonitor(const InputMonitor &) = delete;
    InputMonitor &operator=(const InputMonitor &) = delete;

    // `rows` raw rows (one float per feature, a category as its code, NaN for missing: what the
    // engine took) and their answer.
    void record(std::span<const float> raw, qint64 rows, const InferenceEngine::Prediction &prediction) const;

    // The Prometheus bounds of the baseline edges e0 < ... < en: below(e0), ..., below(e[n-1]),
    // en (the +Inf bucket is implicit), below(x) the largest double under x. Empty when these are
    // not finite and strictly ascending (a damaged baseline).
    static std::vector<double> bounds(const std::vector<double> &edges);
    static double below(double x);
    // The edges an input is compared with. The baseline's are doubles from the training values,
    // but inputs arrive as FP32: a client's 0.7 is 0.7f, under the double 0.7, and would count in
    // the bin below the one 0.7 opens (2.2f, over 2.2, above the range when 2.2 is the last
    // edge). So each edge is rounded to float, as the value equal to it arrives; unless that
    // would merge two edges (1 and 1 + 1e-9) or one is beyond float's range, when the double
    // edges stay (no FP32 value falls between two edges that one float holds anyway).
    static std::vector<double> fp32Edges(const std::vector<double> &edges);

    // The category names of a feature (by code), as the series are labelled.
    const QStringList &categories(qsizetype feature) const { return m_features[size_t(feature)].names; }

private:
    struct Feature {
        bool numeric = true;
        std::shared_ptr<MetricRegistry::Histogram> histogram;
        std::shared_ptr<MetricRegistry::Counter> missing;
        std::vector<std::shared_ptr<MetricRegistry::Counter>> byCode; // categorical
        QStringList names;
    };
    std::vector<Feature> m_features;
    std::vector<std::shared_ptr<MetricRegistry::Counter>> m_classes;
    std::shared_ptr<MetricRegistry::Histogram> m_predictionHistogram;
    std::shared_ptr<MetricRegistry::Counter> m_rows;
};

} // namespace mlwb
