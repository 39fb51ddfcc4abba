// SPDX-License-Identifier: MIT
#pragma once

// WorkbenchHooks: where later areas plug their commands into the window's menus, toolbar and
// drops. An empty hook hides its action (and a .csv drop is refused while importDataset is
// empty); after setting hooks call MainWindow::updateActions().

#include "common/item_ref.h"

#include <QList>
#include <QString>

#include <functional>

namespace mlwb {

class MainWindow;

struct WorkbenchHooks {
    // `path` is a dropped file, or empty from the menu (the hook asks for the file itself).
    using PathHook = std::function<void(MainWindow &window, const QString &path)>;
    using SelectionHook = std::function<void(MainWindow &window, const QList<ItemRef> &selection)>;
    // Whether a selection hook can run now (empty: whenever a project is open).
    using Predicate = std::function<bool(MainWindow &window, const QList<ItemRef> &selection)>;

    PathHook importDataset;     // File > Import dataset..., and .csv files dropped on the window
    PathHook importTorchScript; // File > Import TorchScript model...
    SelectionHook train;        // Run > Train (Ctrl+R)
    Predicate canTrain;
    SelectionHook stop; // Run > Stop (Ctrl+.)
    Predicate canStop;
    SelectionHook compare; // Run > Compare (Ctrl+Shift+C)
    Predicate canCompare;
};

} // namespace mlwb
