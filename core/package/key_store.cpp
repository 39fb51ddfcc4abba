// SPDX-License-Identifier: MIT
#include "package/key_store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSysInfo>

#include <cstdlib>

namespace mlwb {

KeyStore::KeyStore(QString directory) : m_dir(std::move(directory)) {}

QString KeyStore::defaultDirectory()
{
    if (const QByteArray dir = qgetenv("MLWB_CONFIG_DIR"); !dir.isEmpty())
        return QFile::decodeName(dir) + QStringLiteral("/keys");
    if (const QByteArray xdg = qgetenv("XDG_CONFIG_HOME"); !xdg.isEmpty())
        return QFile::decodeName(xdg) + QStringLiteral("/mlwb/keys");
    return QDir::homePath() + QStringLiteral("/.config/mlwb/keys");
}

QString KeyStore::signingKeyPath() const { return m_dir + QStringLiteral("/signing_key"); }
QString KeyStore::trustedDirectory() const { return m_dir + QStringLiteral("/trusted"); }

bool KeyStore::hasSigningKey() const { return QFileInfo::exists(signingKeyPath()); }

QString KeyStore::userAtHost()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("LOGNAME", QStringLiteral("user"));
    return QStringLiteral("%1@%2").arg(user, QSysInfo::machineHostName());
}

Result<SigningKey> KeyStore::signingKey() const
{
    if (hasSigningKey())
        return SigningKey::load(signingKeyPath());
    if (!QDir().mkpath(m_dir))
        return ioError(QStringLiteral("cannot create the key folder %1").arg(m_dir));
    QFile::setPermissions(m_dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    auto key = SigningKey::generate(userAtHost());
    if (!key)
        return key;
    if (auto saved = key->save(signingKeyPath()); !saved) {
        // Another process made one in the meantime: use that one.
        if (hasSigningKey())
            return SigningKey::load(signingKeyPath());
        return saved.failure();
    }
    return key;
}

Result<PublicKey> KeyStore::trust(const QByteArray &publicKeyText, const QString &source) const
{
    auto key = PublicKey::parse(publicKeyText, source);
    if (!key)
        return key;
    if (!QDir().mkpath(trustedDirectory()))
        return ioError(QStringLiteral("cannot create the folder %1").arg(trustedDirectory()));
    QSaveFile f(trustedDirectory() + QStringLiteral("/%1.pub").arg(key->id()));
    if (!f.open(QIODevice::WriteOnly))
        return ioError(QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
    const QByteArray text = key->toText();
    if (f.write(text) != text.size() || !f.commit())
        return ioError(QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
    return key;
}

Result<QList<PublicKey>> KeyStore::readKeyDirectory(const QString &directory)
{
    QList<PublicKey> keys;
    const QDir dir(directory);
    if (!dir.exists())
        return keys;
    const QStringList names = dir.entryList({QStringLiteral("*.pub")}, QDir::Files, QDir::Name);
    for (const QString &name : names) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly))
            return ioError(QStringLiteral("cannot read the trusted key %1: %2").arg(f.fileName(), f.errorString()));
        auto key = PublicKey::parse(f.read(64 * 1024), f.fileName());
        if (!key)
            return key.failure();
        if (!keys.contains(*key))
            keys << *key;
    }
    return keys;
}

Result<QList<PublicKey>> KeyStore::trustedKeys() const
{
    QList<PublicKey> keys;
    if (hasSigningKey()) {
        auto own = SigningKey::load(signingKeyPath());
        if (!own)
            return own.failure();
        keys << own->publicKey();
    }
    auto others = readKeyDirectory(trustedDirectory());
    if (!others)
        return others;
    for (const PublicKey &k : *others) {
        if (!keys.contains(k))
            keys << k;
    }
    return keys;
}

} // namespace mlwb
