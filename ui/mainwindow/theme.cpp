// SPDX-License-Identifier: MIT
#include "mainwindow/theme.h"

#include "mainwindow/workbench_style.h"
#include "settings/workbench_settings.h"
#include "widgets/icons.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

namespace mlwb {

Theme::Scheme Theme::requested()
{
    QString s = qEnvironmentVariable("MLWB_COLOR_SCHEME");
    if (s.isEmpty())
        s = settings::colorScheme.value();
    s = s.toLower();
    if (s == QLatin1String("dark"))
        return Scheme::Dark;
    if (s == QLatin1String("light"))
        return Scheme::Light;
    return Scheme::System;
}

bool Theme::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

bool Theme::systemPrefersDark()
{
    // Qt 6.4 has no colour-scheme query: a platform theme that delivers a dark palette, or a
    // GTK theme named "...:dark", is the system asking.
    if (isDark(QGuiApplication::palette()))
        return true;
    return qEnvironmentVariable("GTK_THEME").endsWith(QLatin1String(":dark"), Qt::CaseInsensitive);
}

bool Theme::apply(QApplication &app, Scheme scheme)
{
    const bool paletteAlreadyDark = isDark(QGuiApplication::palette());
    const bool dark = scheme == Scheme::Dark || (scheme == Scheme::System && systemPrefersDark());
    if (dark && !paletteAlreadyDark) {
        app.setStyle(new WorkbenchStyle);
        app.setPalette(darkPalette());
    } else if (scheme == Scheme::Light && paletteAlreadyDark) {
        app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        app.setPalette(app.style()->standardPalette());
    }
    Icons::initialize(dark);
    return dark;
}

// Dark greys with a blue accent, contrast kept for text (not an inverted light palette).
QPalette Theme::darkPalette()
{
    const QColor window(0x2a, 0x2e, 0x32);
    const QColor base(0x1f, 0x22, 0x25);
    const QColor alternate(0x26, 0x2a, 0x2e);
    const QColor button(0x31, 0x36, 0x3b);
    const QColor text(0xe6, 0xe8, 0xea);
    const QColor disabledText(0x7f, 0x86, 0x8c);
    const QColor highlight(0x3d, 0xae, 0xe9);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, alternate);
    p.setColor(QPalette::ToolTipBase, button);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabledText);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x40, 0x46, 0x4c));
    p.setColor(QPalette::Midlight, QColor(0x38, 0x3d, 0x42));
    p.setColor(QPalette::Mid, QColor(0x23, 0x26, 0x29));
    p.setColor(QPalette::Dark, QColor(0x18, 0x1a, 0x1c));
    p.setColor(QPalette::Shadow, QColor(0x10, 0x11, 0x12));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, QColor(0x10, 0x14, 0x18));
    p.setColor(QPalette::Link, highlight);
    p.setColor(QPalette::LinkVisited, QColor(0x9b, 0x59, 0xb6));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabledText);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x4d, 0x55, 0x5c));
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    return p;
}

} // namespace mlwb
