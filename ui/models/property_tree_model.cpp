// SPDX-License-Identifier: MIT
#include "models/property_tree_model.h"

#include <QFont>

namespace mlwb {

PropertyTreeModel::PropertyTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

void PropertyTreeModel::setProperties(const QList<ItemProperty> &properties)
{
    QList<Group> fresh;
    for (const ItemProperty &p : properties) {
        auto it = std::find_if(fresh.begin(), fresh.end(),
                               [&p](const Group &g) { return g.name == p.group; });
        if (it == fresh.end()) {
            fresh << Group{p.group, {}};
            it = fresh.end() - 1;
        }
        it->rows << p;
    }
    // Same shape: update values in place (a live run refreshes its metrics every poll).
    bool sameShape = fresh.size() == m_groups.size();
    for (int g = 0; sameShape && g < fresh.size(); ++g) {
        sameShape = fresh.at(g).name == m_groups.at(g).name &&
                    fresh.at(g).rows.size() == m_groups.at(g).rows.size();
        for (int r = 0; sameShape && r < fresh.at(g).rows.size(); ++r)
            sameShape = fresh.at(g).rows.at(r).label == m_groups.at(g).rows.at(r).label;
    }
    if (!sameShape) {
        beginResetModel();
        m_groups = std::move(fresh);
        endResetModel();
        return;
    }
    for (int g = 0; g < fresh.size(); ++g) {
        for (int r = 0; r < fresh.at(g).rows.size(); ++r) {
            ItemProperty &have = m_groups[g].rows[r];
            const ItemProperty &want = fresh.at(g).rows.at(r);
            if (have.value != want.value || have.toolTip != want.toolTip ||
                have.editable != want.editable) {
                have = want;
                const QModelIndex parent = index(g, 0);
                Q_EMIT dataChanged(index(r, NameColumn, parent), index(r, ValueColumn, parent));
            }
        }
    }
}

QList<ItemProperty> PropertyTreeModel::properties() const
{
    QList<ItemProperty> out;
    for (const Group &g : m_groups)
        out << g.rows;
    return out;
}

QModelIndex PropertyTreeModel::indexOf(const QString &group, const QString &label, int column) const
{
    for (int g = 0; g < m_groups.size(); ++g) {
        if (m_groups.at(g).name != group)
            continue;
        for (int r = 0; r < m_groups.at(g).rows.size(); ++r)
            if (m_groups.at(g).rows.at(r).label == label)
                return index(r, column, index(g, 0));
    }
    return {};
}

QModelIndex PropertyTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_groups.size() ? createIndex(row, column, kGroupId) : QModelIndex();
    if (parent.internalId() != kGroupId || parent.column() != 0)
        return {};
    const int g = parent.row();
    if (g >= m_groups.size() || row >= m_groups.at(g).rows.size())
        return {};
    return createIndex(row, column, quintptr(g));
}

QModelIndex PropertyTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kGroupId)
        return {};
    return createIndex(int(child.internalId()), 0, kGroupId);
}

int PropertyTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() == kGroupId && parent.column() == 0 && parent.row() < m_groups.size())
        return int(m_groups.at(parent.row()).rows.size());
    return 0;
}

int PropertyTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant PropertyTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == kGroupId) {
        if (role == Qt::DisplayRole && index.column() == NameColumn)
            return m_groups.at(index.row()).name;
        if (role == Qt::FontRole) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    }
    const ItemProperty &p = m_groups.at(int(index.internalId())).rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == NameColumn ? p.label : p.value;
    case Qt::EditRole:
        return index.column() == ValueColumn ? QVariant(p.value) : QVariant();
    case Qt::ToolTipRole:
        if (!p.toolTip.isEmpty())
            return p.toolTip;
        return index.column() == ValueColumn && p.editable ? tr("Double-click or F2 to edit")
                                                           : QVariant();
    default:
        return {};
    }
}

bool PropertyTreeModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::EditRole || !(flags(index) & Qt::ItemIsEditable))
        return false;
    const ItemProperty &p = m_groups.at(int(index.internalId())).rows.at(index.row());
    if (value.toString() == p.value)
        return false;
    Q_EMIT editRequested(p.key, value);
    return true;
}

Qt::ItemFlags PropertyTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.internalId() != kGroupId && index.column() == ValueColumn &&
        m_groups.at(int(index.internalId())).rows.at(index.row()).editable)
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant PropertyTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? tr("Property") : tr("Value");
}

} // namespace mlwb
