// SPDX-License-Identifier: MIT
#include "package/public_key.h"

#include <QCryptographicHash>
#include <QStringList>

#include <sodium.h>

namespace mlwb {

namespace {
constexpr QByteArrayView kTag = "mlwb-ed25519";
}

Result<PublicKey> PublicKey::fromBytes(const QByteArray &bytes, const QString &comment)
{
    if (bytes.size() != kBytes)
        return invalidInput(QStringLiteral("an Ed25519 public key has %1 bytes, not %2").arg(kBytes).arg(bytes.size()));
    PublicKey key;
    key.m_bytes = bytes;
    key.m_comment = comment.simplified();
    return key;
}

Result<PublicKey> PublicKey::parse(const QByteArray &text, const QString &source)
{
    const QByteArray line = text.trimmed();
    if (line.contains('\n'))
        return invalidInput(QStringLiteral("%1: expected one line \"%2 KEY COMMENT\", found several lines")
                                .arg(source, QString::fromLatin1(kTag)));
    const QList<QByteArray> words = line.simplified().split(' ');
    if (words.size() < 2 || words[0] != kTag)
        return invalidInput(QStringLiteral("%1: not an mlwb public key (expected a line starting \"%2 \")")
                                .arg(source, QString::fromLatin1(kTag)));
    const auto decoded = QByteArray::fromBase64Encoding(words[1], QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return invalidInput(QStringLiteral("%1: the key is not base64").arg(source));
    QStringList comment;
    for (qsizetype i = 2; i < words.size(); ++i)
        comment << QString::fromUtf8(words[i]);
    auto key = fromBytes(decoded.decoded, comment.join(u' '));
    if (!key)
        return key.failure().reworded(QStringLiteral("%1: %2").arg(source, key.error()));
    return key;
}

QString PublicKey::id() const
{
    return QString::fromLatin1(QCryptographicHash::hash(m_bytes, QCryptographicHash::Sha256).toHex().left(16));
}

QByteArray PublicKey::toText() const
{
    QByteArray text = kTag.toByteArray() + ' ' + m_bytes.toBase64();
    if (!m_comment.isEmpty())
        text += ' ' + m_comment.toUtf8();
    return text + '\n';
}

bool PublicKey::verify(const QByteArray &message, const QByteArray &signature) const
{
    if (signature.size() != kSignatureBytes || m_bytes.size() != kBytes || sodium_init() < 0)
        return false;
    return crypto_sign_verify_detached(reinterpret_cast<const unsigned char *>(signature.constData()),
                                       reinterpret_cast<const unsigned char *>(message.constData()),
                                       size_t(message.size()),
                                       reinterpret_cast<const unsigned char *>(m_bytes.constData())) == 0;
}

} // namespace mlwb
