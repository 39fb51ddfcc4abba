// SPDX-License-Identifier: MIT
#pragma once

// SemanticVersion: MAJOR.MINOR.PATCH with an optional -prerelease and +build, as semver.org 2.0
// defines them; ordered by precedence (1.10.0 after 1.9.0, 1.0.0-rc.1 before 1.0.0, build
// metadata ignored).

#include "common/result.h"

#include <QString>
#include <QStringList>

#include <compare>

namespace mlwb {

class SemanticVersion {
public:
    // `what` names the value in the message ("the package version").
    static Result<SemanticVersion> parse(const QString &text, const QString &what = QStringLiteral("version"));

    quint64 major() const { return m_major; }
    quint64 minor() const { return m_minor; }
    quint64 patch() const { return m_patch; }
    const QString &text() const { return m_text; }

    std::strong_ordering operator<=>(const SemanticVersion &other) const;
    bool operator==(const SemanticVersion &other) const { return (*this <=> other) == 0; }

private:
    quint64 m_major = 0, m_minor = 0, m_patch = 0;
    QStringList m_prerelease;
    QString m_text;
};

} // namespace mlwb
