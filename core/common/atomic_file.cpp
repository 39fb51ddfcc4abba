// SPDX-License-Identifier: MIT
#include "common/atomic_file.h"

#include <QSaveFile>

#include <unistd.h>

namespace mlwb {

Status AtomicFile::write(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return ioError(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    if (file.write(bytes) != bytes.size())
        return ioError(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    // The data on disk before the rename: otherwise a crash can leave an empty file in its place.
    if (!file.flush() || ::fsync(file.handle()) != 0)
        return ioError(QStringLiteral("cannot sync %1: %2").arg(path, file.errorString()));
    if (!file.commit())
        return ioError(QStringLiteral("cannot replace %1: %2").arg(path, file.errorString()));
    return {};
}

} // namespace mlwb
