// SPDX-License-Identifier: MIT
#pragma once

// Features: the one place where the product areas plug into the window, one line each. An
// area's <area>_feature.cpp registers its item kinds (ItemKindRegistry: Inspector facts, rename,
// delete, document tab, --open keyword), its explorer branch (ProjectTreeModel::addBranch) and
// its commands (CommandRegistry: menus, toolbar, context menu, drops). The app's main() calls
// install() once on a new window, so MainWindow itself knows no pane.

namespace mlwb {

class MainWindow;

class Features {
public:
    static void install(MainWindow &window);
};

} // namespace mlwb
