// SPDX-License-Identifier: MIT
#include "common/semantic_version.h"

#include <QStringList>

#include <limits>

namespace mlwb {

Result<SemanticVersion> SemanticVersion::parse(const QString &text)
{
    const auto wrong = [&text] {
        return invalidInput(
            QStringLiteral("\"%1\" is not a version MAJOR.MINOR.PATCH (like 1.2.0)").arg(text));
    };
    const QStringList parts = text.split(QLatin1Char('.'));
    if (parts.size() != 3)
        return wrong();
    quint32 numbers[3] = {};
    for (int i = 0; i < 3; ++i) {
        const QString &part = parts[i];
        if (part.isEmpty() || (part.size() > 1 && part.front() == u'0'))
            return wrong();
        for (QChar c : part) {
            if (c < u'0' || c > u'9') // toUInt alone takes "+1" and " 1"
                return wrong();
        }
        bool ok = false;
        const qulonglong n = part.toULongLong(&ok);
        if (!ok || n > std::numeric_limits<quint32>::max())
            return wrong();
        numbers[i] = quint32(n);
    }
    return SemanticVersion{numbers[0], numbers[1], numbers[2]};
}

QString SemanticVersion::toString() const
{
    return QStringLiteral("%1.%2.%3").arg(major).arg(minor).arg(patch);
}

} // namespace mlwb
