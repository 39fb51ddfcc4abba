// SPDX-License-Identifier: MIT
// main() for the widget tests: a QApplication (offscreen under ctest), settings and recent files
// in a directory of this process alone (ctest runs several test processes at once, which must
// not see each other's recent files or window layout), a fixed light palette.

#include "mainwindow/theme.h"
#include "widgets/english_plurals.h"

#include <QApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <cstdio>

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    const QTemporaryDir settingsDir;
    if (!settingsDir.isValid()) {
        fprintf(stderr, "test_ui: cannot create a settings directory: %s\n",
                qPrintable(settingsDir.errorString()));
        return 1;
    }
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("mlwb-test"));
    QCoreApplication::setApplicationName(QStringLiteral("test_ui"));
    mlwb::Theme::apply(app, mlwb::Theme::Scheme::Light);
    if (!mlwb::EnglishPlurals::install()) {
        fprintf(stderr, "test_ui: the English plural forms (:/i18n/mlwb_en.qm) are not bundled\n");
        return 1;
    }
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
