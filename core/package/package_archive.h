// SPDX-License-Identifier: MIT
#pragma once

// PackageArchive: the zip container of a package (.mlwbpkg), read and written with libzip. A
// package comes from outside (a colleague's share, an upload to an agent), so reading checks the
// container before any entry is used, and refuses with the entry's name:
//   - a truncated or damaged archive, or one whose central directory disagrees with its entries;
//   - names that are absolute, contain "..", a backslash or a NUL, or are empty;
//   - two entries with the same name;
//   - more entries than Limits::maxEntries, an entry above maxEntryBytes, all entries together
//     above maxTotalBytes, or one that inflates more than maxRatio times (a zip bomb). Sizes are
//     counted while inflating, never taken from the headers alone;
//   - an entry whose CRC does not match.
// What each entry means (manifest, hashes, signature) is the package reader's business.

#include "common/result.h"

#include <QByteArray>
#include <QString>

#include <utility>
#include <vector>

namespace mlwb {

class PackageArchive {
public:
    struct Limits {
        qint64 maxEntries = 64;
        qint64 maxEntryBytes = qint64(1) << 30;   // 1 GiB
        qint64 maxTotalBytes = qint64(2) << 30;   // 2 GiB
        double maxRatio = 200;                    // inflated / stored, for entries above 1 MiB
    };
    struct Entry {
        QString name;
        QByteArray data;
    };

    // `source` names the archive in messages ("pkg.mlwbpkg").
    static Result<PackageArchive> read(const QByteArray &bytes, const QString &source, const Limits &limits);
    static Result<PackageArchive> read(const QByteArray &bytes, const QString &source)
    {
        return read(bytes, source, Limits{});
    }
    // The zip of `entries`, in their order (deflated; names checked as read() checks them, and
    // none may end in '/': read() skips folder entries).
    static Result<QByteArray> write(const std::vector<Entry> &entries);

    const std::vector<Entry> &entries() const { return m_entries; }
    // nullptr when there is no such entry.
    const QByteArray *find(const QString &name) const;

    // Why a name may not be an entry's (empty when it may).
    static QString nameProblem(const QString &name);

private:
    std::vector<Entry> m_entries;
};

} // namespace mlwb
