// SPDX-License-Identifier: MIT
// mlwb package: sealed model packages (.mlwbpkg). So far `package verify`, which checks a
// package file on its own: the zip container, every entry against hashes.json, the signature
// and that its key is trusted (core/package). Exit 1 when anything is off.

#include "cli_context.h"

#include "package/key_store.h"
#include "package/package_archive.h"
#include "package/package_seal.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

namespace mlwb::cli {

namespace {

int packageVerify(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected pkg.mlwbpkg"));
    const QString path = a.positional[0];
    const QString source = QFileInfo(path).fileName();
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return failure(ioError(QStringLiteral("cannot read %1: %2").arg(path, f.errorString())));
    const PackageArchive::Limits limits;
    if (f.size() > limits.maxTotalBytes)
        return failure(corrupt(QStringLiteral("%1 is %2 bytes; a package is at most %3").arg(source).arg(f.size()).arg(limits.maxTotalBytes)));
    const QByteArray bytes = f.readAll();
    if (bytes.size() != f.size())
        return failure(ioError(QStringLiteral("cannot read %1: %2").arg(path, f.errorString())));

    const bool json = a.has(QStringLiteral("json"));
    auto report = [&](const Error &error) {
        if (json)
            printJson({{QStringLiteral("file"), path}, {QStringLiteral("ok"), false},
                       {QStringLiteral("error"), error.message}, {QStringLiteral("kind"), QString::fromLatin1(errorKindName(error.kind))}});
        err() << "mlwb: " << error.message << Qt::endl;
        return int(Failure);
    };
    auto archive = PackageArchive::read(bytes, source, limits);
    if (!archive)
        return report(archive.failure());
    QList<PublicKey> trusted;
    if (const QString dir = a.value(QStringLiteral("trusted-keys")); !dir.isEmpty()) {
        auto keys = KeyStore::readKeyDirectory(dir);
        if (!keys)
            return report(keys.failure());
        trusted = *keys;
    } else {
        auto keys = KeyStore().trustedKeys();
        if (!keys)
            return report(keys.failure());
        trusted = *keys;
    }
    auto verified = PackageSeal::verify(*archive, trusted, !a.has(QStringLiteral("allow-unsigned")), source);
    if (!verified)
        return report(verified.failure());

    if (json) {
        QJsonArray entries;
        for (const auto &e : archive->entries())
            entries.append(QJsonObject{{QStringLiteral("name"), e.name}, {QStringLiteral("bytes"), qint64(e.data.size())},
                                       {QStringLiteral("sha256"), PackageSeal::sha256Hex(e.data)}});
        printJson({{QStringLiteral("file"), path}, {QStringLiteral("ok"), true},
                   {QStringLiteral("signed"), verified->isSigned}, {QStringLiteral("key_id"), verified->keyId},
                   {QStringLiteral("signer"), verified->signer}, {QStringLiteral("entries"), entries}});
        return Ok;
    }
    out() << source << ": every entry matches hashes.json; "
          << (verified->isSigned ? QStringLiteral("signed by %1 (%2), a trusted key").arg(verified->keyId, verified->signer)
                                 : QStringLiteral("not signed"))
          << "\n";
    for (const auto &e : archive->entries())
        out() << "  " << PackageSeal::sha256Hex(e.data).left(16) << "  " << qSetFieldWidth(10) << e.data.size() << qSetFieldWidth(0)
              << "  " << e.name << "\n";
    out().flush();
    return Ok;
}

} // namespace

QList<Verb> packageVerbs()
{
    Verb verify{QStringLiteral("package verify"),
                QStringLiteral("package verify pkg.mlwbpkg [--trusted-keys DIR] [--allow-unsigned] [--json]"),
                QStringLiteral("check a package file: its zip container, every entry against hashes.json, "
                               "its signature and that the key is trusted (yours and `key trust`ed ones, or "
                               "the .pub files of --trusted-keys DIR); exit 1 when anything is off"),
                {},
                {QStringLiteral("json"), QStringLiteral("allow-unsigned")},
                {}};
    verify.run = [verify](const Args &a) { return packageVerify(verify, a); };
    return {verify};
}

} // namespace mlwb::cli
