// SPDX-License-Identifier: MIT
#pragma once

// SecretStore: where a user's secrets can be kept outside files, such as the desktop's keychain.
// TokenStore asks one first and falls back to its 0600 files when unavailable() says why it
// cannot be used (no Secret Service on a headless server or CI). Tests give TokenStore a fake.

#include "common/result.h"

#include <QByteArray>
#include <QString>

namespace mlwb {

class SecretStore {
public:
    virtual ~SecretStore() = default;

    // What it is, for messages ("the keychain (service mlwb)").
    virtual QString name() const = 0;
    // Empty when it can be used, else why not (asked once, then remembered).
    virtual QString unavailable() const = 0;
    // The secret kept under `key`: NotFound when there is none.
    virtual Result<QByteArray> read(const QString &key) const = 0;
    virtual Status write(const QString &key, const QByteArray &secret) const = 0;
    // NotFound when there was nothing under `key`.
    virtual Status remove(const QString &key) const = 0;
};

} // namespace mlwb
