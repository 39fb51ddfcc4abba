// SPDX-License-Identifier: MIT
// mlwb-workbench: the desktop workbench. Parses its arguments (--help and --version work
// without a display), sets up libtorch and the theme, and opens the window.

#include "demo/demo_project.h"
#include "inference/torch_runtime.h"
#include "mainwindow/document_area.h"
#include "mainwindow/features.h"
#include "mainwindow/main_window.h"
#include "mainwindow/theme.h"
#include "panes/explorer/explorer_pane.h"
#include "store/project.h"
#include "widgets/english_plurals.h"

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
    parser.addOption({QStringLiteral("open"),
                      QStringLiteral("Open an item's tab once the project is open: "
                                     "dataset:NAME, model:NAME, run:ID, sweep:NAME or package:NAME:VERSION."),
                      QStringLiteral("kind:name")});
    parser.addOption({QStringLiteral("compare"),
                      QStringLiteral("Open a Compare tab on these runs once the project is open."),
                      QStringLiteral("ID,ID,...")});
}

// --compare ID,ID,...: the Compare tab on those runs; false unless two or more exist.
bool compareRuns(mlwb::MainWindow &window, const QString &ids)
{
    mlwb::Project *project = window.project();
    if (!project)
        return false;
    QList<mlwb::ItemRef> runs;
    for (const QString &id : ids.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (auto r = project->runs().get(id.trimmed().toLongLong()))
            runs.append({mlwb::ItemKind::Run, r->id});
    if (runs.size() < 2)
        return false;
    return window.runCommand(QStringLiteral("compare.runs"), runs);
}

// --open KIND:NAME (dataset:NAME, model:NAME, run:ID, sweep:NAME, package:NAME:VERSION: each
// kind's keyword in the ItemKindRegistry); the reason when there is no such item.
mlwb::Status openItem(mlwb::MainWindow &window, const QString &what)
{
    mlwb::Project *project = window.project();
    if (!project)
        return mlwb::invalidInput(QStringLiteral("no project is open"));
    auto ref = window.itemKinds().find(*project, what);
    if (!ref)
        return ref.failure();
    if (mlwb::ExplorerPane *explorer = window.explorer())
        explorer->select(*ref);
    if (!window.documents()->open(*ref))
        return mlwb::invalidInput(QStringLiteral("%1 has no tab").arg(what));
    return {};
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
    if (!mlwb::EnglishPlurals::install())
        qWarning("the bundled English plural forms are missing: counts read \"1 runs\"");
    mlwb::MainWindow window;
    mlwb::Features::install(window);
    window.setDemoDatasetsDir(
        mlwb::DemoProject::datasetsDir(QStringLiteral(MLWB_BUILD_TREE_DATASETS)));

    const auto info = mlwb::TorchRuntime::initialize();
    window.setRuntime(
        {info.blasName, info.blasLibrary, info.openBlas, info.threads, info.torchVersion});
    window.show();

    const QStringList args = parser.positionalArguments();
    if (!args.isEmpty())
        window.openProject(args.first());
    if (parser.isSet(QStringLiteral("open"))) {
        if (const mlwb::Status s = openItem(window, parser.value(QStringLiteral("open"))); !s)
            window.showError(QCoreApplication::translate("main", "Nothing to open for --open %1: %2.")
                                 .arg(parser.value(QStringLiteral("open")), s.error()));
    }
    if (parser.isSet(QStringLiteral("compare")) &&
        !compareRuns(window, parser.value(QStringLiteral("compare"))))
        window.showError(QCoreApplication::translate("main", "--compare needs two or more run ids "
                                                             "of the open project, got %1.")
                             .arg(parser.value(QStringLiteral("compare"))));

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
