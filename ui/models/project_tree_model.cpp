// SPDX-License-Identifier: MIT
#include "models/project_tree_model.h"

#include "store/project.h"

#include <QGuiApplication>
#include <QHash>
#include <QPalette>

#include <algorithm>

namespace mlwb {

struct ProjectTreeModel::Node {
    ExplorerNode data; // without children
    Node *parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;

    int row() const
    {
        if (!parent)
            return 0;
        for (size_t i = 0; i < parent->children.size(); ++i)
            if (parent->children[i].get() == this)
                return int(i);
        return 0;
    }
};

ProjectTreeModel::ProjectTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{
}

ProjectTreeModel::~ProjectTreeModel() = default;

void ProjectTreeModel::addBranch(std::unique_ptr<ExplorerBranch> branch)
{
    m_branches.push_back(Branch{std::move(branch), {}});
    const int index = int(m_branches.size()) - 1;
    if (m_project) {
        m_branches.back().provider->watch(*m_project, this, [this, index] { reloadBranch(index); });
        reloadBranch(index);
    }
}

void ProjectTreeModel::addChildren(std::unique_ptr<ExplorerChildren> children)
{
    m_children.push_back(Children{std::move(children), {}});
    const int index = int(m_children.size()) - 1;
    if (m_project) {
        m_children.back().provider->watch(*m_project, this, [this, index] { reloadChildren(index); });
        reloadChildren(index);
    }
}

void ProjectTreeModel::reloadChildren(int children)
{
    if (!m_project || children < 0 || children >= int(m_children.size()))
        return;
    auto nodes = m_children[size_t(children)].provider->load(*m_project);
    if (!nodes) {
        Q_EMIT loadFailed(nodes.error());
        return;
    }
    m_children[size_t(children)].nodes = std::move(*nodes);
    sync();
}

void ProjectTreeModel::setProject(Project *project)
{
    if (m_project)
        disconnect(m_project, nullptr, this, nullptr);
    beginResetModel();
    m_project = project;
    m_root->children.clear();
    for (Branch &b : m_branches)
        b.nodes.clear();
    for (Children &c : m_children)
        c.nodes.clear();
    endResetModel();
    if (!project)
        return;
    for (size_t i = 0; i < m_branches.size(); ++i)
        m_branches[i].provider->watch(*project, this, [this, i] { reloadBranch(int(i)); });
    for (size_t i = 0; i < m_children.size(); ++i)
        m_children[i].provider->watch(*project, this, [this, i] { reloadChildren(int(i)); });
    reloadAll();
}

void ProjectTreeModel::setEditable(bool editable)
{
    m_editable = editable;
}

void ProjectTreeModel::reloadAll()
{
    if (!m_project)
        return;
    for (size_t i = 0; i < m_branches.size(); ++i) {
        auto nodes = m_branches[i].provider->load(*m_project);
        if (nodes)
            m_branches[i].nodes = std::move(*nodes);
        else
            Q_EMIT loadFailed(nodes.error());
    }
    for (Children &c : m_children) {
        auto nodes = c.provider->load(*m_project);
        if (nodes)
            c.nodes = std::move(*nodes);
        else
            Q_EMIT loadFailed(nodes.error());
    }
    sync();
}

void ProjectTreeModel::reloadBranch(int branch)
{
    if (!m_project || branch < 0 || branch >= int(m_branches.size()))
        return;
    auto nodes = m_branches[size_t(branch)].provider->load(*m_project);
    if (!nodes) {
        Q_EMIT loadFailed(nodes.error());
        return;
    }
    m_branches[size_t(branch)].nodes = std::move(*nodes);
    sync();
}

namespace {

// Appends the extra children to the nodes they belong under, anywhere in the tree.
void attach(QList<ExplorerNode> &nodes, const QHash<ItemRef, QList<ExplorerNode>> &extra)
{
    for (ExplorerNode &n : nodes) {
        attach(n.children, extra);
        if (const auto it = extra.constFind(n.ref); it != extra.constEnd())
            n.children << *it;
    }
}

} // namespace

void ProjectTreeModel::sync()
{
    QHash<ItemRef, QList<ExplorerNode>> extra;
    for (const Children &c : m_children)
        for (const auto &[parent, node] : c.nodes)
            extra[parent] << node;
    QList<ExplorerNode> top;
    for (const Branch &b : m_branches) {
        if (b.nodes.isEmpty())
            continue; // no empty branches
        ExplorerNode heading;
        heading.ref = {ItemKind::Folder, b.provider->key()};
        heading.name = b.provider->title();
        heading.icon = b.provider->icon();
        heading.detail = QString::number(b.nodes.size());
        heading.children = b.nodes;
        if (!extra.isEmpty())
            attach(heading.children, extra);
        top << heading;
    }
    syncChildren(m_root.get(), QModelIndex(), top);
}

void ProjectTreeModel::syncChildren(Node *parent, const QModelIndex &parentIndex,
                                    const QList<ExplorerNode> &fresh)
{
    auto &kids = parent->children;
    // Rows that are gone.
    for (int i = int(kids.size()) - 1; i >= 0; --i) {
        const ItemRef ref = kids[size_t(i)]->data.ref;
        const bool keep = std::any_of(fresh.cbegin(), fresh.cend(),
                                      [&ref](const ExplorerNode &n) { return n.ref == ref; });
        if (!keep) {
            beginRemoveRows(parentIndex, i, i);
            kids.erase(kids.begin() + i);
            endRemoveRows();
        }
    }
    // New rows and rows that moved, in the order the branch gives.
    for (int i = 0; i < fresh.size(); ++i) {
        const ExplorerNode &want = fresh.at(i);
        int found = -1;
        for (int j = i; j < int(kids.size()); ++j) {
            if (kids[size_t(j)]->data.ref == want.ref) {
                found = j;
                break;
            }
        }
        if (found < 0) {
            beginInsertRows(parentIndex, i, i);
            auto node = std::make_unique<Node>();
            node->parent = parent;
            node->data = want;
            node->data.children.clear();
            kids.insert(kids.begin() + i, std::move(node));
            endInsertRows();
        } else {
            if (found != i) {
                beginMoveRows(parentIndex, found, found, parentIndex, i);
                auto node = std::move(kids[size_t(found)]);
                kids.erase(kids.begin() + found);
                kids.insert(kids.begin() + i, std::move(node));
                endMoveRows();
            }
            ExplorerNode &have = kids[size_t(i)]->data;
            if (have.name != want.name || have.detail != want.detail ||
                have.toolTip != want.toolTip || have.icon.cacheKey() != want.icon.cacheKey() ||
                have.renamable != want.renamable || have.deletable != want.deletable) {
                have.renamable = want.renamable;
                have.deletable = want.deletable;
                have.name = want.name;
                have.detail = want.detail;
                have.toolTip = want.toolTip;
                have.icon = want.icon;
                Q_EMIT dataChanged(index(i, 0, parentIndex),
                                   index(i, ColumnCount - 1, parentIndex));
            }
        }
        syncChildren(kids[size_t(i)].get(), index(i, 0, parentIndex), want.children);
    }
}

ProjectTreeModel::Node *ProjectTreeModel::nodeAt(const QModelIndex &index) const
{
    if (!index.isValid())
        return m_root.get();
    return static_cast<Node *>(index.internalPointer());
}

QModelIndex ProjectTreeModel::indexOfNode(const Node *node, int column) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row(), column, const_cast<Node *>(node));
}

ProjectTreeModel::Node *ProjectTreeModel::find(Node *from, const ItemRef &ref) const
{
    for (const auto &child : from->children) {
        if (child->data.ref == ref)
            return child.get();
        if (Node *n = find(child.get(), ref))
            return n;
    }
    return nullptr;
}

ItemRef ProjectTreeModel::refAt(const QModelIndex &index) const
{
    if (!index.isValid())
        return {};
    return nodeAt(index)->data.ref;
}

QModelIndex ProjectTreeModel::indexOf(const ItemRef &ref) const
{
    return indexOfNode(find(m_root.get(), ref));
}

QModelIndex ProjectTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (parent.isValid() && parent.column() != 0)
        return {};
    Node *p = nodeAt(parent);
    if (row >= int(p->children.size()))
        return {};
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex ProjectTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOfNode(nodeAt(child)->parent);
}

int ProjectTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeAt(parent)->children.size());
}

int ProjectTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ProjectTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *n = nodeAt(index);
    const ExplorerNode &d = n->data;
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == NameColumn ? d.name : d.detail;
    case Qt::EditRole:
        return index.column() == NameColumn ? QVariant(d.name) : QVariant();
    case Qt::DecorationRole:
        return index.column() == NameColumn ? QVariant(d.icon) : QVariant();
    case Qt::ToolTipRole:
        return d.toolTip.isEmpty() ? QVariant() : QVariant(d.toolTip);
    case Qt::ForegroundRole:
        if (index.column() == DetailColumn)
            return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case ItemRefRole:
        return QVariant::fromValue(d.ref);
    case EditableRole:
        return bool(flags(index) & Qt::ItemIsEditable);
    default:
        return {};
    }
}

bool ProjectTreeModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || index.column() != NameColumn)
        return false;
    const ItemRef ref = refAt(index);
    if (!ref.isValid())
        return false;
    const QString name = value.toString().trimmed();
    if (name.isEmpty() || name == nodeAt(index)->data.name)
        return false;
    // The project changes through an undo command; the tree follows its change signal.
    Q_EMIT renameRequested(ref, name);
    return true;
}

Qt::ItemFlags ProjectTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const ItemRef ref = refAt(index);
    if (m_editable && index.column() == NameColumn && ref.isValid() &&
        nodeAt(index)->data.renamable)
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant ProjectTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? tr("Name") : tr("Details");
}

} // namespace mlwb
