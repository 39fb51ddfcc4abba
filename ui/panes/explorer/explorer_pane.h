// SPDX-License-Identifier: MIT
#pragma once

// ExplorerPane: the Project Explorer dock's content: the project tree with its context menu,
// in-place rename (F2) and the current selection as ItemRefs.

#include "common/item_ref.h"

#include <QList>
#include <QWidget>

class QAction;
class QTreeView;

namespace mlwb {

class ProjectTreeModel;

class ExplorerPane : public QWidget {
    Q_OBJECT
public:
    explicit ExplorerPane(ProjectTreeModel *model, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }
    ProjectTreeModel *model() const { return m_model; }
    ItemRef currentRef() const;
    // Selected items without those whose ancestor is selected too (deleting a model takes its
    // runs along).
    QList<ItemRef> selectedRefs() const;
    void select(const ItemRef &ref);
    // Starts the in-place editor on the current item's name.
    void renameCurrent();
    // Actions offered on right-click over an item (not owned).
    void setContextActions(const QList<QAction *> &actions);
    QList<QAction *> contextActions() const { return m_contextActions; }
    // What the right-click menu shows for the current selection: the context actions that
    // apply (visible and enabled), separators between groups.
    QList<QAction *> menuActions() const;

Q_SIGNALS:
    void selectionChanged(const QList<mlwb::ItemRef> &refs);
    void activated(const mlwb::ItemRef &ref);

private:
    void expandInserted(const QModelIndex &parent, int first, int last);

    ProjectTreeModel *m_model;
    QTreeView *m_view;
    QList<QAction *> m_contextActions;
};

} // namespace mlwb
