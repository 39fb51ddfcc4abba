// SPDX-License-Identifier: MIT
#include "common/semantic_version.h"

#include <QRegularExpression>

namespace mlwb {

namespace {
bool isNumeric(const QString &s)
{
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), [](QChar c) { return c.isDigit(); });
}
} // namespace

Result<SemanticVersion> SemanticVersion::parse(const QString &text, const QString &what)
{
    static const QRegularExpression re(QStringLiteral(
        R"(^(0|[1-9][0-9]{0,17})\.(0|[1-9][0-9]{0,17})\.(0|[1-9][0-9]{0,17}))"
        R"((?:-((?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?)"
        R"((?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$)"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return invalidInput(QStringLiteral("%1 \"%2\" is not a semantic version (MAJOR.MINOR.PATCH, such as 1.4.0 "
                                           "or 2.0.0-rc.1)")
                                .arg(what, text));
    SemanticVersion v;
    v.m_major = m.captured(1).toULongLong();
    v.m_minor = m.captured(2).toULongLong();
    v.m_patch = m.captured(3).toULongLong();
    if (m.hasCaptured(4))
        v.m_prerelease = m.captured(4).split(QLatin1Char('.'));
    v.m_text = text;
    return v;
}

std::strong_ordering SemanticVersion::operator<=>(const SemanticVersion &o) const
{
    if (auto c = std::tie(m_major, m_minor, m_patch) <=> std::tie(o.m_major, o.m_minor, o.m_patch); c != 0)
        return c;
    // A pre-release comes before its release.
    if (m_prerelease.isEmpty() || o.m_prerelease.isEmpty())
        return o.m_prerelease.size() == 0 ? (m_prerelease.isEmpty() ? std::strong_ordering::equal
                                                                     : std::strong_ordering::less)
                                          : std::strong_ordering::greater;
    for (qsizetype i = 0; i < std::min(m_prerelease.size(), o.m_prerelease.size()); ++i) {
        const QString &a = m_prerelease[i], &b = o.m_prerelease[i];
        const bool an = isNumeric(a), bn = isNumeric(b);
        if (an && bn) {
            if (a.size() != b.size())
                return a.size() <=> b.size();
            if (const int c = a.compare(b); c != 0)
                return c <=> 0;
        } else if (an != bn) {
            return an ? std::strong_ordering::less : std::strong_ordering::greater; // numbers first
        } else if (const int c = a.compare(b); c != 0) {
            return c <=> 0;
        }
    }
    return m_prerelease.size() <=> o.m_prerelease.size();
}

} // namespace mlwb
