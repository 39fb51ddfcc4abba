// SPDX-License-Identifier: MIT
#include "panes/explorer/explorer_pane.h"

#include "models/project_tree_model.h"
#include "widgets/empty_state.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMenu>
#include <QStackedWidget>
#include <QTreeView>
#include <QVBoxLayout>

#include <functional>

namespace mlwb {

ExplorerPane::ExplorerPane(ProjectTreeModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_stack(new QStackedWidget(this))
    , m_view(new QTreeView(m_stack))
    , m_empty(new EmptyState(m_stack))
{
    setObjectName(QStringLiteral("ExplorerPane"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_empty);
    m_empty->setObjectName(QStringLiteral("ExplorerEmpty"));
    m_empty->setText(tr("This project has no data sets or models yet."));
    m_view->setObjectName(QStringLiteral("ExplorerView"));
    m_view->setModel(model);
    m_view->setHeaderHidden(true);
    m_view->setUniformRowHeights(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setFrameShape(QFrame::NoFrame);
    // A double-click opens an item (activated) and leaves its children as they are; only the
    // folders, which open nothing, expand and collapse on it.
    m_view->setExpandsOnDoubleClick(false);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(ProjectTreeModel::NameColumn, QHeaderView::Stretch);
    m_view->header()->setSectionResizeMode(ProjectTreeModel::DetailColumn,
                                           QHeaderView::ResizeToContents);

    connect(model, &QAbstractItemModel::rowsInserted, this, &ExplorerPane::expandInserted);
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        m_view->expandToDepth(1);
        updateEmpty();
    });
    connect(model, &QAbstractItemModel::rowsRemoved, this, &ExplorerPane::updateEmpty);
    updateEmpty();
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { Q_EMIT selectionChanged(selectedRefs()); });
    connect(m_view, &QTreeView::activated, this, [this](const QModelIndex &index) {
        const ItemRef ref = m_model->refAt(index);
        if (ref.isValid())
            Q_EMIT activated(ref);
    });
    connect(m_view, &QTreeView::doubleClicked, this, [this](const QModelIndex &index) {
        const ItemRef ref = m_model->refAt(index);
        if (!ref.isValid() || ref.kind == ItemKind::Folder)
            m_view->setExpanded(index.siblingAtColumn(0), !m_view->isExpanded(index.siblingAtColumn(0)));
    });
    connect(m_view, &QTreeView::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_view->indexAt(pos);
        if (!index.isValid() || !m_model->refAt(index).isValid())
            return;
        QMenu menu(this);
        menu.addActions(menuActions());
        if (!menu.isEmpty())
            menu.exec(m_view->viewport()->mapToGlobal(pos));
    });
}

void ExplorerPane::updateEmpty()
{
    // Any row that is an item, at any depth (the folders are there in every project).
    std::function<bool(const QModelIndex &)> hasItem = [&](const QModelIndex &parent) {
        for (int row = 0, n = m_model->rowCount(parent); row < n; ++row) {
            const QModelIndex index = m_model->index(row, 0, parent);
            const ItemRef ref = m_model->refAt(index);
            if ((ref.isValid() && ref.kind != ItemKind::Folder) || hasItem(index))
                return true;
        }
        return false;
    };
    const bool empty = !hasItem({});
    m_stack->setCurrentWidget(empty ? static_cast<QWidget *>(m_empty) : m_view);
    if (empty != m_isEmpty) {
        m_isEmpty = empty;
        Q_EMIT emptyChanged(empty);
    }
}

void ExplorerPane::setEmptyActions(const QList<QAction *> &actions)
{
    m_empty->setActions(actions);
}

void ExplorerPane::expandInserted(const QModelIndex &parent, int first, int last)
{
    updateEmpty();
    // Branches and models open; runs have no children.
    for (int row = first; row <= last; ++row) {
        const QModelIndex index = m_model->index(row, 0, parent);
        const ItemRef ref = m_model->refAt(index);
        if (ref.kind == ItemKind::Folder || ref.kind == ItemKind::Model)
            m_view->expand(index);
    }
}

ItemRef ExplorerPane::currentRef() const
{
    return m_model->refAt(m_view->currentIndex());
}

QList<ItemRef> ExplorerPane::selectedRefs() const
{
    const QModelIndexList rows =
        m_view->selectionModel()->selectedRows(ProjectTreeModel::NameColumn);
    QList<ItemRef> out;
    for (const QModelIndex &index : rows) {
        const ItemRef ref = m_model->refAt(index);
        if (!ref.isValid())
            continue;
        bool ancestorSelected = false;
        for (QModelIndex p = index.parent(); p.isValid() && !ancestorSelected; p = p.parent())
            ancestorSelected =
                m_view->selectionModel()->isSelected(p) && m_model->refAt(p).isValid();
        if (!ancestorSelected)
            out << ref;
    }
    return out;
}

void ExplorerPane::select(const ItemRef &ref)
{
    const QModelIndex index = m_model->indexOf(ref);
    if (!index.isValid())
        return;
    m_view->scrollTo(index);
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
}

void ExplorerPane::renameCurrent()
{
    const QModelIndex index = m_view->currentIndex().siblingAtColumn(ProjectTreeModel::NameColumn);
    if (index.isValid() && (m_model->flags(index) & Qt::ItemIsEditable))
        m_view->edit(index);
}

QList<QAction *> ExplorerPane::menuActions() const
{
    // A disabled action does not apply here (Resume on a finished run, Stop on one that is not
    // training): it is left out rather than shown grey. The explorer has the focus while its
    // menu opens, so the actions' states are those of its selection.
    QList<QAction *> out;
    for (QAction *a : m_contextActions) {
        if (a->isSeparator()) {
            if (!out.isEmpty() && !out.last()->isSeparator())
                out << a;
        } else if (a->isVisible() && a->isEnabled()) {
            out << a;
        }
    }
    while (!out.isEmpty() && out.last()->isSeparator())
        out.removeLast();
    return out;
}

void ExplorerPane::setContextActions(const QList<QAction *> &actions)
{
    m_contextActions = actions;
}

} // namespace mlwb
