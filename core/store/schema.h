// SPDX-License-Identifier: MIT
#pragma once

// Schema: the project file's tables and the numbered migrations that bring an older file to
// the current version. application_id marks our files; user_version is the schema version.

#include "common/result.h"

#include <QString>

namespace mlwb {

class Database;

class Schema {
public:
    static constexpr qint32 kApplicationId = 0x4D4C5742; // "MLWB"
    static int currentVersion();

    // "schema 1, upgraded to 4 when opened for writing"; empty for the current version.
    static QString upgradeNote(int fileVersion);

    // Creates every table of `version` (the current one unless a test builds an older file)
    // in an empty database.
    static Status create(Database &db, int version = currentVersion());
    // Applies migrations fromVersion+1 .. currentVersion() in one transaction.
    static Status migrate(Database &db, int fromVersion);
    // For a read-only connection to a file of fileVersion: makes it read like the current
    // version through TEMP views, without writing to the file. Replaces the views of an
    // earlier call (the file was upgraded meanwhile); none are left for the current version.
    static Status readAsCurrent(Database &db, int fileVersion);
};

} // namespace mlwb
