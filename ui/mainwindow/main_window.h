// SPDX-License-Identifier: MIT
#pragma once

// MainWindow: wires the docks (Project Explorer, Inspector, Jobs, Log), the document area, the
// actions and the open project together. Each pane owns its logic; areas plug in through the
// WorkbenchContext it implements (item kinds, commands, explorer branches), installed by
// Features::install from the app's main().

#include "commands/command_registry.h"
#include "mainwindow/runtime_summary.h"
#include "mainwindow/workbench_actions.h"
#include "mainwindow/workbench_context.h"
#include "models/item_kind_registry.h"
#include "common/item_ref.h"
#include "widgets/message_bar.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>

#include <memory>

class QDockWidget;
class QMimeData;
class QToolBar;
class QUndoGroup;
class QUndoStack;

namespace mlwb {

class DocumentArea;
class ExplorerPane;
class InspectorPane;
class JobManager;
class JobsPane;
class LogPane;
class LogSink;
class Project;
class ProjectStatusBar;
class ProjectTreeModel;
class ReadOnlyBanner;
struct CommandContext;

class MainWindow : public QMainWindow, public WorkbenchContext {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Failures are shown in the window's message bar and return false.
    bool openProject(const QString &path);
    bool createProject(const QString &path);
    // Consistent copy (ProjectFile::backupTo), then opens the copy.
    bool saveProjectAs(const QString &path);
    void closeProject();
    Project *project() const override { return m_project.get(); }

    // For panes and later areas.
    // The project's stack: renames and deletes. Documents that edit (the model builder, the
    // data set tab's split editor) own a stack each; the group's active one is the Undo target.
    QUndoStack *undoStack() const override { return m_undoStack; }
    QUndoGroup *undoGroup() const override { return m_undoGroup; }
    QUndoStack *activeUndoStack() const;
    JobManager *jobManager() const override { return m_jobs; }
    ItemKindRegistry &itemKinds() override { return m_kinds; }
    ProjectTreeModel *projectTree() const override { return m_tree; }
    DocumentArea *documents() const override { return m_documents; }
    MessageBar *messageBar() const { return m_messageBar; }
    ReadOnlyBanner *readOnlyBanner() const { return m_readOnlyBanner; }
    ExplorerPane *explorer() const { return m_explorer; }
    InspectorPane *inspector() const { return m_inspector; }
    JobsPane *jobsPane() const { return m_jobsPane; }
    LogPane *logPane() const { return m_logPane; }
    LogSink *logSink() const { return m_logSink; }
    ProjectStatusBar *projectStatusBar() const { return m_statusBar; }
    const WorkbenchActions &actions() const { return m_actions; }
    // What features add to menus, toolbar, context menu and drops (see Features::install).
    CommandRegistry &commands() override { return m_commands; }
    // Creates the actions of the registered commands and places them; Features::install calls
    // it once after every area registered.
    void installCommands();
    QAction *commandAction(const QString &id) const override;
    // As the action would: with this selection (and the active document).
    bool canRunCommand(const QString &id, const QList<ItemRef> &selection);
    bool runCommand(const QString &id, const QList<ItemRef> &selection, const QString &path = {}) override;
    CommandContext commandContext() override;
    void revealItem(const ItemRef &ref) override;
    QWidget *dialogParent() override { return this; }

    QList<ItemRef> selection() const override;
    void setRuntime(const RuntimeSummary &runtime);
    // Where the demo project's data sets are (DemoProject::datasetsDir, decided by main()).
    void setDemoDatasetsDir(const QString &dir);
    void showError(const QString &message) override;
    void showMessage(const QString &message, MessageBar::Type type = MessageBar::Type::Information,
                     const QList<QAction *> &actions = {}) override;

    // Undoable edits (also reachable through the Edit menu and the panes).
    void renameItem(const ItemRef &ref, const QString &name);
    void deleteItems(const QList<ItemRef> &refs);

    void updateActions() override;
    void resetLayout();
    // The docks that have nothing to show without a project (Project Explorer, Inspector) are
    // hidden on the Start page and come back, with their sizes, when a project opens; Jobs and
    // Log stay (the demo build runs and logs there).
    QList<QDockWidget *> projectDocks() const { return {m_explorerDock, m_inspectorDock}; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createDocks();
    void setProject(std::unique_ptr<Project> project);
    void updateTitle();
    void rebuildRecentMenu();
    void chooseAndOpen();
    void chooseAndCreate();
    void chooseAndSaveAs();
    QString chooseSavePath(const QString &title);
    void restoreSettings();
    void saveSettings();
    // Hides the project docks (Start page) or brings back those that were shown.
    void setStartLayout(bool start);

    CommandScope scope(const QList<ItemRef> &selection, const QString &path = {});
    // What a command's action acts on: the active document's item or the selection.
    QList<ItemRef> actionTargets(const Command &command) const;
    // What Rename (F2) renames: the explorer's single selection while it has focus, else the
    // active tab's item, else the single selection; invalid when that cannot be renamed.
    ItemRef renameTarget() const;
    void followUndoTarget();
    QList<std::pair<const Command *, QString>> droppedForCommands(const QMimeData *mime) const;

    ItemKindRegistry m_kinds;
    CommandRegistry m_commands;
    QHash<QString, QAction *> m_commandActions;
    QHash<QString, QMenu *> m_menus;
    QPointer<QAction> m_fileEnd;
    QPointer<QAction> m_toolBarEditStart;
    QToolBar *m_toolBar = nullptr;
    QMenu *m_helpMenu = nullptr;
    WorkbenchActions m_actions;
    RuntimeSummary m_runtime;
    std::unique_ptr<Project> m_project;

    LogSink *m_logSink;
    JobManager *m_jobs;
    QUndoGroup *m_undoGroup;
    QUndoStack *m_undoStack;
    ProjectTreeModel *m_tree;
    MessageBar *m_messageBar;
    ReadOnlyBanner *m_readOnlyBanner;
    DocumentArea *m_documents;
    ExplorerPane *m_explorer = nullptr;
    InspectorPane *m_inspector = nullptr;
    JobsPane *m_jobsPane = nullptr;
    LogPane *m_logPane = nullptr;
    ProjectStatusBar *m_statusBar;
    QDockWidget *m_explorerDock = nullptr;
    QDockWidget *m_inspectorDock = nullptr;
    QDockWidget *m_jobsDock = nullptr;
    QDockWidget *m_logDock = nullptr;
    QMenu *m_viewMenu = nullptr;
    QByteArray m_defaultState;
    struct HiddenDock {
        QDockWidget *dock;
        int size; // its width (left, right) or height (top, bottom); -1: never laid out
    };
    QList<HiddenDock> m_startHidden; // hidden for the Start page, shown again with a project
    bool m_startLayout = false;
    int m_deleteNoticeIndex = -1;
    QPointer<QWidget> m_quitQuestion; // "jobs still running" while it is open
    bool m_quitConfirmed = false;
};

} // namespace mlwb
