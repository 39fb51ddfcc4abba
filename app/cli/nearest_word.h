// SPDX-License-Identifier: MIT
#pragma once

// NearestWord: the "did you mean" of the command line. The candidate closest to a misspelt
// word by optimal string alignment distance (an edit is an insertion, deletion, substitution
// or swap of two neighbours), if it is close enough to be what was meant: at most 1 edit for
// words up to 4 letters, 2 up to 8 and 3 beyond. Ties go to the earlier candidate.

#include <QString>
#include <QStringList>

namespace mlwb::cli {

class NearestWord
{
public:
    static QString find(const QString &word, const QStringList &candidates);
    static int distance(const QString &a, const QString &b);
};

} // namespace mlwb::cli
