// SPDX-License-Identifier: MIT
#pragma once

// KeyStore: the keys of one user, in a folder of the user's config directory (never in a
// project file): the signing key, made on first use, and the public keys this user trusts, one
// .pub file each under trusted/. The user's own key is always trusted.
//
// defaultDirectory(): $MLWB_CONFIG_DIR/keys when that is set (tests, CI), else
// $XDG_CONFIG_HOME/mlwb/keys, else ~/.config/mlwb/keys.

#include "common/result.h"
#include "package/public_key.h"
#include "package/signing_key.h"

#include <QList>
#include <QString>

namespace mlwb {

class KeyStore {
public:
    explicit KeyStore(QString directory = defaultDirectory());
    static QString defaultDirectory();
    // Who is at work here, "user@host": a new key's comment, a package's author, who overrode a
    // gate.
    static QString userAtHost();

    const QString &directory() const { return m_dir; }
    QString signingKeyPath() const;
    QString trustedDirectory() const;

    // The user's signing key, made (and saved, mode 0600) when there is none yet.
    Result<SigningKey> signingKey() const;
    // Whether a signing key exists, without making one.
    bool hasSigningKey() const;

    // Adds a public key to the trusted ones (trusted/<id>.pub); trusting a key twice is fine.
    Result<PublicKey> trust(const QByteArray &publicKeyText, const QString &source) const;
    // The trusted keys, the user's own first (when it exists). A damaged .pub file is an error
    // naming it, not a key silently left out.
    Result<QList<PublicKey>> trustedKeys() const;
    // Reads every .pub file of a folder (an agent's --trusted-keys DIR).
    static Result<QList<PublicKey>> readKeyDirectory(const QString &directory);

private:
    QString m_dir;
};

} // namespace mlwb
