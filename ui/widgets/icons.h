// SPDX-License-Identifier: MIT
#pragma once

// Icons: the desktop's icon theme first (QIcon::fromTheme), our own SVGs (resources/icons) for
// what no theme has. Icons are cached, so the same name gives the same QIcon (and cacheKey).
// Their disabled look is the style's (QStyle::generatedIconPixmap; WorkbenchStyle in dark mode).

#include "store/records.h"

#include <QIcon>
#include <QString>

namespace mlwb {

class Icons {
public:
    // Registers the resources of libmlwb_ui and picks a fallback icon theme when the desktop
    // has none. Called once by the Theme before any window is created.
    static void initialize(bool dark);
    static QIcon themed(const QString &name);
    static QIcon own(const QString &name); // :/mlwb/icons/<name>.svg
    static QIcon runStatus(RunStatus status);
    static QIcon application() { return own(QStringLiteral("mlwb")); }
};

} // namespace mlwb
