// SPDX-License-Identifier: MIT
#pragma once

// PublicKey: an Ed25519 public key that verifies package signatures. Its text form is one line,
//     mlwb-ed25519 <base64 of the 32 key bytes> <comment>
// (the form `mlwb key export` writes and an agent's --trusted-keys DIR reads, one key per .pub
// file). Its id is the first 16 hex digits of the SHA-256 of the key bytes.

#include "common/result.h"

#include <QByteArray>
#include <QString>

namespace mlwb {

class PublicKey {
public:
    static constexpr int kBytes = 32;
    static constexpr int kSignatureBytes = 64;

    // `bytes` must hold kBytes bytes.
    static Result<PublicKey> fromBytes(const QByteArray &bytes, const QString &comment = {});
    // Parses the text form; `source` names it in messages ("alice.pub").
    static Result<PublicKey> parse(const QByteArray &text, const QString &source);

    const QByteArray &bytes() const { return m_bytes; }
    const QString &comment() const { return m_comment; }
    QString id() const;
    QByteArray toText() const; // the text form, ending in a newline

    // Whether `signature` (kSignatureBytes bytes) is this key's signature of `message`.
    bool verify(const QByteArray &message, const QByteArray &signature) const;

    bool operator==(const PublicKey &other) const { return m_bytes == other.m_bytes; }

private:
    QByteArray m_bytes;
    QString m_comment;
};

} // namespace mlwb
