// SPDX-License-Identifier: MIT
#include "panes/builder/layer_stack_model.h"

#include <QUndoStack>

#include "model/layer_catalog.h"
#include "store/project.h"
#include "widgets/icons.h"

#include <QColor>
#include <QJsonValue>
#include <QLocale>
#include <QMimeData>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace mlwb {

namespace {

QByteArray encodePath(const LayerPath &path)
{
    return LayerCatalog::pathText(path).toLatin1();
}

LayerPath decodePath(const QByteArray &text)
{
    LayerPath path;
    for (const QByteArray &part : text.split('.')) {
        bool ok = false;
        const int i = part.toInt(&ok);
        if (!ok || i < 0)
            return {};
        path.push_back(i);
    }
    return path;
}

bool startsWith(const LayerPath &path, const LayerPath &prefix)
{
    return path.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), path.begin());
}

QString valueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (d == double(qint64(d)) && std::abs(d) < 1e15)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 8);
    }
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return {};
    default:
        return QStringLiteral("?");
    }
}

QString kindText(ParamKind kind)
{
    switch (kind) {
    case ParamKind::Int:
        return QStringLiteral("integer");
    case ParamKind::Real:
        return QStringLiteral("number");
    case ParamKind::Bool:
        return QStringLiteral("true/false");
    }
    return {};
}

} // namespace

int LayerStackModel::Node::row() const
{
    if (!parent)
        return 0;
    const auto &siblings = parent->children;
    for (size_t i = 0; i < siblings.size(); ++i)
        if (siblings[i].get() == this)
            return int(i);
    return 0;
}

LayerStackModel *LayerStackModel::of(Project &project, qint64 modelId)
{
    const auto drafts = project.findChildren<LayerStackModel *>(Qt::FindDirectChildrenOnly);
    for (LayerStackModel *draft : drafts)
        if (draft->m_modelId == modelId)
            return draft;
    if (!project.models().get(modelId))
        return nullptr;
    return new LayerStackModel(project, modelId);
}

LayerStackModel::LayerStackModel(Project &project, qint64 modelId)
    : QAbstractItemModel(&project), m_project(project), m_modelId(modelId),
      m_undo(new QUndoStack(this))
{
    setObjectName(QStringLiteral("layerStack%1").arg(modelId));
    auto model = project.models().get(modelId);
    if (model && model->kind != ModelKind::Spec) {
        m_editable = false;
        m_loadError = tr("This model was imported from TorchScript; its layers cannot be edited.");
    }
    auto latest = project.models().latestVersion(modelId);
    if (!latest) {
        m_editable = false;
        m_loadError = latest.error();
    } else if (m_editable) {
        auto spec = ModelSpec::fromJson(latest->specJson);
        if (!spec) {
            m_editable = false;
            m_loadError =
                tr("Version %1 cannot be edited: %2").arg(latest->version).arg(spec.error());
        } else {
            m_saved = *spec;
            m_savedVersion = latest->version;
            for (const LayerSpec &layer : spec->layers)
                m_root.children.push_back(makeNode(layer, &m_root));
        }
    }
    m_spec.inputShape = m_saved.inputShape;
    rebuild();
}

void LayerStackModel::setSaved(const ModelSpec &spec, int version)
{
    m_saved = spec;
    m_savedVersion = version;
    afterEdit();
}

void LayerStackModel::reloadSaved()
{
    if (!m_editable)
        return;
    auto latest = m_project.models().latestVersion(m_modelId);
    if (!latest || latest->version <= m_savedVersion)
        return;
    auto spec = ModelSpec::fromJson(latest->specJson);
    if (!spec)
        return;
    const bool follow = !isModified();
    m_saved = *spec;
    m_savedVersion = latest->version;
    if (follow)
        setSpec(*spec);
    else
        afterEdit();
}

std::unique_ptr<LayerStackModel::Node> LayerStackModel::makeNode(const LayerSpec &layer,
                                                                 Node *parent)
{
    auto node = std::make_unique<Node>();
    node->type = layer.type;
    node->params = layer.params;
    node->parent = parent;
    for (const LayerSpec &child : layer.children)
        node->children.push_back(makeNode(child, node.get()));
    return node;
}

LayerSpec LayerStackModel::toLayer(const Node &node)
{
    LayerSpec layer{node.type, node.params, {}};
    for (const auto &child : node.children)
        layer.children.push_back(toLayer(*child));
    return layer;
}

LayerPath LayerStackModel::pathOfNode(const Node *node)
{
    LayerPath path;
    for (; node && node->parent; node = node->parent)
        path.insert(path.begin(), node->row());
    return path;
}

LayerStackModel::Node *LayerStackModel::nodeAt(const LayerPath &path) const
{
    Node *node = const_cast<Node *>(&m_root);
    for (int i : path) {
        if (i < 0 || i >= int(node->children.size()))
            return nullptr;
        node = node->children[size_t(i)].get();
    }
    return node;
}

LayerStackModel::Node *LayerStackModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer())
                           : const_cast<Node *>(&m_root);
}

QModelIndex LayerStackModel::indexOfNode(const Node *node, int column) const
{
    if (!node || node == &m_root)
        return {};
    return createIndex(node->row(), column, const_cast<Node *>(node));
}

QModelIndex LayerStackModel::indexOf(const LayerPath &path, int column) const
{
    if (path.empty())
        return {};
    return indexOfNode(nodeAt(path), column);
}

LayerPath LayerStackModel::pathOf(const QModelIndex &index) const
{
    return index.isValid() ? pathOfNode(nodeOf(index)) : LayerPath{};
}

const LayerShape *LayerStackModel::shapeOf(const LayerPath &path) const
{
    const auto it = m_rowOfPath.find(path);
    return it == m_rowOfPath.end() ? nullptr : &m_report.layers[size_t(it->second)];
}

LayerSpec LayerStackModel::layerAt(const LayerPath &path) const
{
    const Node *node = path.empty() ? nullptr : nodeAt(path);
    return node ? toLayer(*node) : LayerSpec{};
}

bool LayerStackModel::hasBody(const LayerPath &path) const
{
    if (path.empty())
        return true;
    const Node *node = nodeAt(path);
    const LayerTypeInfo *info = node ? LayerCatalog::find(node->type) : nullptr;
    return info && info->hasBody;
}

void LayerStackModel::insertLayer(const LayerPath &parent, int row, const LayerSpec &layer)
{
    Node *p = nodeAt(parent);
    if (!p || !hasBody(parent))
        return;
    row = std::clamp(row, 0, int(p->children.size()));
    beginInsertRows(indexOfNode(p), row, row);
    p->children.insert(p->children.begin() + row, makeNode(layer, p));
    endInsertRows();
    afterEdit();
}

void LayerStackModel::removeLayer(const LayerPath &path)
{
    Node *node = path.empty() ? nullptr : nodeAt(path);
    if (!node)
        return;
    Node *p = node->parent;
    const int row = node->row();
    beginRemoveRows(indexOfNode(p), row, row);
    p->children.erase(p->children.begin() + row);
    endRemoveRows();
    afterEdit();
}

LayerPath LayerStackModel::moveLayer(const LayerPath &from, const LayerPath &toParent, int toRow)
{
    Node *node = from.empty() ? nullptr : nodeAt(from);
    Node *dest = nodeAt(toParent);
    if (!node || !dest || !hasBody(toParent) || startsWith(toParent, from))
        return {};
    Node *src = node->parent;
    const int fromRow = node->row();
    toRow = std::clamp(toRow, 0, int(dest->children.size()));
    if (src == dest && (toRow == fromRow || toRow == fromRow + 1))
        return {};
    if (!beginMoveRows(indexOfNode(src), fromRow, fromRow, indexOfNode(dest), toRow))
        return {};
    std::unique_ptr<Node> owned = std::move(src->children[size_t(fromRow)]);
    src->children.erase(src->children.begin() + fromRow);
    const int insertAt = (src == dest && toRow > fromRow) ? toRow - 1 : toRow;
    owned->parent = dest;
    dest->children.insert(dest->children.begin() + insertAt, std::move(owned));
    endMoveRows();
    afterEdit();
    return pathOfNode(node);
}

void LayerStackModel::setParams(const LayerPath &path, const QJsonObject &params)
{
    Node *node = path.empty() ? nullptr : nodeAt(path);
    if (!node || node->params == params)
        return;
    node->params = params;
    afterEdit();
}

void LayerStackModel::setSpec(const ModelSpec &spec)
{
    beginResetModel();
    m_root.children.clear();
    for (const LayerSpec &layer : spec.layers)
        m_root.children.push_back(makeNode(layer, &m_root));
    m_spec.inputShape = spec.inputShape;
    endResetModel();
    afterEdit();
}

void LayerStackModel::rebuild()
{
    m_spec.layers.clear();
    for (const auto &child : m_root.children)
        m_spec.layers.push_back(toLayer(*child));
    m_report = ShapeInference::infer(m_spec);
    m_rowOfPath.clear();
    for (size_t i = 0; i < m_report.layers.size(); ++i)
        m_rowOfPath[m_report.layers[i].path] = int(i);
    m_wasModified = isModified();
}

void LayerStackModel::afterEdit()
{
    const bool wasModified = m_wasModified;
    rebuild();
    // Any edit can change every later layer's shape, count and error.
    std::vector<const Node *> parents{&m_root};
    while (!parents.empty()) {
        const Node *p = parents.back();
        parents.pop_back();
        if (p->children.empty())
            continue;
        const QModelIndex parent = indexOfNode(p);
        Q_EMIT dataChanged(index(0, 0, parent),
                           index(int(p->children.size()) - 1, ColumnCount - 1, parent));
        for (const auto &child : p->children)
            parents.push_back(child.get());
    }
    Q_EMIT specChanged();
    if (wasModified != m_wasModified)
        Q_EMIT modifiedChanged(m_wasModified);
}

QString LayerStackModel::paramsText(const QJsonObject &params)
{
    QStringList parts;
    for (auto it = params.constBegin(); it != params.constEnd(); ++it)
        parts << QStringLiteral("%1=%2").arg(it.key(), valueText(it.value()));
    return parts.join(QStringLiteral(", "));
}

QJsonObject LayerStackModel::parseParams(const QString &text)
{
    QJsonObject params;
    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    for (const QString &part : text.split(separators, Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        const QString key = (eq < 0 ? part : part.left(eq)).trimmed();
        const QString value = eq < 0 ? QString() : part.mid(eq + 1).trimmed();
        if (key.isEmpty())
            continue;
        bool ok = false;
        if (value.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0)
            params.insert(key, true);
        else if (value.compare(QLatin1String("false"), Qt::CaseInsensitive) == 0)
            params.insert(key, false);
        else if (const qint64 i = value.toLongLong(&ok); ok)
            params.insert(key, i);
        else if (const double d = value.toDouble(&ok); ok)
            params.insert(key, d);
        else
            params.insert(key, value);
    }
    return params;
}

QModelIndex LayerStackModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    const Node *p = nodeOf(parent);
    if (row >= int(p->children.size()))
        return {};
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex LayerStackModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOfNode(nodeOf(child)->parent);
}

int LayerStackModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int LayerStackModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QString LayerStackModel::typeTooltip(const Node &node) const
{
    const LayerTypeInfo *info = LayerCatalog::find(node.type);
    if (!info)
        return tr("Unknown layer type \u201c%1\u201d").arg(node.type);
    QString text = QStringLiteral("<b>%1</b>: %2").arg(info->type, info->help.toHtmlEscaped());
    for (const ParamInfo &p : info->params) {
        QString def;
        if (p.required)
            def = tr("required");
        else if (!p.defaultFrom.isEmpty())
            def = tr("default: %1").arg(p.defaultFrom);
        else
            def = tr("default %1").arg(valueText(p.defaultValue));
        text += QStringLiteral("<br><tt>%1</tt> (%2, %3): %4")
                    .arg(p.name, kindText(p.kind), def, p.help.toHtmlEscaped());
    }
    return text;
}

QVariant LayerStackModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *node = nodeOf(index);
    const LayerPath path = pathOfNode(node);
    const LayerShape *shape = shapeOf(path);
    const QString error = shape ? shape->error : QString();
    if (role == ErrorRole)
        return error;
    if (!error.isEmpty()) {
        if (role == Qt::BackgroundRole)
            return QColor(218, 68, 83, 70); // reads on light and dark palettes alike
        if (role == Qt::ToolTipRole)
            return error;
    }
    switch (index.column()) {
    case IndexColumn:
        if (role == Qt::DisplayRole)
            return LayerCatalog::pathText(path);
        break;
    case TypeColumn:
        if (role == Qt::DisplayRole)
            return node->type;
        if (role == Qt::DecorationRole && !error.isEmpty())
            return Icons::themed(QStringLiteral("dialog-error"));
        if (role == Qt::ToolTipRole)
            return typeTooltip(*node);
        break;
    case ParamsColumn:
        if (role == Qt::DisplayRole || role == Qt::EditRole)
            return paramsText(node->params);
        if (role == Qt::ToolTipRole)
            return typeTooltip(*node);
        break;
    case ShapeColumn:
        if (role == Qt::DisplayRole)
            return shape && !shape->output.empty() && error.isEmpty()
                       ? ShapeInference::shapeText(shape->output)
                       : QString();
        break;
    case CountColumn:
        if (role == Qt::DisplayRole)
            return shape && !shape->output.empty() ? QLocale().toString(shape->parameters)
                                                   : QString();
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return {};
}

QVariant LayerStackModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case IndexColumn:
            return tr("#");
        case TypeColumn:
            return tr("Layer");
        case ParamsColumn:
            return tr("Settings");
        case ShapeColumn:
            return tr("Output shape");
        case CountColumn:
            return tr("Parameters");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case ParamsColumn:
            return tr("The layer's settings as name=value; double-click to edit");
        case ShapeColumn:
            return tr("Per-sample output shape (without the batch dimension)");
        case CountColumn:
            return tr("Trainable parameters of this layer");
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole && section == CountColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

Qt::ItemFlags LayerStackModel::flags(const QModelIndex &index) const
{
    if (!m_editable)
        return index.isValid() ? Qt::ItemIsSelectable | Qt::ItemIsEnabled : Qt::NoItemFlags;
    if (!index.isValid())
        return Qt::ItemIsDropEnabled;
    Qt::ItemFlags f = Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsDragEnabled;
    const Node *node = nodeOf(index);
    const LayerTypeInfo *info = LayerCatalog::find(node->type);
    if (info && info->hasBody)
        f |= Qt::ItemIsDropEnabled;
    if (index.column() == ParamsColumn &&
        (!info || !info->params.empty() || !node->params.isEmpty()))
        f |= Qt::ItemIsEditable;
    return f;
}

bool LayerStackModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || index.column() != ParamsColumn || role != Qt::EditRole ||
        !(flags(index) & Qt::ItemIsEditable))
        return false;
    const QJsonObject params = parseParams(value.toString());
    if (params == nodeOf(index)->params)
        return false;
    // The builder turns the request into an undoable command, which applies it.
    Q_EMIT paramsEditRequested(pathOf(index), params);
    return true;
}

Qt::DropActions LayerStackModel::supportedDropActions() const
{
    return Qt::MoveAction | Qt::CopyAction;
}

Qt::DropActions LayerStackModel::supportedDragActions() const
{
    return Qt::MoveAction;
}

QStringList LayerStackModel::mimeTypes() const
{
    return {QLatin1String(kLayerTypeMime), QLatin1String(kLayerPathMime)};
}

QMimeData *LayerStackModel::mimeData(const QModelIndexList &indexes) const
{
    if (indexes.isEmpty())
        return nullptr;
    auto *data = new QMimeData;
    data->setData(QLatin1String(kLayerPathMime), encodePath(pathOf(indexes.first())));
    return data;
}

bool LayerStackModel::canDropMimeData(const QMimeData *data, Qt::DropAction, int, int,
                                      const QModelIndex &parent) const
{
    if (!m_editable || !data)
        return false;
    const LayerPath target = pathOf(parent);
    if (!hasBody(target))
        return false;
    if (data->hasFormat(QLatin1String(kLayerTypeMime)))
        return LayerCatalog::find(QString::fromUtf8(data->data(QLatin1String(kLayerTypeMime))));
    if (data->hasFormat(QLatin1String(kLayerPathMime))) {
        const LayerPath from = decodePath(data->data(QLatin1String(kLayerPathMime)));
        return !from.empty() && nodeAt(from) && !startsWith(target, from);
    }
    return false;
}

bool LayerStackModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row,
                                   int column, const QModelIndex &parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    const LayerPath target = pathOf(parent);
    if (row < 0)
        row = rowCount(parent);
    if (data->hasFormat(QLatin1String(kLayerTypeMime)))
        Q_EMIT insertRequested(QString::fromUtf8(data->data(QLatin1String(kLayerTypeMime))), target,
                               row);
    else
        Q_EMIT moveRequested(decodePath(data->data(QLatin1String(kLayerPathMime))), target, row);
    // The view must not remove the dragged row itself (the base class's removeRows() refuses,
    // on purpose): the move is the command's.
    return true;
}

} // namespace mlwb
