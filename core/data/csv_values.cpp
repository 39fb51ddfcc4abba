// SPDX-License-Identifier: MIT
#include "data/csv_values.h"

#include <array>
#include <charconv>
#include <cmath>

namespace mlwb::csv {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view lowerB)
{
    if (a.size() != lowerB.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
        if (c != lowerB[i])
            return false;
    }
    return true;
}

struct BoolPair {
    std::string_view no;
    std::string_view yes;
};
constexpr std::array<BoolPair, 4> kBoolPairs{
    {{"false", "true"}, {"no", "yes"}, {"f", "t"}, {"n", "y"}}};

} // namespace

bool isMissingToken(std::string_view text)
{
    text = trimmed(text);
    if (text.empty())
        return true;
    // Nearly every cell starts with a digit or a letter no token starts with.
    switch (text.front()) {
    case '?':
        return text.size() == 1;
    case 'n':
    case 'N':
        return equalsIgnoreCase(text, "na") || equalsIgnoreCase(text, "n/a")
            || equalsIgnoreCase(text, "nan") || equalsIgnoreCase(text, "null");
    default:
        return false;
    }
}

std::optional<double> parseNumber(std::string_view text)
{
    text = trimmed(text);
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    if (text.empty())
        return std::nullopt;
    // from_chars also takes "inf" and "nan"; only digits, a sign or a dot may start a number.
    const char c = text.front();
    if (!((c >= '0' && c <= '9') || c == '-' || c == '.'))
        return std::nullopt;

    // Fast path for plain decimals of at most 15 digits: the digits form an exact integer and
    // 10^k (k <= 15) is exact, so one IEEE division gives the correctly rounded value, the same
    // as from_chars.
    static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    size_t i = c == '-' ? 1 : 0;
    quint64 mantissa = 0;
    int digits = 0;
    int fraction = -1;
    for (; i < text.size(); ++i) {
        const char d = text[i];
        if (d >= '0' && d <= '9') {
            mantissa = mantissa * 10 + quint64(d - '0');
            ++digits;
            if (fraction >= 0)
                ++fraction;
        } else if (d == '.' && fraction < 0) {
            fraction = 0;
        } else {
            break;
        }
    }
    if (i == text.size() && digits > 0 && digits <= 15) {
        double value = double(mantissa);
        if (fraction > 0)
            value /= kPow10[fraction];
        return c == '-' ? -value : value;
    }

    double value = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

int parseBooleanWord(std::string_view text)
{
    text = trimmed(text);
    if (text.size() > 5)
        return -1;
    for (const BoolPair &pair : kBoolPairs) {
        if (equalsIgnoreCase(text, pair.no))
            return 0;
        if (equalsIgnoreCase(text, pair.yes))
            return 1;
    }
    return -1;
}

QString booleanPartner(std::string_view word)
{
    word = trimmed(word);
    for (const BoolPair &pair : kBoolPairs) {
        if (equalsIgnoreCase(word, pair.no))
            return QString::fromLatin1(pair.yes.data(), qsizetype(pair.yes.size()));
        if (equalsIgnoreCase(word, pair.yes))
            return QString::fromLatin1(pair.no.data(), qsizetype(pair.no.size()));
    }
    return {};
}

} // namespace mlwb::csv
