// SPDX-License-Identifier: MIT
#include "monitor/monitor_baselines.h"

#include "package/package_archive.h"
#include "package/sealed_package.h"
#include "store/package_repository.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace mlwb {

std::optional<double> MonitorBaselines::Entry::checkP99Ms() const
{
    std::optional<double> worst;
    const QJsonArray batches = checks.value(QLatin1String("latency")).toObject().value(QLatin1String("batches")).toArray();
    for (const QJsonValue &b : batches) {
        const QJsonValue p99 = b.toObject().value(QLatin1String("p99_ms"));
        if (p99.isDouble())
            worst = std::max(worst.value_or(0.0), p99.toDouble());
    }
    return worst;
}

QJsonObject MonitorBaselines::Entry::feature(const QString &name) const
{
    for (const QJsonValue &f : baseline.value(QLatin1String("features")).toArray()) {
        if (f.toObject().value(QLatin1String("name")).toString() == name)
            return f.toObject();
    }
    return {};
}

Result<MonitorBaselines::Entry> MonitorBaselines::get(const QString &model, const QString &version)
{
    const QString key = model + QLatin1Char('\n') + version;
    if (const auto it = m_cache.constFind(key); it != m_cache.cend())
        return *it;
    Result<PackageRecord> found = m_packages.find(model, version);
    Result<PackageRecord> record = found ? m_packages.get(found->id) : found; // find leaves the archive out
    if (!record)
        return record.failure().reworded(
            QStringLiteral("no baseline for %1 %2: the project has no such package (%3)").arg(model, version, record.error()));
    const QString source = QStringLiteral("package %1 %2").arg(model, version);
    // The package was verified when it was made and when it was deployed, and may be signed by
    // a colleague this user does not trust: only its content is read here.
    Result<PackageArchive> archive = PackageArchive::read(record->archive, source);
    if (!archive)
        return archive.failure();
    QJsonObject baseline, checks;
    for (const PackageArchive::Entry &entry : archive->entries()) {
        if (entry.name == QLatin1String(SealedPackage::kBaselineEntry))
            baseline = QJsonDocument::fromJson(entry.data).object();
        else if (entry.name == QLatin1String(SealedPackage::kChecksEntry))
            checks = QJsonDocument::fromJson(entry.data).object();
    }
    if (baseline.isEmpty())
        return corrupt(QStringLiteral("%1 has no readable baseline.json").arg(source));
    Entry e;
    e.baseline = baseline;
    e.checks = record->checks.isEmpty() ? checks : record->checks;
    e.packageId = record->id;
    e.runId = record->runId;
    e.runName = record->runId > 0 ? QStringLiteral("run %1").arg(record->runId) : QString();
    m_cache.insert(key, e);
    return e;
}

} // namespace mlwb
