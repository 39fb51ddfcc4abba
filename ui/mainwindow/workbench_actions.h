// SPDX-License-Identifier: MIT
#pragma once

// WorkbenchActions: the window's actions, shared by menus, toolbar, context menus and
// shortcuts. Owned by the MainWindow.

class QAction;
class QMenu;

namespace mlwb {

struct WorkbenchActions {
    QAction *newProject = nullptr;
    QAction *openProject = nullptr;
    QMenu *recentMenu = nullptr;
    QAction *saveAs = nullptr;
    QAction *closeProject = nullptr;
    QAction *importDataset = nullptr;
    QAction *importTorchScript = nullptr;
    QAction *quit = nullptr;

    QAction *undo = nullptr;
    QAction *redo = nullptr;
    QAction *rename = nullptr;
    QAction *deleteItems = nullptr;
    QAction *openItem = nullptr;

    QAction *resetLayout = nullptr;

    QMenu *runMenu = nullptr;
    QAction *train = nullptr;
    QAction *stop = nullptr;
    QAction *compare = nullptr;

    QAction *about = nullptr;
};

} // namespace mlwb
