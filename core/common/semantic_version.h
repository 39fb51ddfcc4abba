// SPDX-License-Identifier: MIT
#pragma once

// SemanticVersion: a package's version "MAJOR.MINOR.PATCH", compared by number, so 1.10.0
// comes after 1.9.0 (text order puts it before). Only the three numbers: no pre-release or
// build suffix, and no leading zeros, so each version has one spelling and "1.02.0" cannot sit
// beside "1.2.0" as a different package.

#include "common/result.h"

#include <QString>

#include <compare>

namespace mlwb {

struct SemanticVersion {
    quint32 major = 0;
    quint32 minor = 0;
    quint32 patch = 0;

    // An InvalidInput error naming the text when it is not MAJOR.MINOR.PATCH.
    static Result<SemanticVersion> parse(const QString &text);
    QString toString() const;

    friend auto operator<=>(const SemanticVersion &, const SemanticVersion &) = default;
};

} // namespace mlwb
