// SPDX-License-Identifier: MIT
#pragma once

// ProjectTreeModel: the project explorer's tree, made of ExplorerBranch providers. A branch that
// goes stale is reloaded and merged into the tree row by row (insert, move, remove, update), so
// selections and expanded rows survive changes made here or by another process.

#include "models/explorer_branch.h"
#include "models/explorer_children.h"
#include "common/item_ref.h"
#include "store/project.h"

#include <QAbstractItemModel>
#include <QPointer>

#include <memory>
#include <vector>

namespace mlwb {

class ProjectTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Role { ItemRefRole = Qt::UserRole + 1, EditableRole };
    enum Column { NameColumn, DetailColumn, ColumnCount };

    explicit ProjectTreeModel(QObject *parent = nullptr);
    ~ProjectTreeModel() override;

    // Branches show in the order they are added.
    void addBranch(std::unique_ptr<ExplorerBranch> branch);
    // Nodes under items of the branches (ExplorerChildren), after the items' own children.
    void addChildren(std::unique_ptr<ExplorerChildren> children);
    void setProject(Project *project);
    Project *project() const { return m_project; }
    // Names can be edited in place when the project is writable.
    void setEditable(bool editable);
    void reloadAll();

    ItemRef refAt(const QModelIndex &index) const;
    QModelIndex indexOf(const ItemRef &ref) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    // An in-place edit of a name: the explorer turns it into an undoable command.
    void renameRequested(const mlwb::ItemRef &ref, const QString &name);
    void loadFailed(const QString &message);

private:
    struct Node;
    struct Branch {
        std::unique_ptr<ExplorerBranch> provider;
        QList<ExplorerNode> nodes;
    };
    void reloadBranch(int branch);
    void reloadChildren(int children);
    void sync();
    void syncChildren(Node *parent, const QModelIndex &parentIndex,
                      const QList<ExplorerNode> &fresh);
    Node *nodeAt(const QModelIndex &index) const;
    QModelIndex indexOfNode(const Node *node, int column = 0) const;
    Node *find(Node *from, const ItemRef &ref) const;

    std::unique_ptr<Node> m_root;
    std::vector<Branch> m_branches;
    struct Children {
        std::unique_ptr<ExplorerChildren> provider;
        QList<std::pair<ItemRef, ExplorerNode>> nodes;
    };
    std::vector<Children> m_children;
    QPointer<Project> m_project;
    bool m_editable = true;
};

} // namespace mlwb
