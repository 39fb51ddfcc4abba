// SPDX-License-Identifier: MIT
#include "data/csv_sniffer.h"

#include "data/csv_reader.h"
#include "data/csv_values.h"

#include <QBuffer>
#include <QHash>

namespace mlwb {

namespace {

std::string_view view(const QByteArray &b)
{
    return {b.constData(), size_t(b.size())};
}

QList<QList<QByteArray>> readSample(const QByteArray &sample, char delimiter)
{
    QList<QList<QByteArray>> records;
    QByteArray copy = sample;
    QBuffer buffer(&copy);
    buffer.open(QIODevice::ReadOnly);
    CsvReader reader(&buffer, delimiter, QString());
    reader.setBlockSize(copy.size() + 16);
    while (records.size() < CsvSniffer::kSampleRecords && reader.next()) {
        QList<QByteArray> fields;
        fields.reserve(reader.fieldCount());
        for (int i = 0; i < reader.fieldCount(); ++i) {
            const std::string_view f = reader.field(i);
            fields.append(QByteArray(f.data(), qsizetype(f.size())));
        }
        records.append(std::move(fields));
    }
    return records;
}

} // namespace

CsvDialect CsvSniffer::detect(const QByteArray &sample, bool complete, char delimiter, int header)
{
    // A record cut in half by the sample's end would look inconsistent: drop the partial line.
    QByteArray text = sample;
    if (!complete) {
        const qsizetype lastNewline = text.lastIndexOf('\n');
        if (lastNewline > 0)
            text.truncate(lastNewline + 1);
    }

    CsvDialect dialect;
    QList<QList<QByteArray>> records;
    if (delimiter != 0) {
        dialect.delimiter = delimiter;
        records = readSample(text, delimiter);
    } else {
        double bestScore = -1;
        for (char candidate : kCandidates) {
            QList<QList<QByteArray>> read = readSample(text, candidate);
            QHash<qsizetype, int> counts;
            for (const QList<QByteArray> &r : std::as_const(read))
                ++counts[r.size()];
            qsizetype mode = 0;
            int modeCount = 0;
            for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
                if (it.value() > modeCount || (it.value() == modeCount && it.key() > mode)) {
                    mode = it.key();
                    modeCount = it.value();
                }
            }
            if (mode < 2)
                continue;
            // The share of records that agree on the field count; ties go to the earlier
            // candidate, so a comma file with a stray semicolon stays a comma file.
            const double score = double(modeCount) / double(read.size());
            if (score > bestScore + 1e-12) {
                bestScore = score;
                dialect.delimiter = candidate;
                records = std::move(read);
            }
        }
        if (bestScore < 0) {
            // One column, or nothing readable with any delimiter.
            dialect.delimiter = ',';
            records = readSample(text, ',');
        }
    }
    dialect.hasHeader = header < 0 ? detectHeader(records) : header != 0;
    return dialect;
}

bool CsvSniffer::detectHeader(const QList<QList<QByteArray>> &records)
{
    if (records.isEmpty())
        return false;
    const QList<QByteArray> &first = records.front();
    if (records.size() == 1) {
        // A lone record is a header when it holds no number at all.
        for (const QByteArray &f : first) {
            if (csv::parseNumber(view(f)))
                return false;
        }
        return true;
    }

    bool anyNumberInFirst = false;
    for (qsizetype c = 0; c < first.size(); ++c) {
        const std::string_view head = view(first[c]);
        const bool headIsNumber = csv::parseNumber(head).has_value();
        anyNumberInFirst = anyNumberInFirst || headIsNumber;
        if (headIsNumber || csv::isMissingToken(head))
            continue;
        qint64 numbers = 0;
        qint64 values = 0;
        for (qsizetype r = 1; r < records.size(); ++r) {
            if (c >= records[r].size() || csv::isMissingToken(view(records[r][c])))
                continue;
            ++values;
            if (csv::parseNumber(view(records[r][c])))
                ++numbers;
        }
        // Text above a column of numbers is the clearest sign of a header.
        if (values > 0 && numbers * 10 >= values * 9)
            return true;
    }
    if (anyNumberInFirst)
        return false;
    // Only text: a header names each column once, and its names do not recur as values.
    for (qsizetype c = 0; c < first.size(); ++c) {
        const QByteArray head = first[c].trimmed();
        for (qsizetype r = 1; r < records.size(); ++r) {
            if (c < records[r].size() && records[r][c].trimmed() == head)
                return false;
        }
    }
    return true;
}

} // namespace mlwb
