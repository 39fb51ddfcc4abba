// SPDX-License-Identifier: MIT
#pragma once

// PropertyTreeModel: the Inspector's properties of one item, grouped (General, Hyperparameters,
// Summary, ...). Editable values are not written here: an edit is announced with
// editRequested and goes through an undo command.

#include "models/item_property.h"

#include <QAbstractItemModel>

namespace mlwb {

class PropertyTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, ValueColumn, ColumnCount };

    explicit PropertyTreeModel(QObject *parent = nullptr);

    // Keeps rows whose group and label stay, so the view does not jump on a refresh.
    void setProperties(const QList<ItemProperty> &properties);
    QList<ItemProperty> properties() const;
    QModelIndex indexOf(const QString &group, const QString &label, int column = ValueColumn) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    void editRequested(const QString &key, const QVariant &value);

private:
    struct Group {
        QString name;
        QList<ItemProperty> rows;
    };
    static constexpr quintptr kGroupId = ~quintptr(0);
    QList<Group> m_groups;
};

} // namespace mlwb
