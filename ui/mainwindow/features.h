// SPDX-License-Identifier: MIT
#pragma once

// Features: the one place where the product areas plug into the window. Each area adds a line
// to install(): register its item kinds and document factories (ItemKindRegistry), add its
// explorer branch (ProjectTreeModel::addBranch), set its WorkbenchHooks. MainWindow calls it
// once while it is being built.

namespace mlwb {

class MainWindow;

class Features {
public:
    static void install(MainWindow &window);
};

} // namespace mlwb
