// SPDX-License-Identifier: MIT
#include "package/signing_key.h"

#include <QFile>
#include <QFileInfo>

#include <sodium.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mlwb {

namespace {

constexpr QByteArrayView kHeader = "mlwb-ed25519-secret ";

unsigned char *bytes(QByteArray &b) { return reinterpret_cast<unsigned char *>(b.data()); }

Status sodiumReady()
{
    if (sodium_init() < 0)
        return fail(QStringLiteral("libsodium could not start (sodium_init failed)"));
    return {};
}

} // namespace

SigningKey::~SigningKey()
{
    if (!m_seed.isEmpty())
        sodium_memzero(m_seed.data(), size_t(m_seed.size()));
    if (!m_secret.isEmpty())
        sodium_memzero(m_secret.data(), size_t(m_secret.size()));
}

Result<SigningKey> SigningKey::fromSeed(const QByteArray &seed, const QString &comment)
{
    if (auto ready = sodiumReady(); !ready)
        return ready.failure();
    QByteArray pk(crypto_sign_PUBLICKEYBYTES, Qt::Uninitialized);
    QByteArray sk(crypto_sign_SECRETKEYBYTES, Qt::Uninitialized);
    crypto_sign_seed_keypair(bytes(pk), bytes(sk), reinterpret_cast<const unsigned char *>(seed.constData()));
    auto pub = PublicKey::fromBytes(pk, comment);
    if (!pub)
        return pub.failure();
    SigningKey key;
    key.m_seed = seed;
    key.m_secret = sk;
    key.m_public = *pub;
    return key;
}

Result<SigningKey> SigningKey::generate(const QString &comment)
{
    if (auto ready = sodiumReady(); !ready)
        return ready.failure();
    QByteArray seed(crypto_sign_SEEDBYTES, Qt::Uninitialized);
    randombytes_buf(seed.data(), size_t(seed.size()));
    return fromSeed(seed, comment);
}

Result<SigningKey> SigningKey::load(const QString &path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return ioError(QStringLiteral("cannot read the signing key %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        return fail(QStringLiteral("the signing key %1 can be read by others (mode %2); refusing to use it: "
                                   "chmod 600 it, or delete it to make a new key")
                        .arg(path)
                        .arg(QString::number(st.st_mode & 0777, 8)),
                    ErrorKind::Unauthorized);
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return ioError(QStringLiteral("cannot read the signing key %1: %2").arg(path, f.errorString()));
    const QByteArray text = f.read(4096).trimmed();
    if (!text.startsWith(kHeader.toByteArray()))
        return corrupt(QStringLiteral("%1 is not an mlwb signing key (expected a line starting \"%2\")")
                           .arg(path, QString::fromLatin1(kHeader.trimmed())));
    const QList<QByteArray> words = text.mid(kHeader.size()).split(' ');
    const auto decoded = QByteArray::fromBase64Encoding(words.value(0), QByteArray::AbortOnBase64DecodingErrors);
    QByteArray seed = decoded.decoded;
    if (!decoded || seed.size() != crypto_sign_SEEDBYTES)
        return corrupt(QStringLiteral("the signing key %1 is damaged (its seed is not %2 bytes of base64)")
                           .arg(path)
                           .arg(crypto_sign_SEEDBYTES));
    QStringList comment;
    for (qsizetype i = 1; i < words.size(); ++i)
        comment << QString::fromUtf8(words[i]);
    return fromSeed(seed, comment.join(u' '));
}

Status SigningKey::save(const QString &path) const
{
    // O_EXCL with mode 0600: the file is never readable by others, not even for a moment, and an
    // existing key is never overwritten.
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return ioError(QStringLiteral("cannot create the signing key %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    QByteArray text = kHeader.toByteArray() + m_seed.toBase64();
    if (!m_public.comment().isEmpty())
        text += ' ' + m_public.comment().toUtf8();
    text += '\n';
    qsizetype written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.constData() + written, size_t(text.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const QString reason = QString::fromLocal8Bit(std::strerror(errno));
            ::close(fd);
            ::unlink(QFile::encodeName(path).constData());
            sodium_memzero(text.data(), size_t(text.size()));
            return ioError(QStringLiteral("cannot write the signing key %1: %2").arg(path, reason));
        }
        written += n;
    }
    sodium_memzero(text.data(), size_t(text.size()));
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const QString reason = QString::fromLocal8Bit(std::strerror(errno));
        ::unlink(QFile::encodeName(path).constData());
        return ioError(QStringLiteral("cannot write the signing key %1: %2").arg(path, reason));
    }
    return {};
}

QByteArray SigningKey::sign(const QByteArray &message) const
{
    QByteArray signature(crypto_sign_BYTES, Qt::Uninitialized);
    crypto_sign_detached(bytes(signature), nullptr,
                         reinterpret_cast<const unsigned char *>(message.constData()), size_t(message.size()),
                         reinterpret_cast<const unsigned char *>(m_secret.constData()));
    return signature;
}

} // namespace mlwb
