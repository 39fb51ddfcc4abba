// SPDX-License-Identifier: MIT
#pragma once

// PackageRepository: a project's sealed packages (.mlwbpkg, kept whole) and the recorded
// overrides of their failed gates. A package is named NAME VERSION once per project; listings
// order versions by number (1.9.0 before 1.10.0).

#include "common/result.h"
#include "store/records.h"

#include <QList>

#include <optional>

namespace mlwb {

class Database;

class PackageRepository {
public:
    explicit PackageRepository(Database &db) : m_db(db) {}

    // Stores a package in state record.state (normally Built), created now unless
    // record.createdAt says when. The archive's SHA-256 is computed here; a record.archiveSha256
    // that differs from it is refused. Hash and key id are stored in lowercase. A name and
    // version already in the project is a Conflict.
    Result<qint64> add(const PackageRecord &record);
    // With the archive and the overrides.
    Result<PackageRecord> get(qint64 id);
    Result<PackageRecord> find(const QString &name, const QString &version);
    // Every package, or those of one model, by name and then version; without the archives
    // (archiveBytes holds their sizes).
    Result<QList<PackageRecord>> list(qint64 modelId = 0);
    // The check report, sealed into the archive: archive, hash, signer and state are replaced
    // together. state is Checked or GateFailed.
    Status saveChecks(qint64 id, const QByteArray &archive, const QString &archiveSha256,
                      const QString &keyId, const QJsonObject &checks, PackageState state);
    // The package sealed (and signed, or not) anew with the same content: archive, hash and
    // signer are replaced together; state and report stay.
    Status saveSeal(qint64 id, const QByteArray &archive, const QString &keyId);
    // A model's stored check configuration (CheckConfig's JSON), or nothing when it has none.
    Result<std::optional<QJsonObject>> checkConfig(qint64 modelId);
    // Stores it; an empty object removes it (the checks then use the task's defaults).
    Status setCheckConfig(qint64 modelId, const QJsonObject &config);
    // Records who let a package whose gate failed through, and why (the reason is required).
    Result<qint64> addOverride(qint64 packageId, const QString &reason, const QString &author);
    Result<QList<PackageOverrideRecord>> overrides(qint64 packageId); // oldest first
    Status remove(qint64 id);
    // The highest version of `name` below `version` (what a regression check compares with),
    // without its archive; nullopt when there is none.
    Result<std::optional<PackageRecord>> previousVersion(const QString &name,
                                                         const QString &version);

private:
    Database &m_db;
};

} // namespace mlwb
