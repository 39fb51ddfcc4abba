// SPDX-License-Identifier: MIT
#pragma once

// ExplorerBranch: one top-level branch of the project explorer (Datasets, Models, later
// Packages, Deployments, Monitors, Reports). A branch reads its nodes from the project and says
// which project signals make it stale; the ProjectTreeModel does the rest (and hides it while
// it has no nodes).

#include "common/result.h"
#include "models/explorer_node.h"

#include <QIcon>
#include <QList>
#include <QString>

#include <functional>

class QObject;

namespace mlwb {

class Project;

class ExplorerBranch {
public:
    virtual ~ExplorerBranch() = default;
    // Identifies the branch heading (ItemRef{Folder, key()}): keep it stable and distinct.
    virtual int key() const = 0;
    virtual QString title() const = 0;
    virtual QIcon icon() const = 0;
    virtual Result<QList<ExplorerNode>> load(Project &project) = 0;
    // Connects the project's signals that change this branch to `reload` (context: `receiver`).
    virtual void watch(Project &project, QObject *receiver, std::function<void()> reload) = 0;
};

} // namespace mlwb
