// SPDX-License-Identifier: MIT
#pragma once

// How CSV cell text is read as a value: trimming, missing-value tokens, numbers and booleans.
// Shared by dialect detection, import and the preprocessing of raw records.

#include <QString>

#include <optional>
#include <string_view>

namespace mlwb::csv {

// Without surrounding spaces and tabs.
inline std::string_view trimmed(std::string_view text)
{
    size_t b = 0;
    size_t e = text.size();
    while (b < e && (text[b] == ' ' || text[b] == '\t'))
        ++b;
    while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t'))
        --e;
    return text.substr(b, e - b);
}
// "", NA, N/A, NaN, null and ? (any case), after trimming.
bool isMissingToken(std::string_view text);
// A finite decimal number in C syntax ("1", "-2.5", "+3e-4"), after trimming; no hex, no inf.
std::optional<double> parseNumber(std::string_view text);
// true/false, yes/no, t/f, y/n in any case -> 1/0; anything else -> -1.
int parseBooleanWord(std::string_view text);
// The canonical partner of a boolean word, so a column holding only "yes" still gets "no".
QString booleanPartner(std::string_view word);

inline QString toQString(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

} // namespace mlwb::csv
