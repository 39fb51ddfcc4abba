// SPDX-License-Identifier: MIT
#pragma once

// TokenStore: the bearer tokens of a user's targets, one file each, <dir>/<target>.token, mode
// 0600 in a 0700 folder of the user's config directory, never in the project file (which is
// shared). A token file that others can read is refused rather than used, so a leaked
// permission is noticed instead of silently relied on.
//
// defaultDirectory(): $MLWB_CONFIG_DIR/tokens when that is set (tests, CI), else
// $XDG_CONFIG_HOME/mlwb/tokens, else ~/.config/mlwb/tokens (the same lookup as KeyStore).

#include "common/result.h"

#include <QByteArray>
#include <QString>

namespace mlwb {

class TokenStore {
public:
    explicit TokenStore(QString directory = defaultDirectory());
    static QString defaultDirectory();

    const QString &directory() const { return m_dir; }
    // Where the token of `target` is kept (the name is checked first: see save()).
    QString tokenPath(const QString &target) const;

    // Stores (or replaces) the token of a target atomically, written 0600 from the start. The
    // target's name must be a file name: letters, digits, '.', '_', '-', not starting with '.'.
    Status save(const QString &target, const QByteArray &token) const;
    // The token of a target: NotFound when there is none, Unauthorized when its file is readable
    // or writable by group or others.
    Result<QByteArray> token(const QString &target) const;
    bool has(const QString &target) const;
    Status remove(const QString &target) const;

    // A token as a user hands it over (--token-file): the file's first line, trimmed; empty or
    // multi-word content is refused.
    static Result<QByteArray> readTokenFile(const QString &path);
    // Whether `name` can name a target's token file.
    static Status checkTargetName(const QString &name);

private:
    QString m_dir;
};

} // namespace mlwb
