// SPDX-License-Identifier: MIT
#include "package/sealed_package.h"

#include <QJsonDocument>

namespace mlwb {

QStringList SealedPackage::contentEntries()
{
    return {QString::fromLatin1(PackageManifest::kEntry), QString::fromLatin1(kModelEntry),
            QString::fromLatin1(kBaselineEntry), QString::fromLatin1(kInputExampleEntry),
            QString::fromLatin1(kChecksEntry)};
}

Result<SealedPackage> SealedPackage::open(const QByteArray &bytes, const QString &source,
                                          const QList<PublicKey> &trusted, bool requireSignature,
                                          const PackageArchive::Limits &limits)
{
    auto archive = PackageArchive::read(bytes, source, limits);
    if (!archive)
        return archive.failure();
    auto seal = PackageSeal::verify(*archive, trusted, requireSignature, source);
    if (!seal)
        return seal.failure();
    for (const QString &name : contentEntries()) {
        if (!archive->find(name))
            return corrupt(QStringLiteral("%1: the package has no %2").arg(source, name));
    }
    auto manifest = PackageManifest::fromJson(*archive->find(QString::fromLatin1(PackageManifest::kEntry)), source);
    if (!manifest)
        return manifest.failure();
    SealedPackage p;
    for (auto [name, into] : {std::pair{kChecksEntry, &p.m_checks}, std::pair{kBaselineEntry, &p.m_baseline},
                              std::pair{kInputExampleEntry, &p.m_inputExample}}) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(*archive->find(QString::fromLatin1(name)), &error);
        if (!doc.isObject())
            return corrupt(QStringLiteral("%1: %2 is not a JSON object (%3)")
                               .arg(source, QString::fromLatin1(name), error.errorString()));
        *into = doc.object();
    }
    p.m_archive = std::move(*archive);
    p.m_manifest = std::move(*manifest);
    p.m_seal = *seal;
    return p;
}

Result<QByteArray> SealedPackage::resealed(const SigningKey *key, const QString &name, const QByteArray &data) const
{
    if (!name.isEmpty() && !contentEntries().contains(name))
        return invalidInput(QStringLiteral("%1 is not a package entry that may be replaced").arg(name));
    std::vector<PackageArchive::Entry> entries;
    for (const QString &n : contentEntries())
        entries.push_back({n, n == name ? data : entry(n)});
    auto sealed = PackageSeal::seal(std::move(entries), key);
    if (!sealed)
        return sealed.failure();
    return PackageArchive::write(*sealed);
}

QByteArray SealedPackage::entry(const QString &name) const
{
    const QByteArray *data = m_archive.find(name);
    return data ? *data : QByteArray();
}

} // namespace mlwb
