// SPDX-License-Identifier: MIT
#include "deploy/token_store.h"

#include "common/logging.h"
#include "deploy/keychain.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QMutexLocker>
#include <QRegularExpression>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mlwb {

namespace {

QString systemError() { return QString::fromLocal8Bit(std::strerror(errno)); }

// Which keychains were said to be unusable already: once per keychain (the default one lives for
// the whole process), so a CLI run or a session says it once, not at every token.
QMutex saidMutex;
std::vector<std::weak_ptr<const SecretStore>> said;

bool firstTimeSaid(const std::shared_ptr<const SecretStore> &keychain)
{
    QMutexLocker lock(&saidMutex);
    std::erase_if(said, [](const auto &w) { return w.expired(); });
    for (const auto &w : said)
        if (w.lock() == keychain)
            return false;
    said.push_back(keychain);
    return true;
}

} // namespace

TokenStore::TokenStore(QString directory, std::shared_ptr<const SecretStore> keychain, bool required)
    : m_dir(std::move(directory)), m_keychain(std::move(keychain)), m_required(required)
{
}

std::shared_ptr<const SecretStore> TokenStore::defaultKeychain()
{
    if (qgetenv("MLWB_KEYCHAIN").trimmed().toLower() == "off")
        return nullptr;
    static const auto keychain = std::make_shared<const Keychain>();
    return keychain;
}

bool TokenStore::keychainRequired() { return qgetenv("MLWB_KEYCHAIN").trimmed().toLower() == "on"; }

Result<const SecretStore *> TokenStore::keychain() const
{
    if (!m_keychain) {
        if (m_required)
            return unauthorized(QStringLiteral("a keychain is required (MLWB_KEYCHAIN=on) but none is configured"));
        return static_cast<const SecretStore *>(nullptr);
    }
    const QString why = m_keychain->unavailable();
    if (why.isEmpty())
        return m_keychain.get();
    if (m_required)
        return unauthorized(QStringLiteral("%1 is required (MLWB_KEYCHAIN=on) but cannot be used: %2").arg(m_keychain->name(), why));
    if (firstTimeSaid(m_keychain))
        qCWarning(lcDeploy).noquote() << QStringLiteral("%1 cannot be used (%2): targets' tokens are kept in 0600 files in %3 "
                                                        "(MLWB_KEYCHAIN=off stops asking for a keychain)")
                                             .arg(m_keychain->name(), why, m_dir);
    return static_cast<const SecretStore *>(nullptr);
}

QString TokenStore::location(const QString &target) const
{
    auto k = keychain();
    if (k.ok() && *k)
        return QStringLiteral("%1, entry %2").arg((*k)->name(), target);
    return tokenPath(target);
}

QString TokenStore::defaultDirectory()
{
    if (const QByteArray dir = qgetenv("MLWB_CONFIG_DIR"); !dir.isEmpty())
        return QFile::decodeName(dir) + QStringLiteral("/tokens");
    if (const QByteArray xdg = qgetenv("XDG_CONFIG_HOME"); !xdg.isEmpty())
        return QFile::decodeName(xdg) + QStringLiteral("/mlwb/tokens");
    return QDir::homePath() + QStringLiteral("/.config/mlwb/tokens");
}

Status TokenStore::checkTargetName(const QString &name)
{
    static const QRegularExpression fileName(QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$"));
    if (!fileName.match(name).hasMatch())
        return invalidInput(QStringLiteral("\"%1\" cannot name a target: use letters, digits, '.', '_' and '-' "
                                           "(not first), at most 100")
                                .arg(name));
    return {};
}

QString TokenStore::tokenPath(const QString &target) const
{
    return m_dir + QLatin1Char('/') + target + QStringLiteral(".token");
}

Status TokenStore::save(const QString &target, const QByteArray &token) const
{
    if (auto s = checkTargetName(target); !s)
        return s;
    const QByteArray text = token.trimmed();
    if (text.isEmpty())
        return invalidInput(QStringLiteral("the token of target %1 is empty").arg(target));
    auto k = keychain();
    if (!k)
        return k.failure();
    if (const SecretStore *store = *k) {
        if (auto s = store->write(target, text); !s)
            return s.failure().reworded(QStringLiteral("cannot store the token of target %1: %2 (MLWB_KEYCHAIN=off keeps "
                                                       "tokens in 0600 files instead)")
                                            .arg(target, s.error()));
        // A file left from before would outlive the token it no longer is.
        const QString path = tokenPath(target);
        if (QFileInfo::exists(path) && !QFile::remove(path))
            return ioError(QStringLiteral("the token of target %1 is in %2, but its old file %3 cannot be removed")
                               .arg(target, store->name(), path));
        return {};
    }
    return saveFile(target, text);
}

Status TokenStore::saveFile(const QString &target, const QByteArray &text) const
{
    if (!QDir().mkpath(m_dir))
        return ioError(QStringLiteral("cannot create the token folder %1").arg(m_dir));
    if (::chmod(QFile::encodeName(m_dir).constData(), 0700) != 0)
        return ioError(QStringLiteral("cannot make the token folder %1 private (mode 0700): %2").arg(m_dir, systemError()));
    // Written beside its final name with mode 0600 from its creation (never readable by others,
    // not even for a moment), then renamed over it.
    const QString path = tokenPath(target);
    const QByteArray temp = QFile::encodeName(path + QStringLiteral(".%1.tmp").arg(::getpid()));
    const int fd = ::open(temp.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return ioError(QStringLiteral("cannot write %1: %2").arg(QFile::decodeName(temp), systemError()));
    const QByteArray content = text + '\n';
    const bool written = ::fchmod(fd, 0600) == 0 && ::write(fd, content.constData(), size_t(content.size())) == content.size() &&
                         ::fsync(fd) == 0;
    const QString why = systemError();
    if (::close(fd) != 0 || !written) {
        ::unlink(temp.constData());
        return ioError(QStringLiteral("cannot write %1: %2").arg(QFile::decodeName(temp), why));
    }
    if (::rename(temp.constData(), QFile::encodeName(path).constData()) != 0) {
        const QString renameError = systemError();
        ::unlink(temp.constData());
        return ioError(QStringLiteral("cannot store the token of target %1 in %2: %3").arg(target, path, renameError));
    }
    return {};
}

Result<QByteArray> TokenStore::token(const QString &target) const
{
    if (auto s = checkTargetName(target); !s)
        return s.failure();
    auto k = keychain();
    if (!k)
        return k.failure();
    if (const SecretStore *store = *k) {
        auto secret = store->read(target);
        if (secret.ok() && !secret->trimmed().isEmpty())
            return secret->trimmed();
        if (secret.ok())
            return invalidInput(QStringLiteral("the token of target %1 in %2 is empty").arg(target, store->name()));
        if (secret.kind() != ErrorKind::NotFound)
            return secret.failure();
    }
    return fileToken(target);
}

Result<QByteArray> TokenStore::fileToken(const QString &target) const
{
    const QString path = tokenPath(target);
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0) {
        if (errno == ENOENT)
            return notFound(QStringLiteral("no token for target %1 (expected in %2; give one with mlwb target add "
                                           "FILE --name %1 --url URL --token-file F)")
                                .arg(target, path));
        return ioError(QStringLiteral("cannot read %1: %2").arg(path, systemError()));
    }
    if ((st.st_mode & 077) != 0)
        return unauthorized(QStringLiteral("refusing the token of target %1: %2 is mode %3, open to other users; "
                                           "make it private with chmod 600 %2")
                                .arg(target, path)
                                .arg(QString::number(st.st_mode & 0777, 8).rightJustified(4, QLatin1Char('0'))));
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return ioError(QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    const QByteArray text = f.readAll().trimmed();
    if (text.isEmpty())
        return invalidInput(QStringLiteral("the token file %1 of target %2 is empty").arg(path, target));
    return text;
}

bool TokenStore::has(const QString &target) const
{
    if (!checkTargetName(target).ok())
        return false;
    if (QFileInfo::exists(tokenPath(target)))
        return true;
    auto k = keychain();
    return k.ok() && *k && (*k)->read(target).ok();
}

Status TokenStore::remove(const QString &target) const
{
    if (auto s = checkTargetName(target); !s)
        return s;
    bool removed = false;
    auto k = keychain();
    if (!k)
        return k.failure();
    if (const SecretStore *store = *k) {
        auto s = store->remove(target);
        if (!s && s.kind() != ErrorKind::NotFound)
            return s.failure().reworded(QStringLiteral("cannot remove the token of target %1: %2").arg(target, s.error()));
        removed = s.ok();
    }
    const QString path = tokenPath(target);
    if (QFileInfo::exists(path)) {
        if (!QFile::remove(path))
            return ioError(QStringLiteral("cannot remove %1").arg(path));
        removed = true;
    }
    if (!removed)
        return notFound(QStringLiteral("no token for target %1 (neither in %2 nor in %3)")
                            .arg(target, m_keychain ? m_keychain->name() : QStringLiteral("a keychain"), m_dir));
    return {};
}

Result<QByteArray> TokenStore::readTokenFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return ioError(QStringLiteral("cannot read the token file %1: %2").arg(path, f.errorString()));
    const QByteArray content = f.read(64 * 1024);
    const QByteArray token = content.split('\n').value(0).trimmed();
    if (token.isEmpty())
        return invalidInput(QStringLiteral("the token file %1 is empty (it holds the agent's token on its first line)").arg(path));
    if (token.contains(' ') || token.contains('\t'))
        return invalidInput(QStringLiteral("the token file %1 holds more than one word on its first line: a token is one word").arg(path));
    return token;
}

} // namespace mlwb
