// SPDX-License-Identifier: MIT
#pragma once

// MonitorBaselines: what a served model version was expected to look like, from its package in
// the project: baseline.json (the training split's features and predictions, binned) and the
// pre-deployment check report (the latency figures the default p99 rule starts from). A version
// deployed from another project has no package here: drift is then "no baseline", not green.
// Packages are opened (hashes checked) once per version and kept.

#include "common/result.h"

#include <QHash>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace mlwb {

class PackageRepository;

class MonitorBaselines {
public:
    struct Entry {
        QJsonObject baseline; // {"rows", "features": [...], "prediction": {...}}
        QJsonObject checks;   // the check report; empty when never checked
        QString runName;      // "run 3": the run the package was built from, for the side by side
        qint64 runId = 0;
        qint64 packageId = 0;
        // The largest p99 the checks measured over their batch sizes, in ms; nullopt: none.
        std::optional<double> checkP99Ms() const;
        // The baseline's entry for a feature; empty when it has none.
        QJsonObject feature(const QString &name) const;
        double rows() const { return baseline.value(QLatin1String("rows")).toDouble(); }
    };

    explicit MonitorBaselines(PackageRepository &packages) : m_packages(packages) {}

    // NotFound when the project has no package of that name and version.
    Result<Entry> get(const QString &model, const QString &version);

private:
    PackageRepository &m_packages;
    QHash<QString, Entry> m_cache;
};

} // namespace mlwb
