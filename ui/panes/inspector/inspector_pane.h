// SPDX-License-Identifier: MIT
#pragma once

// InspectorPane: the properties of the explorer's selection (or of the project when nothing is
// selected), kept current as the project changes. The name is editable; the edit becomes an
// undoable rename.

#include "common/item_ref.h"
#include "store/project.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QTreeView;

namespace mlwb {

class ItemKindRegistry;
class PropertyTreeModel;

class InspectorPane : public QWidget {
    Q_OBJECT
public:
    explicit InspectorPane(const ItemKindRegistry *kinds, QWidget *parent = nullptr);

    void setProject(Project *project);
    void setSelection(const QList<ItemRef> &refs);
    void setEditable(bool editable);
    PropertyTreeModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    void refresh();

Q_SIGNALS:
    void renameRequested(const mlwb::ItemRef &ref, const QString &name);

private:
    void showProject();

    const ItemKindRegistry *m_kinds;
    QPointer<Project> m_project;
    QList<ItemRef> m_selection;
    QLabel *m_title;
    QTreeView *m_view;
    PropertyTreeModel *m_model;
    bool m_editable = true;
};

} // namespace mlwb
