// SPDX-License-Identifier: MIT
#include "common/sha256.h"

#include <QtEndian>

#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define MLWB_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace mlwb {

namespace {

alignas(16) constexpr quint32 kRound[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

constexpr std::array<quint32, 8> kInitial = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                             0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

#ifdef MLWB_SHA_NI
// CPUID itself rather than __builtin_cpu_supports("sha"), which clang 14 does not know (the
// fuzz harnesses build this file with clang).
bool cpuHasShaExtensions()
{
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
        return false;
    const bool sse = (ecx & bit_SSSE3) && (ecx & bit_SSE4_1);
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
        return false;
    return sse && (ebx & bit_SHA);
}

// The state is kept as ABEF/CDGH as the sha256rnds2 instruction wants it.
__attribute__((target("sha,sse4.1,ssse3"))) void compressShaNi(quint32 *state,
                                                                const unsigned char *data,
                                                                size_t blocks)
{
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i *>(state));
    __m128i state1 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(state + 4));
    tmp = _mm_shuffle_epi32(tmp, 0xB1);               // CDAB
    state1 = _mm_shuffle_epi32(state1, 0x1B);         // EFGH
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8); // ABEF
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);      // CDGH

    for (; blocks > 0; --blocks, data += 64) {
        const __m128i abefSave = state0;
        const __m128i cdghSave = state1;
        __m128i w[16];
        for (int i = 0; i < 16; ++i) {
            if (i < 4) {
                w[i] = _mm_shuffle_epi8(
                    _mm_loadu_si128(reinterpret_cast<const __m128i *>(data + 16 * i)), byteSwap);
            } else {
                __m128i t = _mm_sha256msg1_epu32(w[i - 4], w[i - 3]);
                t = _mm_add_epi32(t, _mm_alignr_epi8(w[i - 1], w[i - 2], 4));
                w[i] = _mm_sha256msg2_epu32(t, w[i - 1]);
            }
            __m128i msg = _mm_add_epi32(
                w[i], _mm_load_si128(reinterpret_cast<const __m128i *>(kRound + 4 * i)));
            state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
            msg = _mm_shuffle_epi32(msg, 0x0E);
            state0 = _mm_sha256rnds2_epu32(state0, state1, msg);
        }
        state0 = _mm_add_epi32(state0, abefSave);
        state1 = _mm_add_epi32(state1, cdghSave);
    }

    tmp = _mm_shuffle_epi32(state0, 0x1B);       // FEBA
    state1 = _mm_shuffle_epi32(state1, 0xB1);    // DCHG
    state0 = _mm_blend_epi16(tmp, state1, 0xF0); // DCBA
    state1 = _mm_alignr_epi8(state1, tmp, 8);    // HGFE
    _mm_storeu_si128(reinterpret_cast<__m128i *>(state), state0);
    _mm_storeu_si128(reinterpret_cast<__m128i *>(state + 4), state1);
}
#endif

bool hardware()
{
#ifdef MLWB_SHA_NI
    static const bool has = cpuHasShaExtensions();
    return has;
#else
    return false;
#endif
}

} // namespace

Sha256::Sha256() : m_state(kInitial)
{
    if (!hardware())
        m_fallback = std::make_unique<QCryptographicHash>(QCryptographicHash::Sha256);
}

bool Sha256::hardwareAccelerated()
{
    return hardware();
}

void Sha256::compress(const unsigned char *blocks, size_t count)
{
#ifdef MLWB_SHA_NI
    compressShaNi(m_state.data(), blocks, count);
#else
    Q_UNUSED(blocks);
    Q_UNUSED(count);
#endif
}

void Sha256::addData(const char *data, qsizetype size)
{
    if (m_fallback) {
        m_fallback->addData(QByteArrayView(data, size));
        return;
    }
    auto *p = reinterpret_cast<const unsigned char *>(data);
    auto n = size_t(size);
    m_total += n;
    if (m_pendingSize > 0) {
        const size_t take = std::min(n, 64 - m_pendingSize);
        std::memcpy(m_pending.data() + m_pendingSize, p, take);
        m_pendingSize += take;
        p += take;
        n -= take;
        if (m_pendingSize < 64)
            return;
        compress(m_pending.data(), 1);
        m_pendingSize = 0;
    }
    if (n >= 64) {
        compress(p, n / 64);
        p += n / 64 * 64;
        n %= 64;
    }
    std::memcpy(m_pending.data(), p, n);
    m_pendingSize = n;
}

QByteArray Sha256::result()
{
    if (m_fallback)
        return m_fallback->result();
    const quint64 bits = m_total * 8;
    unsigned char tail[128] = {};
    std::memcpy(tail, m_pending.data(), m_pendingSize);
    tail[m_pendingSize] = 0x80;
    const size_t tailSize = m_pendingSize < 56 ? 64 : 128;
    qToBigEndian(bits, tail + tailSize - 8);
    compress(tail, tailSize / 64);
    m_pendingSize = 0;
    QByteArray digest(32, Qt::Uninitialized);
    for (int i = 0; i < 8; ++i)
        qToBigEndian(m_state[size_t(i)], digest.data() + 4 * i);
    return digest;
}

} // namespace mlwb
