// SPDX-License-Identifier: MIT
// The shell around the documents: the Start page (the demo build's failure, the docks it
// hides), an empty project's first step, the Help menu's tour and shortcuts, and docks that
// keep their size whatever the tabs show.

#include "jobs/job_manager.h"
#include "mainwindow/document_area.h"
#include "mainwindow/shortcuts_dialog.h"
#include "mainwindow/tour_dialog.h"
#include "panes/explorer/explorer_pane.h"
#include "panes/start/start_page.h"
#include "ui_fixture.h"
#include "widgets/empty_state.h"

#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QTabWidget>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>

using namespace mlwb;
using namespace mlwb::test;

namespace {

class StartPageTest : public UiTest {
protected:
    void TearDown() override
    {
        UiTest::TearDown();
        qunsetenv("MLWB_DEMO_PROJECT");
    }
    MainWindow &startWindow()
    {
        m_window = std::make_unique<MainWindow>();
        Features::install(*m_window);
        m_window->resize(1400, 900);
        m_window->show();
        EXPECT_TRUE(QTest::qWaitForWindowExposed(m_window.get()));
        return *m_window;
    }
    QDockWidget *dock(const char *name)
    {
        return m_window->findChild<QDockWidget *>(QString::fromLatin1(name));
    }
};

// Rejects the next modal dialog (a file dialog) and returns its title through `title`.
void rejectNextModal(QString *title)
{
    QTimer::singleShot(0, [title] {
        QTest::qWaitFor([] { return QApplication::activeModalWidget() != nullptr; }, 5000);
        if (auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget())) {
            *title = dialog->windowTitle();
            dialog->reject();
        }
    });
}

} // namespace

TEST_F(StartPageTest, TheProjectDocksHideOnTheStartPageAndComeBackWithTheirSizes)
{
    MainWindow &w = startWindow();
    // Nothing to show without a project: explorer and Inspector are hidden; Jobs and Log stay.
    EXPECT_FALSE(dock("ExplorerDock")->isVisible());
    EXPECT_FALSE(dock("InspectorDock")->isVisible());
    EXPECT_TRUE(dock("JobsDock")->isVisible());
    EXPECT_TRUE(dock("LogDock")->isVisible());
    EXPECT_FALSE(dock("ExplorerDock")->toggleViewAction()->isEnabled());

    ASSERT_TRUE(w.openProject(m_path));
    EXPECT_TRUE(dock("ExplorerDock")->isVisible());
    EXPECT_TRUE(dock("InspectorDock")->isVisible());
    EXPECT_TRUE(dock("ExplorerDock")->toggleViewAction()->isEnabled());
    w.resizeDocks({dock("ExplorerDock"), dock("InspectorDock")}, {420, 260}, Qt::Horizontal);
    QTest::qWait(50);
    const int explorerWidth = dock("ExplorerDock")->width();
    const int inspectorWidth = dock("InspectorDock")->width();
    EXPECT_NEAR(explorerWidth, 420, 8);

    w.closeProject();
    EXPECT_FALSE(dock("ExplorerDock")->isVisible());
    EXPECT_FALSE(dock("InspectorDock")->isVisible());
    ASSERT_TRUE(w.openProject(m_path));
    QTest::qWait(50);
    EXPECT_TRUE(dock("ExplorerDock")->isVisible());
    EXPECT_EQ(dock("ExplorerDock")->width(), explorerWidth);
    EXPECT_EQ(dock("InspectorDock")->width(), inspectorWidth);

    // A dock the user closed stays closed.
    dock("InspectorDock")->toggleViewAction()->trigger();
    w.closeProject();
    ASSERT_TRUE(w.openProject(m_path));
    EXPECT_TRUE(dock("ExplorerDock")->isVisible());
    EXPECT_FALSE(dock("InspectorDock")->isVisible());
}

TEST_F(StartPageTest, TheLayoutSavedOnTheStartPageKeepsTheProjectDocks)
{
    {
        MainWindow &w = startWindow();
        w.close();
        m_window.reset();
    }
    MainWindow &w = startWindow();
    ASSERT_TRUE(w.openProject(m_path));
    EXPECT_TRUE(dock("ExplorerDock")->isVisible());
    EXPECT_TRUE(dock("InspectorDock")->isVisible());
}

TEST_F(StartPageTest, AFailedDemoBuildSaysWhyAndLeavesNoFile)
{
    const QString demo = path(QStringLiteral("demo/demo.mlwb"));
    qputenv("MLWB_DEMO_PROJECT", demo.toUtf8());
    const QString noData = path(QStringLiteral("no-datasets"));
    ASSERT_TRUE(QDir().mkpath(noData));
    MainWindow &w = startWindow();
    w.setDemoDatasetsDir(noData);
    StartPage *start = w.documents()->startPage();
    auto *hint = start->findChild<QLabel *>(QStringLiteral("StartDemoHint"));
    ASSERT_NE(hint, nullptr);
    EXPECT_TRUE(hint->isVisible());
    EXPECT_FALSE(hint->text().contains(QStringLiteral("dev.sh")));
    EXPECT_FALSE(hint->text().contains(QStringLiteral("MLWB_DEMO_PROJECT")));

    auto *button = start->findChild<QPushButton *>(QStringLiteral("StartDemo"));
    ASSERT_NE(button, nullptr);
    ASSERT_TRUE(button->isEnabled());
    button->click();
    ASSERT_NE(start->demoJob(), 0);
    EXPECT_EQ(w.jobManager()->job(start->demoJob()).title, QStringLiteral("build the demo project"));
    MLWB_TRY_EQ(start->demoJob(), 0);
    EXPECT_EQ(w.messageBar()->type(), MessageBar::Type::Error);
    EXPECT_TRUE(w.messageBar()->text().contains(QStringLiteral("build the demo project failed: ")))
        << qPrintable(w.messageBar()->text());
    EXPECT_TRUE(w.messageBar()->text().contains(QStringLiteral("iris.csv")))
        << qPrintable(w.messageBar()->text());
    EXPECT_FALSE(QFileInfo::exists(demo));
    EXPECT_EQ(w.project(), nullptr);
    EXPECT_TRUE(button->isEnabled());
    EXPECT_FALSE(start->findChild<QWidget *>(QStringLiteral("StartDemoBuild"))->isVisible());
}

TEST_F(StartPageTest, AnExistingDemoOpensAtOnce)
{
    qputenv("MLWB_DEMO_PROJECT", m_path.toUtf8());
    MainWindow &w = startWindow();
    w.documents()->startPage()->findChild<QPushButton *>(QStringLiteral("StartDemo"))->click();
    ASSERT_NE(w.project(), nullptr);
    EXPECT_EQ(w.project()->path(), m_path);
    EXPECT_TRUE(w.jobManager()->jobs().isEmpty());
}

TEST_F(StartPageTest, AnEmptyProjectOffersImportInTheExplorerAndTheCentre)
{
    MainWindow &w = startWindow();
    ASSERT_TRUE(w.createProject(path(QStringLiteral("empty.mlwb"))));
    EmptyState *explorerEmpty = w.explorer()->emptyState();
    EmptyState *centre = w.documents()->emptyHint();
    EXPECT_TRUE(explorerEmpty->isVisible());
    EXPECT_FALSE(w.explorer()->view()->isVisible());
    EXPECT_TRUE(centre->isVisible());
    EXPECT_EQ(centre->text(),
              QStringLiteral("This project is empty. Import a CSV file as a data set to begin."));
    QAction *import = w.commandAction(QStringLiteral("dataset.import"));
    ASSERT_NE(import, nullptr);
    for (EmptyState *state : {explorerEmpty, centre}) {
        ASSERT_EQ(state->buttons().size(), 1);
        QPushButton *button = state->buttons().first();
        EXPECT_EQ(button->text(), import->text());
        EXPECT_TRUE(button->isEnabled());
        // The click runs the import command: its file dialog opens.
        QString title;
        rejectNextModal(&title);
        button->click();
        EXPECT_EQ(title, QStringLiteral("Import Data Set"));
    }
    saveScreenshot(w, QStringLiteral("empty-project.png"));

    // A project with items shows the tree and the usual hint.
    ASSERT_TRUE(w.openProject(m_path));
    EXPECT_FALSE(w.explorer()->emptyState()->isVisible());
    EXPECT_TRUE(w.explorer()->view()->isVisible());
    EXPECT_EQ(w.documents()->emptyHint()->text(),
              QStringLiteral("Double-click a data set, model or run in the Project Explorer to "
                             "open it here."));
}

TEST_F(StartPageTest, KeyboardShortcutsListTheRealActions)
{
    MainWindow &w = startWindow();
    ASSERT_TRUE(w.openProject(m_path));
    const QList<ShortcutsDialog::Entry> entries = ShortcutsDialog::collect(&w);
    const auto keysOf = [&](const QString &group, const QString &action) {
        for (const ShortcutsDialog::Entry &e : entries)
            if (e.group == group && e.action == action)
                return e.keys;
        return QStringLiteral("(not listed)");
    };
    EXPECT_EQ(keysOf(QStringLiteral("Edit"), QStringLiteral("Rename")), QStringLiteral("F2"));
    EXPECT_EQ(keysOf(QStringLiteral("Edit"), QStringLiteral("Undo")),
              QKeySequence(QKeySequence::Undo).toString(QKeySequence::NativeText));
    EXPECT_EQ(keysOf(QStringLiteral("File"), QStringLiteral("Open Project\u2026")),
              QStringLiteral("Ctrl+O"));
    EXPECT_EQ(keysOf(QStringLiteral("Run"), QStringLiteral("Train")), QStringLiteral("Ctrl+R"));
    // Every action with a shortcut is there, and only those.
    int withShortcut = 0;
    for (QAction *a : w.findChildren<QAction *>())
        withShortcut += !a->shortcuts().isEmpty() && !a->text().isEmpty();
    EXPECT_LE(entries.size(), withShortcut);
    for (const ShortcutsDialog::Entry &e : entries)
        EXPECT_FALSE(e.keys.isEmpty()) << qPrintable(e.action);

    // A new shortcut shows up without touching the dialog.
    w.actions().resetLayout->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_L));
    ShortcutsDialog dialog(&w);
    dialog.show();
    saveScreenshot(dialog, QStringLiteral("keyboard-shortcuts.png"));
    QTreeWidget *list = dialog.list();
    bool found = false;
    for (int g = 0; g < list->topLevelItemCount(); ++g)
        for (int i = 0; i < list->topLevelItem(g)->childCount(); ++i) {
            const QTreeWidgetItem *item = list->topLevelItem(g)->child(i);
            found = found || (list->topLevelItem(g)->text(0) == QStringLiteral("View") &&
                              item->text(0) == QStringLiteral("Reset Layout") &&
                              item->text(1) == QStringLiteral("Ctrl+Alt+L"));
        }
    EXPECT_TRUE(found);
    // The Help menu offers the tour and the shortcuts besides About.
    QStringList help;
    for (QAction *top : w.menuBar()->actions())
        if (top->text() == QStringLiteral("&Help"))
            for (QAction *a : top->menu()->actions())
                if (!a->isSeparator())
                    help << a->text();
    EXPECT_EQ(help, (QStringList{QStringLiteral("&Tour of the Workbench"),
                                 QStringLiteral("&Keyboard Shortcuts"),
                                 QStringLiteral("&About MLOps Workbench")}));
}

TEST_F(StartPageTest, TheTourShowsEveryPaneWithItsScreenshot)
{
    TourDialog tour;
    tour.show();
    QStringList titles;
    for (int i = 0; i < tour.stops()->count(); ++i)
        titles << tour.stops()->item(i)->text();
    EXPECT_EQ(titles, (QStringList{QStringLiteral("Start page"), QStringLiteral("Project Explorer"),
                                   QStringLiteral("Documents"), QStringLiteral("Inspector"),
                                   QStringLiteral("Jobs and Log"), QStringLiteral("Data set tab"),
                                   QStringLiteral("Model builder"), QStringLiteral("Run tab"),
                                   QStringLiteral("Compare")}));
    for (int i = 0; i < tour.stops()->count(); ++i) {
        tour.stops()->setCurrentRow(i);
        EXPECT_FALSE(tour.picture()->pixmap().isNull()) << qPrintable(titles[i]);
        EXPECT_FALSE(tour.description()->text().isEmpty()) << qPrintable(titles[i]);
    }
    tour.stops()->setCurrentRow(1);
    saveScreenshot(tour, QStringLiteral("tour.png"));
    EXPECT_TRUE(tour.description()->text().contains(QStringLiteral("F2 renames")));
}

// A page whose minimum size is wider than the centre (a run's evaluation, a wide chart grid)
// must not push the docks aside when it is shown.
TEST_F(StartPageTest, DocksKeepTheirSizeWhenTabsAndPagesSwitch)
{
    MainWindow &w = startWindow();
    w.resize(1000, 800);
    ASSERT_TRUE(w.openProject(m_path));
    w.resizeDocks({dock("ExplorerDock"), dock("InspectorDock")}, {300, 300}, Qt::Horizontal);
    QTest::qWait(50);
    const int explorer = dock("ExplorerDock")->width();
    const int inspector = dock("InspectorDock")->width();
    const auto unchanged = [&](const char *what) {
        QTest::qWait(50);
        EXPECT_EQ(dock("ExplorerDock")->width(), explorer) << what;
        EXPECT_EQ(dock("InspectorDock")->width(), inspector) << what;
    };
    ASSERT_TRUE(w.documents()->open({ItemKind::Run, m_ids.runs.first()}));
    unchanged("run tab opened");
    auto *pages = w.documents()->currentDocument()->findChild<QTabWidget *>();
    ASSERT_NE(pages, nullptr);
    for (int i = 0; i < pages->count(); ++i) {
        pages->setCurrentIndex(i);
        unchanged(qPrintable(pages->tabText(i)));
    }
    ASSERT_TRUE(w.documents()->open({ItemKind::Model, m_ids.models.first()}));
    unchanged("model tab");
    ASSERT_TRUE(w.documents()->open({ItemKind::Dataset, m_ids.datasets[1]}));
    unchanged("data set tab");
    // A page that asks for more than the centre has: a fixed-width widget.
    auto *wide = new QLabel(QStringLiteral("wide"));
    wide->setMinimumWidth(900);
    w.documents()->addDocument(wide, QIcon(), QStringLiteral("wide"));
    unchanged("wide document");
    w.documents()->tabs()->setCurrentIndex(0);
    unchanged("back to the run");
}
