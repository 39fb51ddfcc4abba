// SPDX-License-Identifier: MIT
#pragma once

// CsvSniffer: guesses the delimiter and whether the first record is a header, from a sample of
// the start of a file.

#include <QByteArray>
#include <QList>

namespace mlwb {

struct CsvDialect {
    char delimiter = ',';
    bool hasHeader = true;
};

class CsvSniffer {
public:
    // Candidates, in order of preference when several fit equally well.
    static constexpr char kCandidates[] = {',', '\t', ';', '|'};
    static constexpr qsizetype kSampleBytes = 64 * 1024;
    static constexpr qsizetype kMaxSampleBytes = 16 * 1024 * 1024;
    static constexpr int kSampleRecords = 50;

    // sample: the first bytes of the file; complete: the sample is the whole file.
    // delimiter 0 = detect; header -1 = detect, 0 = no, 1 = yes. Malformed text is left to the
    // full read to report: a sample may end inside a quoted field, so its errors prove nothing.
    static CsvDialect detect(const QByteArray &sample, bool complete, char delimiter, int header);

private:
    static bool detectHeader(const QList<QList<QByteArray>> &records);
};

} // namespace mlwb
