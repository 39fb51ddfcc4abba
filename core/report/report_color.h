// SPDX-License-Identifier: MIT
#pragma once

// ReportColor: the run colours of a ReportDocument as the writers use them. A colour comes from
// the project ("#rrggbb"); anything else is replaced by a neutral grey before it reaches markup
// or a PDF, so a damaged value can neither break the HTML nor inject into it.

#include <QString>

namespace mlwb {

class ReportColor {
public:
    // Red, green and blue in [0, 1].
    struct Rgb {
        double r = 0, g = 0, b = 0;
    };

    // `color` when it is "#rrggbb" (lower-cased), else the fallback grey.
    static QString sanitized(const QString &color);
    static Rgb rgb(const QString &color);
    // `color` mixed with white: share 0 is white, 1 the colour itself (table shading).
    static QString tint(const QString &color, double share);
    // Black or white, whichever reads better on `color`.
    static QString textOn(const QString &color);
    static QString fallback() { return QStringLiteral("#8c8c8c"); }
};

} // namespace mlwb
