// SPDX-License-Identifier: MIT
#pragma once

// ExplorerNode: one row of the project explorer as a branch describes it.

#include "common/item_ref.h"

#include <QIcon>
#include <QList>
#include <QString>

namespace mlwb {

struct ExplorerNode {
    ItemRef ref;
    QString name;
    QString detail; // second column: status, size, ...
    QString toolTip;
    QIcon icon;
    bool renamable = false;
    bool deletable = false;
    QList<ExplorerNode> children;
};

} // namespace mlwb
