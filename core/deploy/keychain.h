// SPDX-License-Identifier: MIT
#pragma once

// Keychain: the user's desktop keychain through QtKeychain (Secret Service or KWallet over
// D-Bus; QtCore and QtDBus only, no Qt GUI), entries under the service "mlwb". QtKeychain's jobs
// are asynchronous; each call here waits for its job in a local event loop, at most timeoutMs,
// so it needs a QCoreApplication and must not be called while a caller relies on no event being
// delivered. Whether a backend answers is asked once per process and remembered.

#include "deploy/secret_store.h"

namespace mlwb {

class Keychain final : public SecretStore {
public:
    explicit Keychain(QString service = QStringLiteral("mlwb"), int timeoutMs = 5000);

    QString name() const override;
    QString unavailable() const override;
    Result<QByteArray> read(const QString &key) const override;
    Status write(const QString &key, const QByteArray &secret) const override;
    Status remove(const QString &key) const override;

private:
    QString m_service;
    int m_timeoutMs;
};

} // namespace mlwb
