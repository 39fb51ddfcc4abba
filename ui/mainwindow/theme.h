// SPDX-License-Identifier: MIT
#pragma once

// Theme: follows the system palette; when the system (or the user, or MLWB_COLOR_SCHEME=dark)
// asks for dark, switches to Fusion (WorkbenchStyle) with a designed dark palette and the
// breeze-dark icons.

#include <QPalette>

class QApplication;

namespace mlwb {

class Theme {
public:
    enum class Scheme { System, Light, Dark };

    // MLWB_COLOR_SCHEME (system/light/dark) wins over the stored setting.
    static Scheme requested();
    // Applies the scheme and the icon theme; returns whether the result is dark.
    static bool apply(QApplication &app, Scheme scheme);
    static bool systemPrefersDark();
    static bool isDark(const QPalette &palette);
    static QPalette darkPalette();
};

} // namespace mlwb
