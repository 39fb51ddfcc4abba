// SPDX-License-Identifier: MIT
#pragma once

// PackageCatalog: what the workbench and `mlwb package` do with the packages of a project, over
// PackageRepository: create one from a finished run (built, sealed, signed with the user's key
// and stored), sign one anew, record an override of a failed gate, write one to a file, and
// read one back verified. The checks are PackageCheckJob's (core/checks).

#include "common/result.h"
#include "package/package_builder.h"
#include "package/sealed_package.h"
#include "store/records.h"

namespace mlwb {

class Database;
class JobFeedback;

class PackageCatalog {
public:
    explicit PackageCatalog(Database &db) : m_db(db) {}

    // Builds and stores the package; signed with the user's key unless `sign` is false.
    Result<qint64> create(const PackageBuilder::Request &request, bool sign, JobFeedback *feedback = nullptr);
    // The stored package, verified against the trusted keys (an unsigned one reads; a signature
    // that is there must hold).
    Result<SealedPackage> open(qint64 packageId);
    // Seals and signs the stored package anew with the user's key.
    Status sign(qint64 packageId);
    // Records why a package whose gate failed may ship anyway, by KeyStore::userAtHost().
    Result<qint64> addOverride(qint64 packageId, const QString &reason);
    // Writes the stored package file (atomically).
    Status exportTo(qint64 packageId, const QString &path);
    // The version after the newest package of this name: 1.0.0 for the first, else MINOR + 1.
    Result<QString> nextVersion(const QString &name);

private:
    Database &m_db;
};

} // namespace mlwb
