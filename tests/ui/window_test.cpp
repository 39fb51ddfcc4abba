// SPDX-License-Identifier: MIT
// The window as a whole: actions and hooks, drops, Save As, settings, the executable's
// command line.

#include "jobs/job.h"
#include "jobs/job_feedback.h"
#include "jobs/job_manager.h"
#include "mainwindow/about_dialog.h"
#include "mainwindow/document_area.h"
#include "mainwindow/project_status_bar.h"
#include "mainwindow/recent_projects.h"
#include "panes/explorer/explorer_pane.h"
#include "mainwindow/features.h"
#include "panes/model/model_feature.h"
#include "ui_fixture.h"

#include <QAction>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QThread>
#include <QPushButton>
#include <QMessageBox>
#include <QProcess>
#include <QTextBrowser>
#include <QUrl>

using namespace mlwb;
using namespace mlwb::test;

namespace {

bool dragAccepted(MainWindow &w, const QString &file)
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(file)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w, &enter);
    return enter.isAccepted();
}

void drop(MainWindow &w, const QString &file)
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(file)});
    QDropEvent event(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w, &event);
}

} // namespace

using WindowTest = UiTest;

// A capability plugs in with registrations only: its item kind and one command give it a menu,
// a shortcut, a context-menu entry and an enabled state that follows the selection.
TEST_F(WindowTest, ACommandPlugsInWithOneRegistration)
{
    m_window = std::make_unique<MainWindow>();
    MainWindow &w = *m_window;
    ModelFeature::install(w); // the explorer's Models branch, for something to select
    w.installCommands();
    ASSERT_TRUE(w.openProject(m_path));
    w.show();
    auto menuTitled = [&w](const QString &title) -> QMenu * {
        for (QMenu *m : w.findChildren<QMenu *>())
            if (m->title() == title)
                return m;
        return nullptr;
    };
    EXPECT_EQ(menuTitled(QStringLiteral("&Package")), nullptr);

    QList<ItemRef> packaged;
    Command package;
    package.id = QStringLiteral("test.package");
    package.text = QStringLiteral("&Package Model");
    package.shortcut = QKeySequence(Qt::CTRL | Qt::Key_P);
    package.menu = QStringLiteral("&Package");
    package.contextMenu = true;
    package.appliesTo = {ItemKind::Model};
    package.enabled = [](const CommandScope &scope) { return scope.selection.size() == 1; };
    package.run = [&packaged](const CommandScope &scope) { packaged = scope.selection; };
    w.commands().add(package);
    w.installCommands();

    QMenu *menu = menuTitled(QStringLiteral("&Package"));
    ASSERT_NE(menu, nullptr);
    QAction *action = w.commandAction(QStringLiteral("test.package"));
    ASSERT_NE(action, nullptr);
    EXPECT_TRUE(menu->actions().contains(action));
    EXPECT_TRUE(w.explorer()->contextActions().contains(action));
    EXPECT_EQ(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_P));
    EXPECT_FALSE(action->isEnabled()) << "nothing selected";
    w.explorer()->select({ItemKind::Model, m_ids.models[0]});
    EXPECT_TRUE(action->isEnabled());
    action->trigger();
    EXPECT_EQ(packaged, (QList<ItemRef>{{ItemKind::Model, m_ids.models[0]}}));
}

// Runs until canceled, like a long training.
class UntilCanceledJob : public Job {
public:
    QString title() const override { return QStringLiteral("long training"); }
    Status run(JobFeedback &feedback) override
    {
        while (!feedback.isCanceled())
            QThread::msleep(5);
        return cancelled(QStringLiteral("stopped"));
    }
};

TEST_F(WindowTest, QuittingWhileAJobRunsAsksFirst)
{
    MainWindow &w = openWindow();
    const int job = w.jobManager()->submit(std::make_unique<UntilCanceledJob>());
    MLWB_TRY_VERIFY(w.jobManager()->job(job).status == JobState::Status::Running);

    EXPECT_FALSE(w.close()) << "the window stays while the question is open";
    auto *question = w.findChild<QMessageBox *>(QStringLiteral("quitWhileJobsRun"));
    ASSERT_NE(question, nullptr);
    EXPECT_TRUE(question->text().contains(QStringLiteral("1 job is still running."))) << qPrintable(question->text());
    question->button(QMessageBox::Cancel)->click();
    MLWB_TRY_VERIFY(w.findChild<QMessageBox *>(QStringLiteral("quitWhileJobsRun")) == nullptr);
    EXPECT_TRUE(w.isVisible());
    EXPECT_EQ(w.jobManager()->job(job).status, JobState::Status::Running) << "Cancel keeps the job";

    EXPECT_FALSE(w.close());
    question = w.findChild<QMessageBox *>(QStringLiteral("quitWhileJobsRun"));
    ASSERT_NE(question, nullptr);
    auto *stop = question->findChild<QPushButton *>(QStringLiteral("stopAndQuit"));
    ASSERT_NE(stop, nullptr);
    stop->click();
    EXPECT_EQ(w.jobManager()->job(job).status, JobState::Status::Canceled);
    EXPECT_FALSE(w.isVisible()) << "stopped the jobs, then quit";
}

// A kind of a later capability, defined where that capability lives: nothing central lists it.
constexpr ItemKind kGadgetKind{"gadget"};

TEST_F(WindowTest, AKindPlugsInWithOneRegistration)
{
    MainWindow &w = openWindow();
    EXPECT_FALSE(w.itemKinds().find(*w.project(), QStringLiteral("gadget:seven")).ok());

    ItemKindRegistry::Kind gadget;
    gadget.typeName = QStringLiteral("Gadget");
    gadget.describe = [](Project &, qint64 id) -> Result<ItemDescription> {
        return ItemDescription{QStringLiteral("gadget %1").arg(id), QStringLiteral("Gadget"), {}};
    };
    gadget.lookup = [](Project &, const QString &name) -> Result<qint64> {
        if (name == u"seven")
            return qint64(7);
        return notFound(QStringLiteral("no gadget \"%1\"").arg(name));
    };
    gadget.document = [](Project &, const ItemRef &ref, QWidget *parent) -> QWidget * {
        return new QLabel(QStringLiteral("gadget %1").arg(ref.id), parent);
    };
    w.itemKinds().registerKind(kGadgetKind, gadget);

    // Equal to a kind spelled elsewhere with the same keyword (kinds compare by keyword).
    const char keyword[] = "gadget";
    EXPECT_EQ(ItemKind(keyword), kGadgetKind);
    EXPECT_EQ(qHash(ItemRef{ItemKind(keyword), 7}), qHash(ItemRef{kGadgetKind, 7}));
    EXPECT_NE(kGadgetKind, ItemKind::Model);

    EXPECT_TRUE(w.itemKinds().keywords().contains(QStringLiteral("gadget")));
    auto found = w.itemKinds().find(*w.project(), QStringLiteral("gadget:seven"));
    ASSERT_OK(found);
    EXPECT_EQ(*found, (ItemRef{kGadgetKind, 7}));
    auto missing = w.itemKinds().find(*w.project(), QStringLiteral("gadget:eight"));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.kind(), ErrorKind::NotFound);
    EXPECT_TRUE(w.itemKinds().hasDocument(kGadgetKind));
    ASSERT_TRUE(w.documents()->open(*found));
    EXPECT_EQ(w.documents()->currentRef(), *found);
    auto description = w.itemKinds().describe(*w.project(), *found);
    ASSERT_OK(description);
    EXPECT_EQ(description->name, QStringLiteral("gadget 7"));
}

TEST_F(WindowTest, DropOpensProjectsAndCsvOnlyWithAnImporter)
{
    m_window = std::make_unique<MainWindow>(); // no features: nothing takes a .csv
    MainWindow &w = *m_window;
    w.installCommands();
    const QString csv = datasetPath(QStringLiteral("iris.csv"));
    EXPECT_TRUE(dragAccepted(w, m_path));
    EXPECT_FALSE(dragAccepted(w, csv));
    drop(w, m_path);
    ASSERT_NE(w.project(), nullptr);
    EXPECT_EQ(w.project()->path(), m_path);

    QString imported;
    Command import;
    import.id = QStringLiteral("test.import");
    import.text = QStringLiteral("Import");
    import.dropSuffixes = {QStringLiteral("csv")};
    import.run = [&imported](const CommandScope &scope) { imported = scope.path; };
    w.commands().add(import);
    w.installCommands();
    EXPECT_TRUE(dragAccepted(w, csv));
    drop(w, csv);
    EXPECT_EQ(imported, csv);
}

TEST_F(WindowTest, SaveAsWritesACopyAndContinuesInIt)
{
    MainWindow &w = openWindow();
    const QString copy = path(QStringLiteral("copy.mlwb"));
    ASSERT_TRUE(w.saveProjectAs(copy));
    EXPECT_EQ(w.project()->path(), copy);
    EXPECT_EQ(tree().rowCount(), 2);
    EXPECT_EQ(RecentProjects::paths().first(), copy);
    EXPECT_TRUE(w.windowTitle().startsWith(QStringLiteral("copy")));
    EXPECT_FALSE(w.saveProjectAs(copy)) << "the open project itself";
}

TEST_F(WindowTest, OpeningSomethingElseShowsTheErrorInTheMessageBar)
{
    m_window = std::make_unique<MainWindow>();
    Features::install(*m_window);
    const QString bogus = path(QStringLiteral("notes.mlwb"));
    QFile f(bogus);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("just text, not a project");
    f.close();
    EXPECT_FALSE(m_window->openProject(bogus));
    EXPECT_EQ(m_window->project(), nullptr);
    EXPECT_TRUE(m_window->messageBar()->isVisibleTo(m_window.get()));
    EXPECT_TRUE(
        m_window->messageBar()->text().contains(QStringLiteral("not an MLOps Workbench project")))
        << qPrintable(m_window->messageBar()->text());
}

TEST_F(WindowTest, StandardShortcutsAndDockToggles)
{
    MainWindow &w = openWindow();
    EXPECT_EQ(w.actions().openProject->shortcut(), QKeySequence(QKeySequence::Open));
    EXPECT_EQ(w.actions().undo->shortcut(), QKeySequence(QKeySequence::Undo));
    EXPECT_EQ(w.actions().rename->shortcut(), QKeySequence(Qt::Key_F2));
    EXPECT_EQ(w.actions().deleteItems->shortcut(), QKeySequence(QKeySequence::Delete));
    EXPECT_EQ(w.commandAction(QStringLiteral("train.run"))->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_R));
    EXPECT_EQ(w.commandAction(QStringLiteral("train.stop"))->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Period));
    EXPECT_EQ(w.commandAction(QStringLiteral("compare.runs"))->shortcut(),
              QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    const auto docks = w.findChildren<QDockWidget *>();
    EXPECT_EQ(docks.size(), 4);
    for (QDockWidget *d : docks) {
        EXPECT_TRUE(d->isVisible()) << qPrintable(d->objectName());
        d->toggleViewAction()->trigger();
        EXPECT_FALSE(d->isVisible());
    }
    w.resetLayout();
    for (QDockWidget *d : docks)
        EXPECT_TRUE(d->isVisible()) << qPrintable(d->objectName());
    EXPECT_EQ(w.projectStatusBar()->pathText(), m_path);
    EXPECT_EQ(w.projectStatusBar()->accessText(), QStringLiteral("read-write"));
}

TEST_F(WindowTest, LayoutAndRecentFilesPersist)
{
    {
        MainWindow &w = openWindow();
        w.findChild<QDockWidget *>(QStringLiteral("LogDock"))->hide();
        w.close();
        m_window.reset();
    }
    m_window = std::make_unique<MainWindow>();
    Features::install(*m_window);
    m_window->show();
    EXPECT_FALSE(m_window->findChild<QDockWidget *>(QStringLiteral("LogDock"))->isVisible());
    EXPECT_TRUE(m_window->findChild<QDockWidget *>(QStringLiteral("JobsDock"))->isVisible());
    EXPECT_EQ(RecentProjects::paths().value(0), m_path);
}

TEST(WorkbenchExecutable, HelpAndVersionNeedNoDisplay)
{
    const QString exe = executablePath(QStringLiteral("mlwb-workbench"));
    if (!QFileInfo::exists(exe))
        GTEST_SKIP() << "mlwb-workbench not built";
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    for (const QString &arg : {QStringLiteral("--version"), QStringLiteral("--help")}) {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(exe, {arg});
        ASSERT_TRUE(p.waitForFinished(20000)) << qPrintable(arg);
        EXPECT_EQ(p.exitCode(), 0) << qPrintable(arg) << p.readAllStandardError().constData();
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        EXPECT_TRUE(out.contains(arg == QLatin1String("--version")
                                     ? QStringLiteral(MLWB_VERSION)
                                     : QStringLiteral("project.mlwb")))
            << qPrintable(out);
    }
}

TEST_F(WindowTest, AboutShowsRuntimeAndDatasetAttribution)
{
    RuntimeSummary runtime;
    runtime.blasName = QStringLiteral("OpenBLAS 0.3.21");
    runtime.threads = 2;
    AboutDialog about(runtime);
    auto *attribution = about.findChild<QTextBrowser *>(QStringLiteral("DatasetAttribution"));
    ASSERT_NE(attribution, nullptr);
    EXPECT_TRUE(
        attribution->toPlainText().contains(QStringLiteral("UCI Machine Learning Repository")));
    bool runtimeShown = false;
    for (QLabel *label : about.findChildren<QLabel *>())
        runtimeShown = runtimeShown || label->text().contains(QStringLiteral("OpenBLAS 0.3.21"));
    EXPECT_TRUE(runtimeShown);
}
