// SPDX-License-Identifier: MIT
#pragma once

// ExplorerPane: the Project Explorer dock's content: the project tree with its context menu,
// in-place rename (F2) and the current selection as ItemRefs. A project without items shows an
// EmptyState with the next steps (Import Dataset...) instead of empty folders.

#include "common/item_ref.h"

#include <QList>
#include <QWidget>

class QAction;
class QStackedWidget;
class QTreeView;

namespace mlwb {

class EmptyState;
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
    // What an empty project offers (not owned).
    void setEmptyActions(const QList<QAction *> &actions);
    EmptyState *emptyState() const { return m_empty; }
    // True while the tree has no item but its folders (no project, or an empty one).
    bool isEmpty() const { return m_isEmpty; }

Q_SIGNALS:
    void selectionChanged(const QList<mlwb::ItemRef> &refs);
    void activated(const mlwb::ItemRef &ref);
    void emptyChanged(bool empty);

private:
    void expandInserted(const QModelIndex &parent, int first, int last);
    void updateEmpty();

    ProjectTreeModel *m_model;
    QStackedWidget *m_stack;
    QTreeView *m_view;
    EmptyState *m_empty;
    bool m_isEmpty = true;
    QList<QAction *> m_contextActions;
};

} // namespace mlwb
