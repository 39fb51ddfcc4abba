// SPDX-License-Identifier: MIT
#include "checks/package_check_job.h"

#include "checks/package_checker.h"
#include "data/dataset_catalog.h"
#include "inference/torch_runtime.h"
#include "jobs/job_feedback.h"
#include "package/key_store.h"
#include "package/package_seal.h"
#include "package/sealed_package.h"
#include "package/signing_key.h"
#include "store/package_repository.h"
#include "store/worker_connection.h"

#include <QJsonDocument>

namespace mlwb {

PackageCheckJob::PackageCheckJob(QString projectPath, qint64 packageId, std::optional<CheckConfig> config)
    : m_path(std::move(projectPath)), m_packageId(packageId), m_config(std::move(config))
{
}

QString PackageCheckJob::title() const { return QStringLiteral("Check package %1").arg(m_packageId); }

ItemRef PackageCheckJob::subject() const { return {kPackageKind, m_packageId}; }

Status PackageCheckJob::run(JobFeedback &feedback)
{
    auto db = WorkerConnection::open(m_path, WorkerConnection::Access::Write);
    if (!db)
        return db.failure();
    auto report = check(*db, m_packageId, m_config, &feedback);
    if (!report)
        return report.failure();
    m_report = std::move(*report);
    return {};
}

Result<CheckReport> PackageCheckJob::check(Database &db, qint64 packageId, const std::optional<CheckConfig> &config,
                                           JobFeedback *feedback)
{
    PackageRepository packages(db);
    auto record = packages.get(packageId);
    if (!record)
        return record.failure();
    const QString source = QStringLiteral("package %1:%2").arg(record->name, record->version);
    const KeyStore keys;
    auto trusted = keys.trustedKeys();
    if (!trusted)
        return trusted.failure();
    // An unsigned package may be checked (the seal check then fails it); a signature that is
    // there must hold.
    auto package = SealedPackage::open(record->archive, source, *trusted, false);
    if (!package)
        return package.failure();
    const PackageManifest &manifest = package->manifest();

    auto dataset = DatasetCatalog(db).load(manifest.lineage.datasetId);
    if (!dataset)
        return dataset.failure().reworded(QStringLiteral("%1 was made from data set %2 (\"%3\"): %4")
                                              .arg(source)
                                              .arg(manifest.lineage.datasetId)
                                              .arg(manifest.lineage.datasetName, dataset.error()));
    if (!manifest.lineage.datasetSha256.isEmpty() && dataset->record.contentHash != manifest.lineage.datasetSha256)
        return conflict(QStringLiteral("%1: data set %2 is not the one it was made from (SHA-256 %3, the package "
                                       "names %4)")
                            .arg(source)
                            .arg(dataset->record.id)
                            .arg(dataset->record.contentHash.left(12), manifest.lineage.datasetSha256.left(12)));

    PackageChecker::Inputs in;
    in.package = &*package;
    in.table = &dataset->data.table;
    in.testRows = dataset->rows(SplitPart::Test);
    if (config) {
        in.config = *config;
    } else {
        // The model's own configuration, else the defaults for its task.
        auto stored = packages.checkConfig(record->modelId);
        if (!stored)
            return stored.failure();
        if (*stored) {
            auto parsed = CheckConfig::fromJson(**stored);
            if (!parsed)
                return parsed.failure().reworded(
                    QStringLiteral("model %1's stored %2").arg(manifest.lineage.modelName, parsed.error()));
            in.config = *parsed;
        } else {
            in.config = CheckConfig::defaults(manifest.output.task == QLatin1String("classification"));
        }
    }
    auto previous = packages.previousVersion(record->name, record->version);
    if (!previous)
        return previous.failure();
    if (*previous) {
        in.previousVersion = (*previous)->version;
        if (!(*previous)->checks.isEmpty()) {
            auto report = CheckReport::fromJson((*previous)->checks);
            if (report)
                in.previous = std::move(*report);
        }
    }
    TorchRuntime::initialize();
    auto report = PackageChecker::run(in, feedback);
    if (!report)
        return report.failure();

    // checks.json goes into the package: sealed anew, signed anew when it was signed.
    std::optional<SigningKey> key;
    if (package->seal().isSigned) {
        auto k = keys.signingKey();
        if (!k)
            return k.failure();
        key.emplace(std::move(*k));
    }
    const QJsonObject checks = report->toJson();
    auto archive = package->resealed(key ? &*key : nullptr, QString::fromLatin1(SealedPackage::kChecksEntry),
                                     QJsonDocument(checks).toJson(QJsonDocument::Indented));
    if (!archive)
        return archive.failure();
    if (auto s = packages.saveChecks(packageId, *archive, PackageSeal::sha256Hex(*archive),
                                     key ? key->publicKey().id() : QString(), checks,
                                     report->passed() ? PackageState::Checked : PackageState::GateFailed);
        !s)
        return s.failure();
    return report;
}

} // namespace mlwb
