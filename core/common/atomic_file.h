// SPDX-License-Identifier: MIT
#pragma once

// AtomicFile: writes a whole file or nothing. The bytes go to a temporary file beside the target,
// are synced, and only then renamed over it, so a full disk, a crash or an unwritable folder
// never leaves a half-written report (or state file) where a reader expects a whole one.

#include "common/result.h"

#include <QByteArray>
#include <QString>

namespace mlwb {

class AtomicFile {
public:
    // Io errors name the path and what the system said.
    static Status write(const QString &path, const QByteArray &bytes);
};

} // namespace mlwb
