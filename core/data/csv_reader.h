// SPDX-License-Identifier: MIT
#pragma once

// CsvReader: a streaming RFC 4180 tokenizer. It reads a device block by block, so memory stays
// bounded by the largest record, checks UTF-8 as it goes and reports errors as
// "<file>:<line>:<column>: <what>" (column counted in characters).

#include <QString>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

class QIODevice;

namespace mlwb {

struct CsvPosition {
    qint64 line = 0;   // 1-based
    qint64 column = 0; // 1-based, in Unicode code points
};

class CsvReader {
public:
    // The device must be open for reading; the name prefixes error messages.
    CsvReader(QIODevice *device, char delimiter, QString name);
    CsvReader(const CsvReader &) = delete;
    CsvReader &operator=(const CsvReader &) = delete;

    // Sees every block read from the device, in order, before it is parsed (hashing, progress).
    void setBlockObserver(std::function<void(const char *data, qsizetype size)> observer);
    // Size of one device read, which is also the initial buffer size.
    void setBlockSize(qsizetype bytes);
    // A record longer than this is an error: it is nearly always a quote that never closes.
    void setMaxRecordBytes(qsizetype bytes);

    // Advances to the next record, skipping blank lines. Returns false at the end of the input or
    // on an error; hasError() tells which. Field views stay valid until the next call.
    bool next();

    bool hasError() const { return !m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    CsvPosition errorPosition() const { return m_errorPos; }

    int fieldCount() const { return int(m_fields.size()); }
    std::string_view field(int index) const
    {
        return {m_fields[size_t(index)].data, m_fields[size_t(index)].size};
    }
    bool fieldWasQuoted(int index) const { return m_fields[size_t(index)].quoted; }
    // Line on which the current record starts.
    qint64 recordLine() const { return m_recordLine; }
    // Number of records returned so far, the current one included.
    qint64 recordNumber() const { return m_recordNumber; }
    CsvPosition fieldPosition(int index) const;
    // Just past the last field of the current record, where a missing field would have started.
    CsvPosition endPosition() const;

    // Bytes read from the device so far.
    qint64 bytesRead() const { return m_bytesRead; }
    // Bytes of input up to the end of the current record (its line break included).
    qint64 consumedBytes() const { return m_bytesRead - (m_end - m_begin); }
    qsizetype bufferCapacity() const { return m_capacity; }
    const QString &name() const { return m_name; }

    // "<name>:<line>:<column>: <what>", the format of every positioned message.
    QString message(CsvPosition pos, const QString &what) const;

private:
    enum class Step { Record, NeedMore, End, Error };
    struct Field {
        const char *data = nullptr;
        size_t size = 0;
        size_t rawOffset = 0; // from the start of the record's raw bytes
        bool quoted = false;
    };

    Step parseRecord();
    bool refill();
    void validateUtf8();
    void fail(const char *at, const char *recordStart, const QString &what);
    CsvPosition positionIn(const char *recordStart, qint64 recordLine, const char *at) const;
    CsvPosition recordPosition(size_t offset) const;

    QIODevice *m_device;
    char m_delimiter;
    QString m_name;
    std::function<void(const char *, qsizetype)> m_observer;
    bool m_special[256] = {};

    std::unique_ptr<char[]> m_buf;
    qsizetype m_capacity = 0;
    qsizetype m_begin = 0;     // first unconsumed byte
    qsizetype m_end = 0;       // end of the bytes read
    qsizetype m_validEnd = 0;  // bytes before this are valid UTF-8
    qsizetype m_invalidAt = -1; // first invalid byte, if any
    QString m_invalidWhat;
    qsizetype m_blockSize = 1 << 20;
    qsizetype m_maxRecord = 64 << 20;
    qsizetype m_openQuote = -1; // offset in the pending record of a quote still open
    bool m_eof = false;
    bool m_started = false;
    qint64 m_bytesRead = 0;

    std::vector<Field> m_fields;
    std::string m_scratch; // unescaped text of quoted fields that contained ""
    qsizetype m_recordStart = 0;
    qsizetype m_recordEnd = 0;
    qint64 m_line = 1;
    qint64 m_recordLine = 0;
    qint64 m_recordNumber = 0;

    QString m_error;
    CsvPosition m_errorPos;

    // Where recordPosition() last stopped.
    mutable qint64 m_posRecord = -1;
    mutable size_t m_posOffset = 0;
    mutable qint64 m_posLine = 0;
    mutable qint64 m_posColumn = 1;
};

} // namespace mlwb
