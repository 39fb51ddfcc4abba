// SPDX-License-Identifier: MIT
#pragma once

// Sha256: incremental SHA-256 that uses the x86 SHA extensions when the CPU has them. Hashing
// every imported byte with QCryptographicHash (~100 MB/s) would cost as much as parsing; with the
// extensions it is ~1-2 GB/s. Falls back to QCryptographicHash elsewhere, with equal results.

#include <QByteArray>
#include <QCryptographicHash>

#include <array>
#include <memory>

namespace mlwb {

class Sha256 {
public:
    Sha256();
    void addData(const char *data, qsizetype size);
    // The 32-byte digest; the object must not be fed afterwards.
    QByteArray result();
    // Whether the hardware path is in use (for tests and logging).
    static bool hardwareAccelerated();

private:
    void compress(const unsigned char *blocks, size_t count);

    std::array<quint32, 8> m_state;
    std::array<unsigned char, 64> m_pending{};
    size_t m_pendingSize = 0;
    quint64 m_total = 0;
    std::unique_ptr<QCryptographicHash> m_fallback;
};

} // namespace mlwb
