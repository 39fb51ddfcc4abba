// SPDX-License-Identifier: MIT
#include "nearest_word.h"

#include <algorithm>
#include <vector>

namespace mlwb::cli {

int NearestWord::distance(const QString &a, const QString &b)
{
    const qsizetype n = a.size(), m = b.size();
    // d[i][j]: edits between the first i letters of a and the first j of b.
    std::vector<std::vector<int>> d(size_t(n + 1), std::vector<int>(size_t(m + 1)));
    for (qsizetype i = 0; i <= n; ++i)
        d[i][0] = int(i);
    for (qsizetype j = 0; j <= m; ++j)
        d[0][j] = int(j);
    for (qsizetype i = 1; i <= n; ++i) {
        for (qsizetype j = 1; j <= m; ++j) {
            const int cost = a[i - 1].toLower() == b[j - 1].toLower() ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1].toLower() == b[j - 2].toLower() &&
                a[i - 2].toLower() == b[j - 1].toLower())
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

QString NearestWord::find(const QString &word, const QStringList &candidates)
{
    const int allowed = word.size() <= 4 ? 1 : word.size() <= 8 ? 2 : 3;
    QString best;
    int bestDistance = allowed + 1;
    for (const QString &c : candidates) {
        const int d = distance(word, c);
        if (d < bestDistance) {
            best = c;
            bestDistance = d;
        }
    }
    return best;
}

} // namespace mlwb::cli
