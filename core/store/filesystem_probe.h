// SPDX-License-Identifier: MIT
#pragma once

// FilesystemProbe: tells whether a path lives on a network file system, where SQLite's WAL mode
// is unsafe (it needs shared memory between all readers) and only one writer may hold the file.

#include <QString>

namespace mlwb {

class FilesystemProbe {
public:
    struct Info {
        bool network = false;
        QString kind; // "nfs", "cifs", "local", ...
    };
    // Looks at the directory holding path (the file may not exist yet).
    // MLWB_ASSUME_NETWORK_FS=1 forces the network answer, for tests.
    static Info probe(const QString &path);
};

} // namespace mlwb
