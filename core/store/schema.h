// SPDX-License-Identifier: MIT
#pragma once

// Schema: the project file's tables and the numbered migrations that bring an older file to
// the current version. application_id marks our files; user_version is the schema version.

#include "common/result.h"

namespace mlwb {

class Database;

class Schema {
public:
    static constexpr qint32 kApplicationId = 0x4D4C5742; // "MLWB"
    static int currentVersion();

    // Creates every table of the current version in an empty database.
    static Status create(Database &db);
    // Applies migrations fromVersion+1 .. currentVersion() in one transaction.
    static Status migrate(Database &db, int fromVersion);
};

} // namespace mlwb
