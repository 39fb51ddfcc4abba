// SPDX-License-Identifier: MIT
#pragma once

// LayerParamsDelegate: edits a layer's settings in place as "name=value, ..." text, with the
// layer type's settings and their defaults as placeholder and tooltip. The text goes back
// through LayerStackModel::setData, which turns it into an undoable edit.

#include <QStyledItemDelegate>

namespace mlwb {

class LayerParamsDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model,
                      const QModelIndex &index) const override;
};

} // namespace mlwb
