// SPDX-License-Identifier: MIT
#include "models/data_table_model.h"

#include <QFont>

#include <algorithm>
#include <limits>

namespace mlwb {

DataTableModel::DataTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void DataTableModel::setTable(std::shared_ptr<const DataTable> table, int targetColumn)
{
    beginResetModel();
    m_table = std::move(table);
    m_target = targetColumn;
    endResetModel();
}

int DataTableModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_table)
        return 0;
    return int(std::min<qint64>(m_table->rowCount(), std::numeric_limits<int>::max()));
}

int DataTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_table ? 0 : m_table->columnCount();
}

QVariant DataTableModel::data(const QModelIndex &index, int role) const
{
    if (!m_table || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return m_table->displayText(index.row(), index.column());
    case Qt::TextAlignmentRole:
        return m_table->column(index.column()).isCoded()
                   ? QVariant(int(Qt::AlignLeft | Qt::AlignVCenter))
                   : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    case Qt::ToolTipRole:
        if (m_table->isMissing(index.row(), index.column()))
            return tr("missing in the source file");
        return {};
    default:
        return {};
    }
}

QVariant DataTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (!m_table)
        return {};
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole)
            return section + 1;
        return {};
    }
    if (section < 0 || section >= m_table->columnCount())
        return {};
    const ColumnInfo &c = m_table->column(section);
    switch (role) {
    case Qt::DisplayRole:
        return c.name;
    case Qt::ToolTipRole:
        return section == m_target ? tr("%1 (%2, target)").arg(c.name, columnTypeName(c.type))
                                   : tr("%1 (%2)").arg(c.name, columnTypeName(c.type));
    case Qt::FontRole:
        if (section == m_target) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    default:
        return {};
    }
}

} // namespace mlwb
