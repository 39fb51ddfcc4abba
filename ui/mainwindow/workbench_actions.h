// SPDX-License-Identifier: MIT
#pragma once

// WorkbenchActions: the shell's own actions (project files, edit, layout, about), shared by
// menus, toolbar, context menus and shortcuts. Owned by the MainWindow; what the product areas
// add is in the CommandRegistry.

class QAction;
class QMenu;

namespace mlwb {

struct WorkbenchActions {
    QAction *newProject = nullptr;
    QAction *openProject = nullptr;
    QMenu *recentMenu = nullptr;
    QAction *saveAs = nullptr;
    QAction *closeProject = nullptr;
    QAction *quit = nullptr;

    QAction *undo = nullptr;
    QAction *redo = nullptr;
    QAction *rename = nullptr;
    QAction *deleteItems = nullptr;
    QAction *openItem = nullptr;

    QAction *resetLayout = nullptr;

    QAction *tour = nullptr;
    QAction *shortcuts = nullptr;
    QAction *about = nullptr;
};

} // namespace mlwb
