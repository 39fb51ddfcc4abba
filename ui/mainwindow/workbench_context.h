// SPDX-License-Identifier: MIT
#pragma once

// WorkbenchContext: what a feature, a pane or a dialog may use of the workbench: the open
// project, the job manager, the registries it adds to (item kinds, commands, explorer
// branches), the undo group, the document host, and where messages go. MainWindow implements
// it; features receive it from Features::install, so no area includes main_window.h and the
// shell never includes an area's headers except through Features.

#include "common/item_ref.h"
#include "widgets/message_bar.h"

#include <QList>
#include <QString>

class QAction;
class QUndoGroup;
class QUndoStack;
class QWidget;

namespace mlwb {

class CommandRegistry;
class DocumentArea;
class ItemKindRegistry;
class JobManager;
class Project;
class ProjectTreeModel;
struct CommandContext;

class WorkbenchContext {
public:
    virtual ~WorkbenchContext() = default;

    // nullptr while no project is open.
    virtual Project *project() const = 0;
    virtual JobManager *jobManager() const = 0;

    // Registries a feature adds to while it installs.
    virtual ItemKindRegistry &itemKinds() = 0;
    virtual CommandRegistry &commands() = 0;
    virtual ProjectTreeModel *projectTree() const = 0; // explorer branches (addBranch)

    // The project's stack (renames, deletes) inside the group; documents that edit add their own.
    virtual QUndoGroup *undoGroup() const = 0;
    virtual QUndoStack *undoStack() const = 0;
    // Project, item kinds and the message sink, for undo commands.
    virtual CommandContext commandContext() = 0;

    // The document tabs: open an item's tab, or add a document of one's own.
    virtual DocumentArea *documents() const = 0;
    // Selects and shows an item in the Project Explorer.
    virtual void revealItem(const ItemRef &ref) = 0;
    virtual QList<ItemRef> selection() const = 0;

    // Runs a registered command as its action would, with this selection; false when disabled.
    virtual bool runCommand(const QString &id, const QList<ItemRef> &selection, const QString &path = {}) = 0;
    virtual QAction *commandAction(const QString &id) const = 0;
    // Re-evaluates every command's enabled state (after a job starts or ends, for instance).
    virtual void updateActions() = 0;

    // The message sink (the window's message bar).
    virtual void showError(const QString &message) = 0;
    virtual void showMessage(const QString &message, MessageBar::Type type = MessageBar::Type::Information,
                             const QList<QAction *> &actions = {}) = 0;

    // The parent for dialogs and the context object for connections that live as long as the
    // workbench.
    virtual QWidget *dialogParent() = 0;
};

} // namespace mlwb
