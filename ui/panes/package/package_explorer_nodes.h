// SPDX-License-Identifier: MIT
#pragma once

// PackageExplorerNodes: a "Packages" node under each model that has packages, listing them as
// NAME VERSION with their state (built, checked, gate failed, overridden) as icon and detail.

#include "models/explorer_children.h"

namespace mlwb {

class PackageExplorerNodes : public ExplorerChildren {
public:
    // The Packages node of a model: a folder (not an item) with an id no branch heading has.
    static ItemRef folderOf(qint64 modelId) { return {ItemKind::Folder, -modelId}; }

    Result<QList<std::pair<ItemRef, ExplorerNode>>> load(Project &project) override;
    void watch(Project &project, QObject *receiver, std::function<void()> reload) override;
};

} // namespace mlwb
