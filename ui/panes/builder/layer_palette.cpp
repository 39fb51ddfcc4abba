// SPDX-License-Identifier: MIT
#include "panes/builder/layer_palette.h"

#include "model/layer_catalog.h"
#include "panes/builder/layer_stack_model.h"

#include <QHeaderView>
#include <QMimeData>

namespace mlwb {

namespace {

constexpr int kTypeRole = Qt::UserRole + 1;

QString groupOf(const QString &type)
{
    static const QList<QPair<QString, QStringList>> groups{
        {QStringLiteral("Dense"), {QStringLiteral("Linear")}},
        {QStringLiteral("Convolution"),
         {QStringLiteral("Conv2d"), QStringLiteral("MaxPool2d"), QStringLiteral("AvgPool2d")}},
        {QStringLiteral("Activation"),
         {QStringLiteral("ReLU"), QStringLiteral("LeakyReLU"), QStringLiteral("GELU"),
          QStringLiteral("Tanh"), QStringLiteral("Sigmoid")}},
        {QStringLiteral("Regularisation"),
         {QStringLiteral("Dropout"), QStringLiteral("BatchNorm1d"), QStringLiteral("BatchNorm2d")}},
        {QStringLiteral("Shape"), {QStringLiteral("Flatten")}},
        {QStringLiteral("Blocks"), {QStringLiteral("Residual")}},
    };
    for (const auto &group : groups)
        if (group.second.contains(type))
            return group.first;
    return QStringLiteral("Other");
}

} // namespace

LayerPalette::LayerPalette(QWidget *parent) : QTreeWidget(parent)
{
    setObjectName(QStringLiteral("layerPalette"));
    setHeaderHidden(true);
    setRootIsDecorated(false);
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setAccessibleName(tr("Layer palette"));
    setToolTip(tr("Double-click a layer to add it after the selected one, or drag it into the "
                  "stack"));
    QHash<QString, QTreeWidgetItem *> groups;
    for (const LayerTypeInfo &info : LayerCatalog::types()) {
        const QString group = groupOf(info.type);
        QTreeWidgetItem *&groupItem = groups[group];
        if (!groupItem) {
            groupItem = new QTreeWidgetItem(this, {tr(qPrintable(group))});
            groupItem->setFlags(Qt::ItemIsEnabled);
            QFont font = groupItem->font(0);
            font.setBold(true);
            groupItem->setFont(0, font);
        }
        auto *item = new QTreeWidgetItem(groupItem, {info.type});
        item->setData(0, kTypeRole, info.type);
        item->setToolTip(0,
                         QStringLiteral("<b>%1</b>: %2").arg(info.type, info.help.toHtmlEscaped()));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
    }
    expandAll();
    connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const QString type = item->data(0, kTypeRole).toString();
        if (!type.isEmpty())
            Q_EMIT layerChosen(type);
    });
}

QTreeWidgetItem *LayerPalette::itemOf(const QString &type) const
{
    for (int g = 0; g < topLevelItemCount(); ++g) {
        QTreeWidgetItem *group = topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i)
            if (group->child(i)->data(0, kTypeRole).toString() == type)
                return group->child(i);
    }
    return nullptr;
}

LayerSpec LayerPalette::defaultLayer(const QString &type)
{
    LayerSpec layer{type, {}, {}};
    const LayerTypeInfo *info = LayerCatalog::find(type);
    if (!info)
        return layer;
    const bool pool = type.endsWith(QLatin1String("Pool2d"));
    for (const ParamInfo &p : info->params) {
        if (!p.required)
            continue;
        if (p.name == QLatin1String("out"))
            layer.params.insert(p.name, type == QLatin1String("Conv2d") ? 16 : 64);
        else if (p.name == QLatin1String("kernel"))
            layer.params.insert(p.name, pool ? 2 : 3);
        else if (p.kind == ParamKind::Bool)
            layer.params.insert(p.name, false);
        else
            layer.params.insert(p.name, std::max(1.0, p.minimum));
    }
    if (type == QLatin1String("Conv2d"))
        layer.params.insert(QStringLiteral("padding"), 1);
    return layer;
}

QStringList LayerPalette::mimeTypes() const
{
    return {QLatin1String(LayerStackModel::kLayerTypeMime)};
}

QMimeData *LayerPalette::mimeData(const QList<QTreeWidgetItem *> &items) const
{
    if (items.isEmpty() || items.first()->data(0, kTypeRole).toString().isEmpty())
        return nullptr;
    auto *data = new QMimeData;
    data->setData(QLatin1String(LayerStackModel::kLayerTypeMime),
                  items.first()->data(0, kTypeRole).toString().toUtf8());
    return data;
}

} // namespace mlwb
