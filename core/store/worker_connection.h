// SPDX-License-Identifier: MIT
#pragma once

// WorkerConnection: the one way a job, a background reader or a writer thread opens its own
// connection to the project file (a connection belongs to one thread; the GUI thread's is the
// Project's). Writers get foreign keys and synchronous = NORMAL as ProjectFile sets them;
// readers of a file with an older schema get the same read-only views ProjectFile installs, so
// every connection sees the current schema.

#include "common/result.h"
#include "store/database.h"

namespace mlwb {

class WorkerConnection {
public:
    enum class Access { Read, Write };
    static Result<Database> open(const QString &projectPath, Access access);
};

} // namespace mlwb
