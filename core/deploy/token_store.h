// SPDX-License-Identifier: MIT
#pragma once

// TokenStore: the bearer tokens of a user's targets, never in the project file (which is
// shared). Kept in the user's keychain (a SecretStore, entry = target name) when one answers,
// else one file each, <dir>/<target>.token, mode 0600 in a 0700 folder of the user's config
// directory; the fallback is said once per process in the log (mlwb.deploy). Reading asks the
// keychain first, then the file; remove() deletes both. A token file that others can read is
// refused rather than used, so a leaked permission is noticed instead of silently relied on.
//
// defaultKeychain() follows MLWB_KEYCHAIN: "off" never asks a keychain (files only), "on"
// requires one (saving and reading fail when none answers), unset or "auto" asks and falls back.
//
// defaultDirectory(): $MLWB_CONFIG_DIR/tokens when that is set (tests, CI), else
// $XDG_CONFIG_HOME/mlwb/tokens, else ~/.config/mlwb/tokens (the same lookup as KeyStore).

#include "common/result.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace mlwb {

class SecretStore;

class TokenStore {
public:
    // keychain may be null: files only. required: fail rather than fall back to files.
    explicit TokenStore(QString directory = defaultDirectory(), std::shared_ptr<const SecretStore> keychain = defaultKeychain(),
                        bool required = keychainRequired());
    static QString defaultDirectory();
    // The desktop keychain (service "mlwb") unless MLWB_KEYCHAIN=off (then null).
    static std::shared_ptr<const SecretStore> defaultKeychain();
    // Whether MLWB_KEYCHAIN=on.
    static bool keychainRequired();

    const QString &directory() const { return m_dir; }
    // The file that keeps the token of `target` when no keychain does (the name is checked
    // first: see save()).
    QString tokenPath(const QString &target) const;
    // Where the token of `target` is or would be kept, for messages: the keychain's name or the
    // file's path.
    QString location(const QString &target) const;

    // Stores (or replaces) the token of a target: in the keychain (then a file left from before
    // is removed), else atomically in its file, written 0600 from the start. The target's name
    // must be a file name: letters, digits, '.', '_', '-', not starting with '.'.
    Status save(const QString &target, const QByteArray &token) const;
    // The token of a target, from the keychain or else its file: NotFound when there is none,
    // Unauthorized when its file is readable or writable by group or others.
    Result<QByteArray> token(const QString &target) const;
    bool has(const QString &target) const;
    // Deletes the token from the keychain and its file; NotFound when neither held one.
    Status remove(const QString &target) const;

    // A token as a user hands it over (--token-file): the file's first line, trimmed; empty or
    // multi-word content is refused.
    static Result<QByteArray> readTokenFile(const QString &path);
    // Whether `name` can name a target's token file.
    static Status checkTargetName(const QString &name);

private:
    // The keychain when it can be used; null when there is none or it does not answer (said
    // once in the log); an error when it is required and does not answer.
    Result<const SecretStore *> keychain() const;
    Result<QByteArray> fileToken(const QString &target) const;
    Status saveFile(const QString &target, const QByteArray &text) const;

    QString m_dir;
    std::shared_ptr<const SecretStore> m_keychain;
    bool m_required = false;
};

} // namespace mlwb
