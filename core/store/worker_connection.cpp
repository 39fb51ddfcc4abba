// SPDX-License-Identifier: MIT
#include "store/worker_connection.h"

#include "store/schema.h"

namespace mlwb {

Result<Database> WorkerConnection::open(const QString &projectPath, Access access)
{
    auto db = Database::open(projectPath, access == Access::Write ? Database::Mode::ReadWrite
                                                                  : Database::Mode::ReadOnly);
    if (!db)
        return db.failure();
    if (auto s = db->exec(QStringLiteral("PRAGMA foreign_keys = ON")); !s)
        return s.failure();
    if (access == Access::Write) {
        if (auto s = db->exec(QStringLiteral("PRAGMA synchronous = NORMAL")); !s)
            return s.failure();
        return db;
    }
    auto version = db->queryInt(QStringLiteral("PRAGMA user_version"));
    if (!version)
        return version.failure();
    if (*version > 0 && *version < Schema::currentVersion()) {
        if (auto s = Schema::readAsCurrent(*db, int(*version)); !s)
            return s.failure();
    }
    return db;
}

} // namespace mlwb
