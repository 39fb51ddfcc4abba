// SPDX-License-Identifier: MIT
#include "package/package_catalog.h"

#include "common/semantic_version.h"
#include "package/key_store.h"
#include "package/package_seal.h"
#include "package/signing_key.h"
#include "store/package_repository.h"

#include <QSaveFile>

namespace mlwb {

Result<qint64> PackageCatalog::create(const PackageBuilder::Request &request, bool sign, JobFeedback *feedback)
{
    std::optional<SigningKey> key;
    if (sign) {
        auto k = KeyStore().signingKey();
        if (!k)
            return k.failure();
        key.emplace(std::move(*k));
    }
    auto built = PackageBuilder(m_db).build(request, key ? &*key : nullptr, feedback);
    if (!built)
        return built.failure();
    PackageRecord record;
    record.modelId = built->manifest.lineage.modelId;
    record.runId = request.runId;
    record.name = built->manifest.name;
    record.version = built->manifest.version;
    record.createdAt = built->manifest.created;
    record.author = built->manifest.author;
    record.manifestJson = built->manifest.toBytes();
    record.archive = built->archive;
    record.archiveSha256 = PackageSeal::sha256Hex(built->archive);
    record.keyId = built->keyId;
    record.state = PackageState::Built;
    return PackageRepository(m_db).add(record);
}

Result<SealedPackage> PackageCatalog::open(qint64 packageId)
{
    auto record = PackageRepository(m_db).get(packageId);
    if (!record)
        return record.failure();
    auto trusted = KeyStore().trustedKeys();
    if (!trusted)
        return trusted.failure();
    return SealedPackage::open(record->archive, QStringLiteral("package %1:%2").arg(record->name, record->version),
                               *trusted, false);
}

Status PackageCatalog::sign(qint64 packageId)
{
    auto record = PackageRepository(m_db).get(packageId);
    if (!record)
        return record.failure();
    auto package = open(packageId);
    if (!package)
        return package.failure();
    auto key = KeyStore().signingKey();
    if (!key)
        return key.failure();
    auto archive = package->resealed(&*key);
    if (!archive)
        return archive.failure();
    return PackageRepository(m_db).saveSeal(packageId, *archive, key->publicKey().id());
}

Result<qint64> PackageCatalog::addOverride(qint64 packageId, const QString &reason)
{
    return PackageRepository(m_db).addOverride(packageId, reason, KeyStore::userAtHost());
}

Status PackageCatalog::exportTo(qint64 packageId, const QString &path)
{
    auto record = PackageRepository(m_db).get(packageId);
    if (!record)
        return record.failure();
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(record->archive) != record->archive.size() || !f.commit())
        return ioError(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

Result<QString> PackageCatalog::nextVersion(const QString &name)
{
    auto list = PackageRepository(m_db).list();
    if (!list)
        return list.failure();
    std::optional<SemanticVersion> newest;
    for (const PackageRecord &p : *list) {
        if (p.name != name)
            continue;
        auto v = SemanticVersion::parse(p.version);
        if (v && (!newest || *v > *newest))
            newest = *v;
    }
    if (!newest)
        return QStringLiteral("1.0.0");
    return SemanticVersion{newest->major, newest->minor + 1, 0}.toString();
}

} // namespace mlwb
