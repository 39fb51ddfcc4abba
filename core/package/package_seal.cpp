// SPDX-License-Identifier: MIT
#include "package/package_seal.h"

#include "common/sha256.h"
#include "package/signing_key.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>

namespace mlwb {

namespace {

bool isSealEntry(const QString &name)
{
    return name == QLatin1String(PackageSeal::kHashesEntry) || name == QLatin1String(PackageSeal::kSignatureEntry);
}

} // namespace

QString PackageSeal::sha256Hex(const QByteArray &data)
{
    Sha256 h;
    h.addData(data.constData(), data.size());
    return QString::fromLatin1(h.result().toHex());
}

QByteArray PackageSeal::hashes(const std::vector<PackageArchive::Entry> &entries)
{
    QMap<QString, QString> sorted;
    for (const auto &e : entries)
        sorted.insert(e.name, sha256Hex(e.data));
    QJsonObject list;
    for (auto it = sorted.cbegin(); it != sorted.cend(); ++it)
        list.insert(it.key(), it.value());
    const QJsonObject doc{{QStringLiteral("format"), 1},
                          {QStringLiteral("algorithm"), QStringLiteral("sha256")},
                          {QStringLiteral("entries"), list}};
    return QJsonDocument(doc).toJson(QJsonDocument::Indented);
}

Result<std::vector<PackageArchive::Entry>> PackageSeal::seal(std::vector<PackageArchive::Entry> entries,
                                                            const SigningKey *key)
{
    QSet<QString> names;
    for (const auto &e : entries) {
        if (isSealEntry(e.name))
            return invalidInput(QStringLiteral("a package's own entry may not be called %1").arg(e.name));
        if (names.contains(e.name))
            return invalidInput(QStringLiteral("entry \"%1\" appears twice").arg(e.name));
        names.insert(e.name);
    }
    const QByteArray list = hashes(entries);
    entries.push_back({QString::fromLatin1(kHashesEntry), list});
    if (key) {
        const QJsonObject signature{{QStringLiteral("format"), 1},
                                    {QStringLiteral("key_id"), key->publicKey().id()},
                                    {QStringLiteral("public_key"), QString::fromLatin1(key->publicKey().toText().trimmed())},
                                    {QStringLiteral("signature"), QString::fromLatin1(key->sign(list).toBase64())}};
        entries.push_back({QString::fromLatin1(kSignatureEntry), QJsonDocument(signature).toJson(QJsonDocument::Indented)});
    }
    return entries;
}

Result<PackageSeal::Verified> PackageSeal::verify(const PackageArchive &archive, const QList<PublicKey> &trusted,
                                                  bool requireSignature, const QString &source)
{
    const QByteArray *list = archive.find(QString::fromLatin1(kHashesEntry));
    if (!list)
        return corrupt(QStringLiteral("%1 has no %2: it is not a sealed package").arg(source, QString::fromLatin1(kHashesEntry)));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(*list, &error);
    if (!doc.isObject())
        return corrupt(QStringLiteral("%1: %2 is not JSON (%3 at byte %4)")
                           .arg(source, QString::fromLatin1(kHashesEntry), error.errorString())
                           .arg(error.offset));
    const QJsonObject root = doc.object();
    if (root.value(QStringLiteral("format")).toInt(-1) != 1)
        return corrupt(QStringLiteral("%1: %2 has format %3; this mlwb reads format 1")
                           .arg(source, QString::fromLatin1(kHashesEntry),
                                root.value(QStringLiteral("format")).toVariant().toString()));
    if (root.value(QStringLiteral("algorithm")).toString() != u"sha256")
        return corrupt(QStringLiteral("%1: %2 names the algorithm \"%3\"; expected sha256")
                           .arg(source, QString::fromLatin1(kHashesEntry), root.value(QStringLiteral("algorithm")).toString()));
    const QJsonObject expected = root.value(QStringLiteral("entries")).toObject();
    QSet<QString> seen;
    for (const auto &e : archive.entries()) {
        if (isSealEntry(e.name) || e.name.endsWith(u'/'))
            continue;
        const QJsonValue want = expected.value(e.name);
        if (!want.isString())
            return corrupt(QStringLiteral("%1: entry \"%2\" is not in %3 (added after sealing)")
                               .arg(source, e.name, QString::fromLatin1(kHashesEntry)));
        const QString got = sha256Hex(e.data);
        if (got != want.toString())
            return corrupt(QStringLiteral("%1: entry \"%2\" was changed: its SHA-256 is %3, %4 says %5")
                               .arg(source, e.name, got, QString::fromLatin1(kHashesEntry), want.toString()));
        seen.insert(e.name);
    }
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        if (!seen.contains(it.key()))
            return corrupt(QStringLiteral("%1: entry \"%2\" is listed in %3 but missing")
                               .arg(source, it.key(), QString::fromLatin1(kHashesEntry)));
    }

    Verified result;
    const QByteArray *signatureEntry = archive.find(QString::fromLatin1(kSignatureEntry));
    if (!signatureEntry) {
        if (requireSignature)
            return unauthorized(QStringLiteral("%1 is not signed (no %2), and a signature is required")
                                    .arg(source, QString::fromLatin1(kSignatureEntry)));
        return result;
    }
    const QJsonDocument sigDoc = QJsonDocument::fromJson(*signatureEntry, &error);
    if (!sigDoc.isObject() || sigDoc.object().value(QStringLiteral("format")).toInt(-1) != 1)
        return corrupt(QStringLiteral("%1: %2 is not a format-1 signature").arg(source, QString::fromLatin1(kSignatureEntry)));
    const QJsonObject sig = sigDoc.object();
    auto key = PublicKey::parse(sig.value(QStringLiteral("public_key")).toString().toLatin1(),
                                QStringLiteral("%1: %2").arg(source, QString::fromLatin1(kSignatureEntry)));
    if (!key)
        return corrupt(key.error());
    const auto signature = QByteArray::fromBase64Encoding(sig.value(QStringLiteral("signature")).toString().toLatin1(),
                                                          QByteArray::AbortOnBase64DecodingErrors);
    if (!signature || !key->verify(*list, signature.decoded))
        return corrupt(QStringLiteral("%1: the signature in %2 does not match %3 (key %4): the package was changed after signing")
                           .arg(source, QString::fromLatin1(kSignatureEntry), QString::fromLatin1(kHashesEntry), key->id()));
    if (!trusted.contains(*key))
        return unauthorized(QStringLiteral("%1 is signed by key %2 (%3), which is not trusted here (mlwb key trust FILE.pub)")
                                .arg(source, key->id(), key->comment()));
    result.isSigned = true;
    result.keyId = key->id();
    result.signer = key->comment();
    return result;
}

} // namespace mlwb
