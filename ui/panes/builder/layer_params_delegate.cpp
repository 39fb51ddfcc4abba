// SPDX-License-Identifier: MIT
#include "panes/builder/layer_params_delegate.h"

#include "model/layer_catalog.h"
#include "panes/builder/layer_stack_model.h"

#include <QLineEdit>

namespace mlwb {

QWidget *LayerParamsDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &,
                                           const QModelIndex &index) const
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(QStringLiteral("layerSettingsEditor"));
    edit->setFrame(false);
    const QString type =
        index.siblingAtColumn(LayerStackModel::TypeColumn).data(Qt::DisplayRole).toString();
    if (const LayerTypeInfo *info = LayerCatalog::find(type)) {
        QStringList names;
        for (const ParamInfo &p : info->params)
            names << p.name + QStringLiteral("=\u2026");
        edit->setPlaceholderText(names.join(QStringLiteral(", ")));
    }
    edit->setToolTip(index.data(Qt::ToolTipRole).toString());
    return edit;
}

void LayerParamsDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    if (auto *edit = qobject_cast<QLineEdit *>(editor))
        edit->setText(index.data(Qt::EditRole).toString());
}

void LayerParamsDelegate::setModelData(QWidget *editor, QAbstractItemModel *model,
                                       const QModelIndex &index) const
{
    if (auto *edit = qobject_cast<QLineEdit *>(editor))
        model->setData(index, edit->text(), Qt::EditRole);
}

} // namespace mlwb
