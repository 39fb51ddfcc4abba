// SPDX-License-Identifier: MIT
#pragma once

// ExplorerChildren: nodes a later area hangs under items another branch shows (a model's
// Packages under the model in the Models branch), so the branch that owns the parent need not
// know them. The ProjectTreeModel appends them after the parent's own children.

#include "common/result.h"
#include "models/explorer_node.h"

#include <QList>

#include <functional>
#include <utility>

class QObject;

namespace mlwb {

class Project;

class ExplorerChildren {
public:
    virtual ~ExplorerChildren() = default;
    // Each node with the item it goes under; a parent that is not in the tree drops its nodes.
    virtual Result<QList<std::pair<ItemRef, ExplorerNode>>> load(Project &project) = 0;
    // Connects the project's signals that change these nodes to `reload` (context: `receiver`).
    virtual void watch(Project &project, QObject *receiver, std::function<void()> reload) = 0;
};

} // namespace mlwb
