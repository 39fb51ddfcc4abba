// SPDX-License-Identifier: MIT
#pragma once

// PackageSeal: what makes a package tamper-evident. Sealing adds two entries:
//   hashes.json     {"format": 1, "algorithm": "sha256", "entries": {NAME: HEX, ...}}: the SHA-256
//                   of every other entry, names sorted;
//   signature.json  {"format": 1, "key_id": ID, "public_key": TEXT, "signature": BASE64}: the
//                   Ed25519 signature of hashes.json's exact bytes.
// Verifying checks every entry against hashes.json (a changed byte, a missing entry, an entry
// hashes.json does not list), then the signature, then that the key is trusted; each refusal
// names the entry or the key.

#include "common/result.h"
#include "package/package_archive.h"
#include "package/public_key.h"

#include <QList>
#include <vector>

namespace mlwb {

class SigningKey;

class PackageSeal {
public:
    static constexpr const char *kHashesEntry = "hashes.json";
    static constexpr const char *kSignatureEntry = "signature.json";

    struct Verified {
        bool isSigned = false;
        QString keyId;   // of the signing key, when signed
        QString signer;  // its comment (user@host)
    };

    // The lowercase hex SHA-256 of `data`, as hashes.json lists it.
    static QString sha256Hex(const QByteArray &data);
    // hashes.json for `entries` (which must not hold the seal's own entries).
    static QByteArray hashes(const std::vector<PackageArchive::Entry> &entries);
    // `entries` with hashes.json and, given a key, signature.json after them.
    static Result<std::vector<PackageArchive::Entry>> seal(std::vector<PackageArchive::Entry> entries,
                                                           const SigningKey *key);
    // Checks an archive read by PackageArchive::read. Without requireSignature an unsigned
    // package passes (isSigned false); a signature that is present is always checked.
    static Result<Verified> verify(const PackageArchive &archive, const QList<PublicKey> &trusted,
                                   bool requireSignature, const QString &source);
};

} // namespace mlwb
