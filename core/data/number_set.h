// SPDX-License-Identifier: MIT
#pragma once

// NumberSet: the distinct values of a column while there are few of them. Past its limit it
// frees itself and only remembers that it overflowed, so real-valued columns stay cheap.

#include <QtGlobal>

#include <algorithm>
#include <cstring>
#include <vector>

namespace mlwb {

class NumberSet {
public:
    explicit NumberSet(qsizetype limit) : m_limit(limit) {}

    void insert(double v)
    {
        if (m_overflow)
            return;
        if (v == 0)
            v = 0; // one value for 0 and -0
        quint64 bits;
        std::memcpy(&bits, &v, 8);
        // Columns repeat values in runs (zeros in images, codes in sorted files).
        if (bits == m_last)
            return;
        m_last = bits;
        if (m_slots.empty())
            m_slots.assign(16, kEmpty);
        const size_t mask = m_slots.size() - 1;
        size_t i = slotOf(bits, mask);
        while (m_slots[i] != kEmpty) {
            if (m_slots[i] == bits)
                return;
            i = (i + 1) & mask;
        }
        if (m_size == m_limit) {
            m_overflow = true;
            std::vector<quint64>().swap(m_slots);
            m_size = 0;
            return;
        }
        m_slots[i] = bits;
        if (++m_size * 2 > qsizetype(m_slots.size()))
            grow();
    }

    bool overflowed() const { return m_overflow; }
    qsizetype size() const { return m_size; }

    std::vector<double> sortedValues() const
    {
        std::vector<double> out;
        out.reserve(size_t(m_size));
        for (quint64 bits : m_slots) {
            if (bits != kEmpty) {
                double v;
                std::memcpy(&v, &bits, 8);
                out.push_back(v);
            }
        }
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    static constexpr quint64 kEmpty = 0x7FF8DEADBEEF0001ull; // a NaN: never a stored value

    // Small integers differ only in their top bits, so the bits need a full mix (splitmix64).
    static size_t slotOf(quint64 x, size_t mask)
    {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9ull;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBull;
        x ^= x >> 31;
        return size_t(x) & mask;
    }

    void grow()
    {
        std::vector<quint64> old;
        old.swap(m_slots);
        m_slots.assign(old.size() * 2, kEmpty);
        const size_t mask = m_slots.size() - 1;
        for (quint64 bits : old) {
            if (bits == kEmpty)
                continue;
            size_t i = slotOf(bits, mask);
            while (m_slots[i] != kEmpty)
                i = (i + 1) & mask;
            m_slots[i] = bits;
        }
    }

    std::vector<quint64> m_slots;
    quint64 m_last = kEmpty;
    qsizetype m_limit;
    qsizetype m_size = 0;
    bool m_overflow = false;
};

} // namespace mlwb
