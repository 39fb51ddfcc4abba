// SPDX-License-Identifier: MIT
#pragma once

// SigningKey: a user's Ed25519 key pair, which signs packages. The secret half is a 32-byte
// seed kept as base64 in a file only its owner may read (mode 0600): a key file that others can
// read, or that is damaged, is refused with the reason rather than used.

#include "common/result.h"
#include "package/public_key.h"

#include <QByteArray>
#include <QString>

namespace mlwb {

class SigningKey {
public:
    // A new random key pair; `comment` (usually user@host) travels with the public key.
    static Result<SigningKey> generate(const QString &comment);
    // Reads the key file written by save().
    static Result<SigningKey> load(const QString &path);
    // Writes the key file with mode 0600; refuses to replace an existing file.
    Status save(const QString &path) const;

    const PublicKey &publicKey() const { return m_public; }
    // The detached signature (PublicKey::kSignatureBytes bytes) of `message`.
    QByteArray sign(const QByteArray &message) const;

    SigningKey(const SigningKey &) = default;
    SigningKey &operator=(const SigningKey &) = default;
    ~SigningKey(); // wipes the secret from memory

private:
    SigningKey() = default;
    static Result<SigningKey> fromSeed(const QByteArray &seed, const QString &comment);
    QByteArray m_seed;   // 32 bytes
    QByteArray m_secret; // 64 bytes, libsodium's expanded form
    PublicKey m_public;
};

} // namespace mlwb
