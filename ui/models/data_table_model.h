// SPDX-License-Identifier: MIT
#pragma once

// DataTableModel: a read-only, virtualised table model over a stored data set's DataTable
// (cells formatted by DataTable::displayText only when a view asks for them).

#include "data/data_table.h"

#include <QAbstractTableModel>

#include <memory>

namespace mlwb {

class DataTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit DataTableModel(QObject *parent = nullptr);

    void setTable(std::shared_ptr<const DataTable> table, int targetColumn = -1);
    const DataTable *table() const { return m_table.get(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const DataTable> m_table;
    int m_target = -1;
};

} // namespace mlwb
