// SPDX-License-Identifier: MIT
// mlwb-workbench: the desktop workbench. Parses its arguments (--help and --version work
// without a display), sets up libtorch and the theme, and opens the window.

#include "mainwindow/main_window.h"
#include "mainwindow/theme.h"
#include "train/torch_runtime.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QTimer>

#include <cstring>
#include <memory>

namespace {

void setupParser(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        QStringLiteral("MLOps Workbench: build, train, evaluate and ship models from one "
                       "project file."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QStringLiteral("A project file (*.mlwb) to open."),
                                 QStringLiteral("[project.mlwb]"));
}

void setIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("mlwb"));
    QCoreApplication::setApplicationName(QStringLiteral("mlwb-workbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MLWB_VERSION));
}

bool wantsTextOnly(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        if (!std::strcmp(a, "-h") || !std::strcmp(a, "--help") || !std::strcmp(a, "-?") ||
            !std::strcmp(a, "-v") || !std::strcmp(a, "--version") || !std::strcmp(a, "--help-all"))
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    if (wantsTextOnly(argc, argv)) {
        // No display needed for these: a QCoreApplication parses and exits.
        QCoreApplication app(argc, argv);
        setIdentity();
        QCommandLineParser parser;
        setupParser(parser);
        parser.process(app);
        return 0;
    }

    QApplication app(argc, argv);
    setIdentity();
    QApplication::setApplicationDisplayName(QStringLiteral("MLOps Workbench"));
    QApplication::setDesktopFileName(QStringLiteral("mlwb-workbench"));
    QCommandLineParser parser;
    setupParser(parser);
    parser.process(app);

    mlwb::Theme::apply(app, mlwb::Theme::requested());
    mlwb::MainWindow window;

    const auto info = mlwb::TorchRuntime::initialize();
    window.setRuntime(
        {info.blasName, info.blasLibrary, info.openBlas, info.threads, info.torchVersion});
    window.show();

    const QStringList args = parser.positionalArguments();
    if (!args.isEmpty())
        window.openProject(args.first());

    // MLWB_SCREENSHOT=file.png: save the window after 2 s and quit (documentation, checks).
    const QString shot = qEnvironmentVariable("MLWB_SCREENSHOT");
    if (!shot.isEmpty()) {
        QTimer::singleShot(2000, &window, [&window, shot] {
            if (!window.grab().save(shot))
                qWarning("could not save the screenshot to %s", qPrintable(shot));
            QCoreApplication::quit();
        });
    }
    return app.exec();
}
