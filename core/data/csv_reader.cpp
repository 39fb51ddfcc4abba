// SPDX-License-Identifier: MIT
#include "data/csv_reader.h"

#include <QIODevice>

#include <cstring>

namespace mlwb {

namespace {

constexpr quint64 kHighBits = 0x8080808080808080ull;
constexpr quint64 kLowBits = 0x0101010101010101ull;

QString byteHex(unsigned char c)
{
    return QStringLiteral("0x") + QString::number(uint(c), 16).toUpper().rightJustified(2, u'0');
}

QString describeChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f)
        return QStringLiteral("'%1'").arg(QLatin1Char(c));
    return byteHex(u);
}

} // namespace

CsvReader::CsvReader(QIODevice *device, char delimiter, QString name)
    : m_device(device), m_delimiter(delimiter), m_name(std::move(name))
{
    m_special[static_cast<unsigned char>(delimiter)] = true;
    m_special[static_cast<unsigned char>('\n')] = true;
    m_special[static_cast<unsigned char>('\r')] = true;
    m_special[static_cast<unsigned char>('"')] = true;
}

void CsvReader::setBlockObserver(std::function<void(const char *, qsizetype)> observer)
{
    m_observer = std::move(observer);
}

void CsvReader::setBlockSize(qsizetype bytes)
{
    m_blockSize = std::max<qsizetype>(bytes, 16);
}

void CsvReader::setMaxRecordBytes(qsizetype bytes)
{
    m_maxRecord = std::max<qsizetype>(bytes, 16);
}

QString CsvReader::message(CsvPosition pos, const QString &what) const
{
    // One multi-argument arg(): a '%2' inside a file name must stay text.
    return QStringLiteral("%1:%2:%3: %4")
        .arg(m_name, QString::number(pos.line), QString::number(pos.column), what);
}

CsvPosition CsvReader::positionIn(const char *recordStart, qint64 recordLine,
                                  const char *at) const
{
    qint64 line = recordLine;
    const char *lineStart = recordStart;
    for (const char *q = recordStart; q < at; ++q) {
        if (*q == '\n' || (*q == '\r' && (q + 1 >= at || q[1] != '\n'))) {
            ++line;
            lineStart = q + 1;
        }
    }
    qint64 column = 1;
    for (const char *q = lineStart; q < at; ++q) {
        if ((static_cast<unsigned char>(*q) & 0xC0) != 0x80)
            ++column;
    }
    return {line, column};
}

CsvPosition CsvReader::recordPosition(size_t offset) const
{
    // Positions are asked for left to right; going on from the last answer keeps a record with
    // thousands of fields linear instead of quadratic.
    if (m_posRecord != m_recordNumber || offset < m_posOffset) {
        m_posRecord = m_recordNumber;
        m_posOffset = 0;
        m_posLine = m_recordLine;
        m_posColumn = 1;
    }
    const char *rec = m_buf.get() + m_recordStart;
    const size_t available = size_t(m_end - m_recordStart);
    for (size_t i = m_posOffset; i < offset; ++i) {
        const char c = rec[i];
        if (c == '\n' || (c == '\r' && (i + 1 >= available || rec[i + 1] != '\n'))) {
            ++m_posLine;
            m_posColumn = 1;
        } else if (c != '\r' && (static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++m_posColumn;
        }
    }
    m_posOffset = offset;
    return {m_posLine, m_posColumn};
}

CsvPosition CsvReader::fieldPosition(int index) const
{
    return recordPosition(m_fields[size_t(index)].rawOffset);
}

CsvPosition CsvReader::endPosition() const
{
    return recordPosition(size_t(m_recordEnd - m_recordStart));
}

void CsvReader::fail(const char *at, const char *recordStart, const QString &what)
{
    m_errorPos = positionIn(recordStart, m_line, at);
    m_error = message(m_errorPos, what);
}

bool CsvReader::refill()
{
    if (m_begin > 0) {
        const qsizetype keep = m_end - m_begin;
        std::memmove(m_buf.get(), m_buf.get() + m_begin, size_t(keep));
        m_end = keep;
        m_validEnd -= m_begin;
        if (m_invalidAt >= 0)
            m_invalidAt -= m_begin;
        m_begin = 0;
    }
    if (!m_buf) {
        // Uninitialised: zeroing a 1 MiB buffer costs more than reading a small file.
        m_capacity = m_blockSize;
        m_buf.reset(new char[size_t(m_capacity)]);
    }
    if (m_end == m_capacity) {
        if (m_capacity >= m_maxRecord) {
            const char *rec = m_buf.get();
            if (m_openQuote >= 0) {
                fail(rec + m_openQuote, rec,
                     QStringLiteral("unterminated quoted field: no closing quote within %1 MB")
                         .arg(m_maxRecord >> 20));
            } else {
                fail(rec, rec, QStringLiteral("record longer than %1 MB").arg(m_maxRecord >> 20));
            }
            return false;
        }
        const qsizetype grown = std::min(m_capacity * 2, m_maxRecord);
        std::unique_ptr<char[]> bigger(new char[size_t(grown)]);
        std::memcpy(bigger.get(), m_buf.get(), size_t(m_end));
        m_buf = std::move(bigger);
        m_capacity = grown;
    }
    const qint64 n = m_device->read(m_buf.get() + m_end, qint64(m_capacity) - m_end);
    if (n < 0) {
        m_errorPos = {m_line, 1};
        m_error = QStringLiteral("%1: read error: %2").arg(m_name, m_device->errorString());
        return false;
    }
    if (n == 0) {
        m_eof = true;
    } else {
        if (m_observer)
            m_observer(m_buf.get() + m_end, qsizetype(n));
        m_end += qsizetype(n);
        m_bytesRead += n;
    }
    validateUtf8();
    return true;
}

void CsvReader::validateUtf8()
{
    if (m_invalidAt >= 0)
        return;
    const auto *s = reinterpret_cast<const unsigned char *>(m_buf.get());
    qsizetype i = m_validEnd;
    const qsizetype n = m_end;
    const auto invalid = [&](qsizetype at, QString what) {
        m_invalidAt = at;
        m_invalidWhat = std::move(what);
        m_validEnd = at;
    };
    while (i < n) {
        // Plain ASCII without NUL is nearly all of a CSV: check eight bytes at a time.
        while (i + 8 <= n) {
            quint64 w;
            std::memcpy(&w, s + i, 8);
            if ((w & kHighBits) || ((w - kLowBits) & ~w & kHighBits))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        const unsigned char c = s[i];
        if (c < 0x80) {
            if (c == 0)
                return invalid(i, QStringLiteral("NUL byte in the text (is this a binary file?)"));
            ++i;
            continue;
        }
        int len = 0;
        if (c >= 0xC2 && c <= 0xDF)
            len = 2;
        else if (c >= 0xE0 && c <= 0xEF)
            len = 3;
        else if (c >= 0xF0 && c <= 0xF4)
            len = 4;
        const QString bad = QStringLiteral("invalid UTF-8 (byte %1); save the file as UTF-8")
                                .arg(byteHex(c));
        if (len == 0)
            return invalid(i, bad);
        if (i + len > n) {
            if (!m_eof)
                break; // the rest of the sequence is in the next block
            return invalid(i, bad);
        }
        unsigned char lo = 0x80, hi = 0xBF;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F; // UTF-16 surrogates
        else if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return invalid(i, bad);
        for (int k = 2; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80)
                return invalid(i, bad);
        }
        i += len;
    }
    m_validEnd = i;
}

bool CsvReader::next()
{
    if (hasError())
        return false;
    if (!m_started) {
        m_started = true;
        while (!m_eof && m_end < 4) {
            if (!refill())
                return false;
        }
        const auto *s = reinterpret_cast<const unsigned char *>(m_buf.get());
        if (m_end >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
            m_errorPos = {1, 1};
            m_error = message(m_errorPos, QStringLiteral("the file is UTF-16 encoded; save it "
                                                         "as UTF-8"));
            return false;
        }
        if (m_end >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
            m_begin = 3;
    }
    for (;;) {
        switch (parseRecord()) {
        case Step::Record:
            ++m_recordNumber;
            return true;
        case Step::End:
        case Step::Error:
            return false;
        case Step::NeedMore:
            if (!refill())
                return false;
            break;
        }
    }
}

CsvReader::Step CsvReader::parseRecord()
{
    const char *const base = m_buf.get();
    const bool invalid = m_invalidAt >= 0;
    const char *const lim = base + (invalid ? m_invalidAt : m_validEnd);
    // At the true end of the input only when every byte read so far is valid and checked.
    const bool eof = m_eof && !invalid && m_validEnd == m_end;
    const bool mayGrow = !eof && !invalid;
    const char *p = base + m_begin;
    m_openQuote = -1;

    while (p < lim && (*p == '\n' || *p == '\r')) {
        if (*p == '\r') {
            if (p + 1 == lim && mayGrow)
                return Step::NeedMore;
            if (p + 1 < lim && p[1] == '\n')
                ++p;
        }
        ++p;
        ++m_line;
        m_begin = p - base;
    }
    if (p == lim) {
        if (invalid) {
            fail(p, p, m_invalidWhat);
            return Step::Error;
        }
        return eof ? Step::End : Step::NeedMore;
    }

    const char *const rec = p;
    m_fields.clear();
    m_scratch.clear();
    // Reserving the worst case up front keeps views into m_scratch valid while it grows.
    if (m_scratch.capacity() < size_t(lim - rec))
        m_scratch.reserve(size_t(lim - rec));
    qint64 newlines = 0;
    const auto atLimit = [&](const char *at) {
        if (invalid) {
            fail(at, rec, m_invalidWhat);
            return Step::Error;
        }
        return Step::NeedMore;
    };

    for (;;) {
        Field f;
        f.rawOffset = size_t(p - rec);
        if (p < lim && *p == '"') {
            const char *open = p++;
            const char *seg = p;
            const size_t scratchStart = m_scratch.size();
            bool escaped = false;
            f.quoted = true;
            for (;;) {
                while (p < lim && *p != '"') {
                    if (*p == '\n' || (*p == '\r' && (p + 1 >= lim || p[1] != '\n')))
                        ++newlines;
                    ++p;
                }
                if (p == lim) {
                    if (mayGrow) {
                        m_openQuote = open - rec;
                        return Step::NeedMore;
                    }
                    if (invalid)
                        return atLimit(p);
                    fail(open, rec, QStringLiteral("unterminated quoted field (the quote opened "
                                                   "here never closes)"));
                    return Step::Error;
                }
                if (p + 1 == lim && mayGrow)
                    return Step::NeedMore;
                if (p + 1 < lim && p[1] == '"') {
                    m_scratch.append(seg, size_t(p + 1 - seg));
                    escaped = true;
                    p += 2;
                    seg = p;
                    continue;
                }
                if (escaped) {
                    m_scratch.append(seg, size_t(p - seg));
                    f.data = m_scratch.data() + scratchStart;
                    f.size = m_scratch.size() - scratchStart;
                } else {
                    f.data = seg;
                    f.size = size_t(p - seg);
                }
                ++p;
                break;
            }
            if (p < lim && *p != m_delimiter && *p != '\n' && *p != '\r') {
                fail(p, rec, QStringLiteral("unexpected %1 after the closing quote of a quoted "
                                            "field (a quote inside a quoted field is written "
                                            "as \"\")")
                                 .arg(describeChar(*p)));
                return Step::Error;
            }
        } else {
            const char *start = p;
            while (p < lim && !m_special[static_cast<unsigned char>(*p)])
                ++p;
            if (p < lim && *p == '"') {
                fail(p, rec, QStringLiteral("quote inside an unquoted field; quote the whole "
                                            "field and double the quote (\"\")"));
                return Step::Error;
            }
            f.data = start;
            f.size = size_t(p - start);
        }
        if (p == lim && !eof)
            return atLimit(p);
        m_fields.push_back(f);
        if (p == lim) {
            m_recordEnd = p - base;
            break;
        }
        if (*p == m_delimiter) {
            ++p;
            continue;
        }
        m_recordEnd = p - base;
        if (*p == '\r') {
            if (p + 1 == lim && mayGrow)
                return Step::NeedMore;
            if (p + 1 < lim && p[1] == '\n')
                ++p;
        }
        ++p;
        ++newlines;
        break;
    }
    m_recordStart = rec - base;
    m_recordLine = m_line;
    m_line += newlines;
    m_begin = p - base;
    return Step::Record;
}

} // namespace mlwb
