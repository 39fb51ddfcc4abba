// SPDX-License-Identifier: MIT
#include "mainwindow/main_window.h"

#include "commands/change_property_command.h"
#include "commands/command_context.h"
#include "commands/delete_item_command.h"
#include "commands/undo_document.h"
#include "jobs/job_manager.h"
#include "mainwindow/about_dialog.h"
#include "mainwindow/shortcuts_dialog.h"
#include "mainwindow/tour_dialog.h"
#include "mainwindow/document_area.h"
#include "mainwindow/project_status_bar.h"
#include "mainwindow/read_only_banner.h"
#include "mainwindow/recent_projects.h"
#include "models/project_tree_model.h"
#include "panes/explorer/explorer_pane.h"
#include "panes/inspector/inspector_pane.h"
#include "panes/jobs/jobs_pane.h"
#include "panes/log/log_pane.h"
#include "panes/log/log_sink.h"
#include "panes/start/start_page.h"
#include "settings/workbench_settings.h"
#include "store/project.h"
#include "widgets/icons.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QMenuBar>
#include <QMimeData>
#include <QScreen>
#include <QToolBar>
#include <QToolButton>
#include <QMessageBox>
#include <QRegularExpression>
#include <QPushButton>
#include <QUndoGroup>
#include <QUndoStack>
#include <QUrl>
#include <QVBoxLayout>

Q_LOGGING_CATEGORY(lcUi, "mlwb.ui")

namespace mlwb {

namespace {

const QString kProjectSuffix = QStringLiteral("mlwb");

QString programName()
{
    const QString name = QCoreApplication::applicationName();
    return name.isEmpty() ? QStringLiteral("mlwb-workbench") : name;
}

QStringList localFiles(const QMimeData *mime, const QString &suffix)
{
    QStringList out;
    if (!mime || !mime->hasUrls())
        return out;
    for (const QUrl &url : mime->urls()) {
        if (url.isLocalFile() &&
            QFileInfo(url.toLocalFile()).suffix().compare(suffix, Qt::CaseInsensitive) == 0)
            out << url.toLocalFile();
    }
    return out;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_logSink(new LogSink(this))
    , m_jobs(new JobManager(2, this))
    , m_undoGroup(new QUndoGroup(this))
    , m_undoStack(new QUndoStack(this))
    , m_tree(new ProjectTreeModel(this))
    , m_messageBar(new MessageBar(this))
    , m_readOnlyBanner(new ReadOnlyBanner(this))
    , m_documents(new DocumentArea(&m_kinds, this))
    , m_statusBar(new ProjectStatusBar(this))
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowIcon(Icons::application());
    setAcceptDrops(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks |
                   QMainWindow::AllowNestedDocks);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->setSpacing(4);
    m_messageBar->setProperty("role", QStringLiteral("errors"));
    layout->addWidget(m_readOnlyBanner);
    layout->addWidget(m_messageBar);
    layout->addWidget(m_documents, 1);
    setCentralWidget(central);
    setStatusBar(m_statusBar);

    createActions();
    createDocks();
    createMenus();
    createToolBar();

    connect(m_tree, &ProjectTreeModel::loadFailed, this, &MainWindow::showError);
    connect(m_tree, &ProjectTreeModel::renameRequested, this, &MainWindow::renameItem);
    connect(m_readOnlyBanner, &ReadOnlyBanner::errorOccurred, this, &MainWindow::showError);
    connect(m_documents->startPage(), &StartPage::newRequested, this, &MainWindow::chooseAndCreate);
    connect(m_documents->startPage(), &StartPage::openRequested, this, &MainWindow::chooseAndOpen);
    connect(m_documents->startPage(), &StartPage::openPathRequested, this,
            [this](const QString &path) { openProject(path); });
    m_documents->startPage()->setJobManager(m_jobs);
    connect(m_undoStack, &QUndoStack::indexChanged, this, [this](int index) {
        // The "Deleted ... [Undo]" notice is stale once the stack moves on.
        if (m_deleteNoticeIndex >= 0 && index != m_deleteNoticeIndex) {
            if (m_messageBar->type() == MessageBar::Type::Information)
                m_messageBar->clear();
            m_deleteNoticeIndex = -1;
        }
        updateActions();
    });
    connect(m_undoGroup, &QUndoGroup::indexChanged, this, [this] { updateActions(); });
    connect(m_documents, &DocumentArea::currentItemChanged, this, [this] {
        followUndoTarget();
        updateActions(); // commands that follow the active document
    });
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget *before, QWidget *now) {
        // The explorer and the Inspector edit the project: their focus selects its stack.
        if (now && (m_explorerDock->isAncestorOf(now) || m_inspectorDock->isAncestorOf(now)))
            m_undoGroup->setActiveStack(m_undoStack);
        else if (now && m_documents->isAncestorOf(now))
            followUndoTarget();
        // Into or out of the explorer: commands switch between selection and active document.
        const bool wasExplorer = before && m_explorer && m_explorer->isAncestorOf(before);
        const bool isExplorer = now && m_explorer && m_explorer->isAncestorOf(now);
        if (wasExplorer != isExplorer)
            updateActions();
    });
    connect(m_jobs, &JobManager::jobFinished, this, [this](int id, bool ok, const QString &error) {
        if (!ok && !error.isEmpty())
            showError(tr("%1 failed: %2").arg(m_jobs->job(id).title, error));
        updateActions();
    });

    connect(m_explorer, &ExplorerPane::emptyChanged, m_documents, &DocumentArea::setProjectEmpty);

    resize(1400, 900);
    m_defaultState = saveState();
    restoreSettings();
    setStartLayout(true);
    updateTitle();
    updateActions();
}

MainWindow::~MainWindow()
{
    // Commands and panes refer to the project: let go of them first.
    m_undoStack->clear();
    setProject(nullptr);
}

CommandContext MainWindow::commandContext()
{
    CommandContext c;
    c.project = m_project.get();
    c.kinds = &m_kinds;
    c.reportError = [this](const QString &message) { showError(message); };
    return c;
}

void MainWindow::revealItem(const ItemRef &ref)
{
    if (m_explorer)
        m_explorer->select(ref);
}

void MainWindow::createActions()
{
    auto make = [this](const QString &icon, const QString &text, const QString &name) {
        auto *a = new QAction(Icons::themed(icon), text, this);
        a->setObjectName(name);
        return a;
    };
    WorkbenchActions &a = m_actions;
    a.newProject =
        make(QStringLiteral("document-new"), tr("&New Project\u2026"), QStringLiteral("actionNew"));
    a.newProject->setShortcut(QKeySequence::New);
    a.newProject->setToolTip(tr("Create an empty project file"));
    connect(a.newProject, &QAction::triggered, this, &MainWindow::chooseAndCreate);

    a.openProject = make(QStringLiteral("document-open"), tr("&Open Project\u2026"),
                         QStringLiteral("actionOpen"));
    a.openProject->setShortcut(QKeySequence::Open);
    connect(a.openProject, &QAction::triggered, this, &MainWindow::chooseAndOpen);

    a.recentMenu = new QMenu(tr("Open &Recent"), this);
    a.recentMenu->setIcon(Icons::themed(QStringLiteral("document-open-recent")));
    connect(a.recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);

    a.saveAs = make(QStringLiteral("document-save-as"), tr("Save &As\u2026"),
                    QStringLiteral("actionSaveAs"));
    a.saveAs->setShortcut(QKeySequence::SaveAs);
    a.saveAs->setToolTip(tr("Write a consistent copy of the project and continue in the copy"));
    connect(a.saveAs, &QAction::triggered, this, &MainWindow::chooseAndSaveAs);

    a.closeProject =
        make(QStringLiteral("document-close"), tr("&Close Project"), QStringLiteral("actionClose"));
    a.closeProject->setShortcut(QKeySequence::Close);
    connect(a.closeProject, &QAction::triggered, this, &MainWindow::closeProject);

    a.quit = make(QStringLiteral("application-exit"), tr("&Quit"), QStringLiteral("actionQuit"));
    a.quit->setShortcut(QKeySequence::Quit);
    a.quit->setMenuRole(QAction::QuitRole);
    connect(a.quit, &QAction::triggered, this, &QWidget::close);

    // Undo follows the active document (its own stack), else the project's stack (rename,
    // delete): an edit in one builder tab is never undone from another.
    m_undoGroup->addStack(m_undoStack);
    m_undoGroup->setActiveStack(m_undoStack);
    a.undo = m_undoGroup->createUndoAction(this, tr("&Undo"));
    a.undo->setObjectName(QStringLiteral("actionUndo"));
    a.undo->setIcon(Icons::themed(QStringLiteral("edit-undo")));
    a.undo->setShortcut(QKeySequence::Undo);
    a.redo = m_undoGroup->createRedoAction(this, tr("&Redo"));
    a.redo->setObjectName(QStringLiteral("actionRedo"));
    a.redo->setIcon(Icons::themed(QStringLiteral("edit-redo")));
    a.redo->setShortcut(QKeySequence::Redo);

    a.rename = make(QStringLiteral("edit-rename"), tr("Re&name"), QStringLiteral("actionRename"));
    a.rename->setShortcut(Qt::Key_F2);
    connect(a.rename, &QAction::triggered, this, [this] {
        const ItemRef target = renameTarget();
        if (!target.isValid())
            return;
        // The name is edited in place in the explorer, on the item itself.
        m_explorerDock->show();
        m_explorerDock->raise();
        m_explorer->select(target);
        m_explorer->renameCurrent();
    });
    a.deleteItems =
        make(QStringLiteral("edit-delete"), tr("&Delete"), QStringLiteral("actionDelete"));
    a.deleteItems->setShortcut(QKeySequence::Delete);
    a.deleteItems->setToolTip(tr("Delete the selected items (undoable)"));
    connect(a.deleteItems, &QAction::triggered, this, [this] { deleteItems(selection()); });
    a.openItem =
        make(QStringLiteral("document-open"), tr("Open"), QStringLiteral("actionOpenItem"));
    connect(a.openItem, &QAction::triggered, this, [this] {
        for (const ItemRef &ref : selection())
            m_documents->open(ref);
    });

    a.resetLayout = make(QStringLiteral("view-restore"), tr("&Reset Layout"),
                         QStringLiteral("actionResetLayout"));
    connect(a.resetLayout, &QAction::triggered, this, &MainWindow::resetLayout);

    a.tour = make(QStringLiteral("help-contents"), tr("&Tour of the Workbench"),
                  QStringLiteral("actionTour"));
    a.tour->setToolTip(tr("The panes one by one, with what each is for"));
    connect(a.tour, &QAction::triggered, this, [this] {
        auto *dialog = new TourDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    a.shortcuts = make(QStringLiteral("help-keybord-shortcuts"), tr("&Keyboard Shortcuts"),
                       QStringLiteral("actionShortcuts"));
    connect(a.shortcuts, &QAction::triggered, this, [this] {
        auto *dialog = new ShortcutsDialog(this, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });

    a.about = make(QStringLiteral("help-about"), tr("&About MLOps Workbench"),
                   QStringLiteral("actionAbout"));
    a.about->setMenuRole(QAction::AboutRole);
    connect(a.about, &QAction::triggered, this, [this] {
        AboutDialog dialog(m_runtime, this);
        dialog.exec();
    });
}

void MainWindow::createDocks()
{
    auto dock = [this](QWidget *content, const QString &title, const QString &name,
                       Qt::DockWidgetArea area) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(content);
        d->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                       QDockWidget::DockWidgetFloatable);
        addDockWidget(area, d);
        return d;
    };
    m_explorer = new ExplorerPane(m_tree, this);
    m_explorerDock = dock(m_explorer, tr("Project Explorer"), QStringLiteral("ExplorerDock"),
                          Qt::LeftDockWidgetArea);
    m_inspector = new InspectorPane(&m_kinds, this);
    m_inspectorDock = dock(m_inspector, tr("Inspector"), QStringLiteral("InspectorDock"),
                           Qt::RightDockWidgetArea);
    m_jobsPane = new JobsPane(m_jobs, this);
    m_jobsDock = dock(m_jobsPane, tr("Jobs"), QStringLiteral("JobsDock"), Qt::BottomDockWidgetArea);
    m_logPane = new LogPane(m_logSink->model(), this);
    m_logDock = dock(m_logPane, tr("Log"), QStringLiteral("LogDock"), Qt::BottomDockWidgetArea);
    splitDockWidget(m_jobsDock, m_logDock, Qt::Horizontal);
    resizeDocks({m_explorerDock, m_inspectorDock}, {300, 320}, Qt::Horizontal);
    resizeDocks({m_jobsDock}, {180}, Qt::Vertical);
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);

    m_explorer->setContextActions({m_actions.openItem, m_actions.rename, m_actions.deleteItems});
    connect(m_explorer, &ExplorerPane::selectionChanged, this, [this](const QList<ItemRef> &refs) {
        m_inspector->setSelection(refs);
        updateActions();
    });
    connect(m_explorer, &ExplorerPane::activated, this,
            [this](const ItemRef &ref) { m_documents->open(ref); });
    connect(m_inspector, &InspectorPane::renameRequested, this, &MainWindow::renameItem);
}

void MainWindow::createMenus()
{
    const WorkbenchActions &a = m_actions;
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(a.newProject);
    file->addAction(a.openProject);
    file->addMenu(a.recentMenu);
    file->addAction(a.saveAs);
    file->addAction(a.closeProject);
    m_fileEnd = file->addSeparator(); // commands with menu "&File" go before Quit
    file->addAction(a.quit);
    m_menus.insert(file->title(), file);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    m_menus.insert(edit->title(), edit);
    edit->addAction(a.undo);
    edit->addAction(a.redo);
    edit->addSeparator();
    edit->addAction(a.rename);
    edit->addAction(a.deleteItems);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *d : {m_explorerDock, m_inspectorDock, m_jobsDock, m_logDock}) {
        QAction *toggle = d->toggleViewAction();
        toggle->setObjectName(QStringLiteral("toggle") + d->objectName());
        m_viewMenu->addAction(toggle);
    }
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(a.resetLayout);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    m_helpMenu = help;
    help->addAction(a.tour);
    help->addAction(a.shortcuts);
    help->addSeparator();
    help->addAction(a.about);
}

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("MainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(22, 22));
    const WorkbenchActions &a = m_actions;
    bar->addAction(a.newProject);
    bar->addAction(a.openProject);
    // Command groups "import" go here, the rest after Undo/Redo (installCommands()).
    m_toolBarEditStart = bar->addSeparator();
    bar->addAction(a.undo);
    bar->addAction(a.redo);
    m_toolBar = bar;
    // Icons only for the edit group: text beside those is noise.
    for (QAction *action : {a.undo, a.redo})
        if (auto *w = bar->widgetForAction(action))
            if (auto *tb = qobject_cast<QToolButton *>(w))
                tb->setToolButtonStyle(Qt::ToolButtonIconOnly);
}

QList<ItemRef> MainWindow::selection() const
{
    return m_explorer->selectedRefs();
}

void MainWindow::setRuntime(const RuntimeSummary &runtime)
{
    m_runtime = runtime;
    m_statusBar->setRuntime(runtime);
}

void MainWindow::setDemoDatasetsDir(const QString &dir)
{
    m_documents->startPage()->setDemoDatasetsDir(dir);
}

void MainWindow::showError(const QString &message)
{
    qCWarning(lcUi).noquote() << message;
    m_messageBar->showMessage(message.toHtmlEscaped(), MessageBar::Type::Error);
}

void MainWindow::showMessage(const QString &message, MessageBar::Type type,
                             const QList<QAction *> &actions)
{
    // The Log pane keeps what the bar showed after it has closed itself (info; errors are
    // logged by showError as warnings).
    static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
    QString plain = message;
    plain.remove(tag);
    if (type == MessageBar::Type::Warning)
        qCWarning(lcUi).noquote() << plain;
    else
        qCInfo(lcUi).noquote() << plain;
    m_messageBar->showMessage(message, type, actions);
}

bool MainWindow::openProject(const QString &path)
{
    ProjectOpenOptions options;
    options.program = programName();
    auto project = Project::open(QFileInfo(path).absoluteFilePath(), options);
    if (!project) {
        showError(project.error());
        if (!QFileInfo::exists(path))
            RecentProjects::remove(path);
        return false;
    }
    setProject(std::move(*project));
    RecentProjects::add(path);
    settings::lastDirectory.setValue(QFileInfo(path).absolutePath());
    qCInfo(lcUi).noquote() << "opened" << m_project->path()
                           << (m_project->isReadOnly() ? "read-only" : "read-write");
    if (!m_project->file().migrationBackupPath().isEmpty())
        showMessage(tr("The project was upgraded to this version's format. The original is kept "
                       "as %1.")
                        .arg(m_project->file().migrationBackupPath().toHtmlEscaped()),
                    MessageBar::Type::Information);
    return true;
}

bool MainWindow::createProject(const QString &path)
{
    ProjectOpenOptions options;
    options.program = programName();
    auto project = Project::create(QFileInfo(path).absoluteFilePath(), options);
    if (!project) {
        showError(project.error());
        return false;
    }
    setProject(std::move(*project));
    RecentProjects::add(path);
    settings::lastDirectory.setValue(QFileInfo(path).absolutePath());
    return true;
}

bool MainWindow::saveProjectAs(const QString &path)
{
    if (!m_project)
        return false;
    const QString target = QFileInfo(path).absoluteFilePath();
    if (target == m_project->path()) {
        showError(tr("%1 is the open project; choose another file.").arg(target));
        return false;
    }
    if (const Status s = m_project->file().backupTo(target); !s) {
        showError(tr("Could not save a copy: %1").arg(s.error()));
        return false;
    }
    return openProject(target);
}

void MainWindow::closeProject()
{
    setProject(nullptr);
}

void MainWindow::setProject(std::unique_ptr<Project> project)
{
    // Undo commands point at the old project: they go with it.
    m_undoStack->clear();
    m_messageBar->clear();
    Project *p = project.get();
    m_documents->setProject(nullptr);
    m_inspector->setProject(nullptr);
    m_tree->setProject(nullptr);
    m_readOnlyBanner->setProject(nullptr);
    m_statusBar->setProject(nullptr);
    m_project = std::move(project);
    if (p) {
        connect(p, &Project::readOnlyChanged, this, [this] {
            m_tree->setEditable(m_project && !m_project->isReadOnly());
            m_inspector->setEditable(m_project && !m_project->isReadOnly());
            updateTitle();
            updateActions();
        });
        m_tree->setEditable(!p->isReadOnly());
        m_inspector->setEditable(!p->isReadOnly());
        m_tree->setProject(p);
        m_inspector->setProject(p);
        m_documents->setProject(p);
        m_readOnlyBanner->setProject(p);
        m_statusBar->setProject(p);
    }
    m_documents->setProjectEmpty(p && m_explorer->isEmpty());
    setStartLayout(p == nullptr);
    updateTitle();
    updateActions();
}

void MainWindow::setStartLayout(bool start)
{
    if (start == m_startLayout)
        return;
    m_startLayout = start;
    const auto vertical = [this](QDockWidget *d) {
        const Qt::DockWidgetArea area = dockWidgetArea(d);
        return area == Qt::TopDockWidgetArea || area == Qt::BottomDockWidgetArea;
    };
    if (start) {
        m_startHidden.clear();
        for (QDockWidget *d : projectDocks()) {
            d->toggleViewAction()->setEnabled(false);
            if (d->isHidden())
                continue;
            const int size = !isVisible() || d->isFloating() ? -1
                             : vertical(d)                   ? d->height()
                                                             : d->width();
            m_startHidden.append({d, size});
            d->hide();
        }
        return;
    }
    QList<QDockWidget *> across, down;
    QList<int> widths, heights;
    for (const HiddenDock &h : std::as_const(m_startHidden)) {
        h.dock->show();
        if (h.size < 0)
            continue;
        (vertical(h.dock) ? down : across) << h.dock;
        (vertical(h.dock) ? heights : widths) << h.size;
    }
    m_startHidden.clear();
    for (QDockWidget *d : projectDocks())
        d->toggleViewAction()->setEnabled(true);
    // Shown again, a dock gets whatever the layout gives it: give it back the size it had.
    if (!across.isEmpty())
        resizeDocks(across, widths, Qt::Horizontal);
    if (!down.isEmpty())
        resizeDocks(down, heights, Qt::Vertical);
}

void MainWindow::updateTitle()
{
    if (!m_project) {
        setWindowTitle(tr("MLOps Workbench"));
        return;
    }
    const QString name = QFileInfo(m_project->path()).completeBaseName();
    setWindowTitle(m_project->isReadOnly() ? tr("%1 [read-only] \u2014 MLOps Workbench").arg(name)
                                           : tr("%1 \u2014 MLOps Workbench").arg(name));
}

void MainWindow::updateActions()
{
    const bool open = m_project != nullptr;
    const bool writable = open && !m_project->isReadOnly();
    const QList<ItemRef> sel = open ? selection() : QList<ItemRef>();
    WorkbenchActions &a = m_actions;
    a.saveAs->setEnabled(open);
    a.closeProject->setEnabled(open);

    a.rename->setEnabled(writable && renameTarget().isValid());
    bool canDelete = writable && !sel.isEmpty();
    for (const ItemRef &ref : sel)
        canDelete = canDelete && m_kinds.canRemove(ref.kind);
    a.deleteItems->setEnabled(canDelete);
    bool canOpen = !sel.isEmpty();
    for (const ItemRef &ref : sel)
        canOpen = canOpen && m_kinds.hasDocument(ref.kind);
    a.openItem->setEnabled(canOpen);

    // Registered commands: enabled for this scope; context-menu-only ones show when they
    // apply to the selection.
    const CommandScope now = scope(sel);
    for (const Command &c : m_commands.commands()) {
        QAction *action = m_commandActions.value(c.id);
        if (!action)
            continue;
        action->setEnabled(CommandRegistry::isEnabled(c, c.followsDocument ? scope(actionTargets(c)) : now));
        if (c.menu.isEmpty() && c.toolBarGroup.isEmpty())
            action->setVisible(CommandRegistry::appliesTo(c, sel));
    }
}

void MainWindow::renameItem(const ItemRef &ref, const QString &name)
{
    if (!m_project || m_project->isReadOnly())
        return;
    if (auto *command = ChangePropertyCommand::rename(commandContext(), ref, name))
        m_undoStack->push(command);
}

void MainWindow::deleteItems(const QList<ItemRef> &refs)
{
    if (!m_project || m_project->isReadOnly() || refs.isEmpty())
        return;
    const CommandContext context = commandContext();
    QList<QPair<ItemRef, QString>> items;
    for (const ItemRef &ref : refs) {
        auto described = m_kinds.describe(*m_project, ref);
        if (!described) {
            showError(described.error());
            return;
        }
        items << qMakePair(ref, described->name);
    }
    const int before = m_undoStack->index();
    if (items.size() == 1) {
        m_undoStack->push(
            new DeleteItemCommand(context, items.first().first, items.first().second));
    } else {
        auto *macro = new QUndoCommand(tr("Delete %1 items").arg(items.size()));
        for (const auto &[ref, name] : std::as_const(items))
            new DeleteItemCommand(context, ref, name, macro);
        m_undoStack->push(macro);
    }
    // Deleting asks no question; the way back is one click away.
    if (m_undoStack->index() != before) {
        m_deleteNoticeIndex = m_undoStack->index();
        showMessage(items.size() == 1
                        ? tr("Deleted \u201c%1\u201d.").arg(items.first().second.toHtmlEscaped())
                        : tr("Deleted %1 items.").arg(items.size()),
                    MessageBar::Type::Information, {m_actions.undo});
    }
    updateActions();
}

void MainWindow::resetLayout()
{
    const bool start = m_startLayout;
    setStartLayout(false);
    for (QDockWidget *d : {m_explorerDock, m_inspectorDock, m_jobsDock, m_logDock}) {
        d->setFloating(false);
        d->show();
    }
    restoreState(m_defaultState);
    setStartLayout(start);
}

void MainWindow::rebuildRecentMenu()
{
    QMenu *menu = m_actions.recentMenu;
    menu->clear();
    const QList<RecentProject> recent = RecentProjects::entries();
    for (const RecentProject &r : recent) {
        QAction *a = menu->addAction(r.name + QStringLiteral("  \u2014  ") + r.path);
        a->setEnabled(r.exists);
        const QString path = r.path;
        connect(a, &QAction::triggered, this, [this, path] { openProject(path); });
    }
    if (recent.isEmpty()) {
        menu->addAction(tr("No recent projects"))->setEnabled(false);
        return;
    }
    menu->addSeparator();
    connect(menu->addAction(tr("Clear List")), &QAction::triggered, this, [this] {
        RecentProjects::clear();
        m_documents->startPage()->refresh();
    });
}

void MainWindow::chooseAndOpen()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open Project"), settings::lastDirectory.value(),
                                     tr("MLOps Workbench projects (*.mlwb);;All files (*)"));
    if (!path.isEmpty())
        openProject(path);
}

QString MainWindow::chooseSavePath(const QString &title)
{
    QFileDialog dialog(this, title, settings::lastDirectory.value(),
                       tr("MLOps Workbench projects (*.mlwb)"));
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setDefaultSuffix(kProjectSuffix);
    // The project store never overwrites a file; say so instead of asking.
    dialog.setOption(QFileDialog::DontConfirmOverwrite);
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return {};
    const QString path = dialog.selectedFiles().first();
    if (QFileInfo::exists(path)) {
        showError(tr("%1 already exists; choose a new file name.").arg(path));
        return {};
    }
    return path;
}

void MainWindow::chooseAndCreate()
{
    const QString path = chooseSavePath(tr("New Project"));
    if (!path.isEmpty())
        createProject(path);
}

void MainWindow::chooseAndSaveAs()
{
    if (!m_project)
        return;
    const QString path = chooseSavePath(tr("Save Project As"));
    if (!path.isEmpty())
        saveProjectAs(path);
}

void MainWindow::restoreSettings()
{
    const QByteArray geometry = settings::windowGeometry.value();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    const QByteArray state = settings::windowState.value();
    if (!state.isEmpty())
        restoreState(state);
}

void MainWindow::saveSettings()
{
    // The layout to keep is the project's: with the docks the Start page hid.
    const bool start = m_startLayout;
    setUpdatesEnabled(false);
    setStartLayout(false);
    settings::windowGeometry.setValue(saveGeometry());
    settings::windowState.setValue(saveState());
    setStartLayout(start);
    setUpdatesEnabled(true);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Running jobs: ask first (a training would end interrupted), as Qt Creator does for builds.
    if (m_jobs->hasRunningJobs() && !m_quitConfirmed) {
        event->ignore();
        if (m_quitQuestion)
            return;
        int running = 0;
        for (const JobState &j : m_jobs->jobs())
            running += !j.isGroup && (j.status == JobState::Status::Queued || j.status == JobState::Status::Running);
        auto *box = new QMessageBox(QMessageBox::Question, tr("Quit MLOps Workbench"),
                                    (running == 1 ? tr("1 job is still running.")
                                                  : tr("%1 jobs are still running.").arg(running)) +
                                        QLatin1Char(' ') +
                                        tr("Quitting stops them; an interrupted run can be resumed later."),
                                    QMessageBox::NoButton, this);
        box->setObjectName(QStringLiteral("quitWhileJobsRun"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        QPushButton *stop = box->addButton(tr("&Stop Jobs and Quit"), QMessageBox::AcceptRole);
        stop->setObjectName(QStringLiteral("stopAndQuit"));
        box->addButton(QMessageBox::Cancel);
        box->setDefaultButton(QMessageBox::Cancel);
        m_quitQuestion = box;
        connect(box, &QMessageBox::buttonClicked, this, [this, stop](QAbstractButton *button) {
            if (button != stop)
                return;
            m_jobs->cancelAll();
            if (!m_jobs->waitForAll(60000))
                qCWarning(lcUi) << "quitting with jobs that did not stop within a minute";
            m_quitConfirmed = true;
            close();
        });
        box->open();
        return;
    }
    saveSettings();
    m_jobs->cancelAll();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QMimeData *mime = event->mimeData();
    if (!localFiles(mime, kProjectSuffix).isEmpty() ||
        !droppedForCommands(mime).isEmpty())
        event->acceptProposedAction();
    else
        event->ignore();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QMimeData *mime = event->mimeData();
    const QStringList projects = localFiles(mime, kProjectSuffix);
    if (!projects.isEmpty()) {
        event->acceptProposedAction();
        openProject(projects.first());
        return;
    }
    const QList<std::pair<const Command *, QString>> files = droppedForCommands(mime);
    if (!files.isEmpty()) {
        event->acceptProposedAction();
        for (const auto &[command, path] : files) {
            if (CommandRegistry::isEnabled(*command, scope(selection(), path)))
                command->run(scope(selection(), path));
        }
        return;
    }
    event->ignore();
}

QList<std::pair<const Command *, QString>> MainWindow::droppedForCommands(const QMimeData *mime) const
{
    QList<std::pair<const Command *, QString>> out;
    if (!mime || !mime->hasUrls())
        return out;
    for (const QUrl &url : mime->urls()) {
        if (!url.isLocalFile())
            continue;
        const QString path = url.toLocalFile();
        if (const Command *c = m_commands.forDrop(QFileInfo(path).suffix()))
            out.append({c, path});
    }
    return out;
}

CommandScope MainWindow::scope(const QList<ItemRef> &sel, const QString &path)
{
    CommandScope s{*this, sel, {}, m_project != nullptr,
                   m_project != nullptr && !m_project->isReadOnly(), path};
    s.document = m_documents->currentRef();
    return s;
}

QList<ItemRef> MainWindow::actionTargets(const Command &command) const
{
    const QList<ItemRef> sel = selection();
    if (!command.followsDocument)
        return sel;
    const QWidget *focus = QApplication::focusWidget();
    if (m_explorer && focus && m_explorer->isAncestorOf(focus))
        return sel; // the explorer's own actions, its context menu
    const ItemRef doc = m_documents->currentRef();
    if (doc.isValid() && command.appliesTo.contains(doc.kind))
        return {doc};
    return sel;
}

ItemRef MainWindow::renameTarget() const
{
    if (!m_project || m_project->isReadOnly())
        return {};
    const QList<ItemRef> sel = selection();
    const QWidget *focus = QApplication::focusWidget();
    const bool explorerFocused = m_explorer && focus && m_explorer->isAncestorOf(focus);
    ItemRef target = sel.size() == 1 ? sel.first() : ItemRef();
    if (!explorerFocused && m_documents->currentRef().isValid())
        target = m_documents->currentRef();
    if (!target.isValid() || !m_kinds.canRename(target.kind))
        return {};
    const QModelIndex index = m_tree->indexOf(target);
    return index.isValid() && (m_tree->flags(index) & Qt::ItemIsEditable) ? target : ItemRef();
}

QAction *MainWindow::commandAction(const QString &id) const
{
    return m_commandActions.value(id);
}

bool MainWindow::canRunCommand(const QString &id, const QList<ItemRef> &selection)
{
    const Command *c = m_commands.find(id);
    return c && CommandRegistry::isEnabled(*c, scope(selection));
}

bool MainWindow::runCommand(const QString &id, const QList<ItemRef> &selection, const QString &path)
{
    const Command *c = m_commands.find(id);
    if (!c || !CommandRegistry::isEnabled(*c, scope(selection, path)))
        return false;
    c->run(scope(selection, path));
    return true;
}

void MainWindow::installCommands()
{
    QList<QAction *> context;
    QHash<QString, QString> lastGroupOfMenu;
    QStringList toolBarGroups;
    QHash<QString, QList<QAction *>> toolBarActions;
    for (const Command &c : m_commands.commands()) {
        if (m_commandActions.contains(c.id))
            continue;
        auto *action = new QAction(Icons::themed(c.iconName), c.text, this);
        action->setObjectName(QStringLiteral("command.") + c.id);
        action->setShortcut(c.shortcut);
        if (!c.toolTip.isEmpty())
            action->setToolTip(c.toolTip);
        const QString id = c.id;
        connect(action, &QAction::triggered, this, [this, id] {
            if (const Command *c = m_commands.find(id))
                runCommand(id, actionTargets(*c));
        });
        m_commandActions.insert(c.id, action);

        if (!c.menu.isEmpty()) {
            QMenu *menu = m_menus.value(c.menu);
            if (!menu) {
                menu = new QMenu(c.menu, this);
                menuBar()->insertMenu(m_helpMenu->menuAction(), menu);
                m_menus.insert(c.menu, menu);
            }
            QAction *before = menu == m_menus.value(tr("&File")) ? m_fileEnd.data() : nullptr;
            const auto last = lastGroupOfMenu.constFind(c.menu);
            if (before && last == lastGroupOfMenu.cend())
                menu->insertSeparator(before);
            else if (last != lastGroupOfMenu.cend() && *last != c.menuGroup)
                menu->insertSeparator(before);
            lastGroupOfMenu.insert(c.menu, c.menuGroup);
            menu->insertAction(before, action);
        }
        if (!c.toolBarGroup.isEmpty()) {
            if (!toolBarGroups.contains(c.toolBarGroup))
                toolBarGroups << c.toolBarGroup;
            toolBarActions[c.toolBarGroup] << action;
        }
        if (c.contextMenu)
            context << action;
    }
    // "import" groups before Undo/Redo, the others after them, each behind a separator.
    for (const QString &group : std::as_const(toolBarGroups)) {
        const QList<QAction *> actions = toolBarActions.value(group);
        if (group == QLatin1String("import")) {
            for (QAction *action : actions)
                m_toolBar->insertAction(m_toolBarEditStart, action);
            m_toolBar->insertSeparator(actions.first());
        } else {
            m_toolBar->addSeparator();
            m_toolBar->addActions(actions);
        }
    }
    QList<QAction *> firstSteps;
    for (const Command &c : m_commands.commands())
        if (c.firstStep)
            firstSteps << m_commandActions.value(c.id);
    m_explorer->setEmptyActions(firstSteps);
    m_documents->setEmptyActions(firstSteps);
    if (!context.isEmpty()) {
        QList<QAction *> actions = m_explorer->contextActions();
        auto *separator = new QAction(this);
        separator->setSeparator(true);
        actions << separator << context;
        m_explorer->setContextActions(actions);
    }
    updateActions();
}

QUndoStack *MainWindow::activeUndoStack() const
{
    return m_undoGroup->activeStack();
}

void MainWindow::followUndoTarget()
{
    // A document with an undo stack of its own (UndoDocument) edits on it.
    QUndoStack *stack = m_undoStack;
    if (auto *doc = dynamic_cast<UndoDocument *>(m_documents->currentDocument()))
        if (QUndoStack *own = doc->documentUndoStack())
            stack = own;
    if (!m_undoGroup->stacks().contains(stack))
        m_undoGroup->addStack(stack);
    m_undoGroup->setActiveStack(stack);
}

} // namespace mlwb
