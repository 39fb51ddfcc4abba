// SPDX-License-Identifier: MIT
// main() for the widget tests: a QApplication (offscreen under ctest), test-mode paths so
// QSettings and recent files never touch the user's, a fixed light palette.

#include "mainwindow/theme.h"

#include <QApplication>
#include <QStandardPaths>

#include <gtest/gtest.h>

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("mlwb-test"));
    QCoreApplication::setApplicationName(QStringLiteral("test_ui"));
    mlwb::Theme::apply(app, mlwb::Theme::Scheme::Light);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
