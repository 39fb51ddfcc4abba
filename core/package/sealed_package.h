// SPDX-License-Identifier: MIT
#pragma once

// SealedPackage: a package file read and verified, everything checked before anything is loaded:
// the zip container (PackageArchive: truncation, escaping and absolute names, duplicates, zip
// bombs), every entry against hashes.json and the signature against the trusted keys
// (PackageSeal), the entries a package must hold, and the manifest (PackageManifest: its format
// and every field). Only then may model.pt reach libtorch.
//
// A package holds:
//   manifest.json       PackageManifest
//   model.pt            the TorchScript archive with its preprocessing (LoadedModel)
//   baseline.json       the training split's distributions, binned (drift monitoring)
//   input_example.json  an Open Inference Protocol v2 request
//   checks.json         the pre-deployment check report ({"status": "not_run"} until checked)
//   hashes.json, signature.json   the seal (PackageSeal)

#include "common/result.h"
#include "package/package_archive.h"
#include "package/package_manifest.h"
#include "package/package_seal.h"

#include <QJsonObject>
#include <QList>

namespace mlwb {

class SigningKey;

class SealedPackage {
public:
    static constexpr const char *kModelEntry = "model.pt";
    static constexpr const char *kBaselineEntry = "baseline.json";
    static constexpr const char *kInputExampleEntry = "input_example.json";
    static constexpr const char *kChecksEntry = "checks.json";
    // Every entry a package holds before it is sealed, in archive order.
    static QStringList contentEntries();

    // `source` names the package in messages. Without requireSignature an unsigned package is
    // read (seal().isSigned is false); a signature that is there is always checked.
    static Result<SealedPackage> open(const QByteArray &bytes, const QString &source,
                                      const QList<PublicKey> &trusted, bool requireSignature,
                                      const PackageArchive::Limits &limits = {});

    const PackageArchive &archive() const { return m_archive; }
    const PackageManifest &manifest() const { return m_manifest; }
    const PackageSeal::Verified &seal() const { return m_seal; }
    QByteArray entry(const QString &name) const;
    const QJsonObject &checks() const { return m_checks; }
    const QJsonObject &baseline() const { return m_baseline; }
    const QJsonObject &inputExample() const { return m_inputExample; }

    // The package again with one content entry replaced (checks.json after the checks ran),
    // sealed anew and, given a key, signed by it; with an empty name only sealed and signed
    // anew (Sign).
    Result<QByteArray> resealed(const SigningKey *key, const QString &name = {}, const QByteArray &data = {}) const;

private:
    PackageArchive m_archive;
    PackageManifest m_manifest;
    PackageSeal::Verified m_seal;
    QJsonObject m_checks;
    QJsonObject m_baseline;
    QJsonObject m_inputExample;
};

} // namespace mlwb
