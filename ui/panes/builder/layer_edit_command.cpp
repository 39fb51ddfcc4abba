// SPDX-License-Identifier: MIT
#include "panes/builder/layer_edit_command.h"

#include "model/layer_catalog.h"

#include <QCoreApplication>

#include <algorithm>

namespace mlwb {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("mlwb::LayerEditCommand", text);
}

LayerPath parentOf(const LayerPath &path)
{
    return path.empty() ? path : LayerPath(path.begin(), path.end() - 1);
}

} // namespace

LayerEditCommand::LayerEditCommand(Op op, LayerStackModel *model, const QString &text)
    : QUndoCommand(text), m_op(op), m_model(model), m_before(model->spec())
{
}

LayerEditCommand *LayerEditCommand::insert(LayerStackModel *model, const LayerPath &parent, int row,
                                           const LayerSpec &layer)
{
    if (!model || !model->isEditable() || !model->hasBody(parent))
        return nullptr;
    auto *c = new LayerEditCommand(Op::Insert, model, tr("Add %1 layer").arg(layer.type));
    c->m_path = parent;
    c->m_row = std::clamp(row, 0, model->rowCount(model->indexOf(parent)));
    c->m_layer = layer;
    return c;
}

LayerEditCommand *LayerEditCommand::remove(LayerStackModel *model, const LayerPath &path)
{
    if (!model || !model->isEditable() || path.empty() || !model->indexOf(path).isValid())
        return nullptr;
    const LayerSpec layer = model->layerAt(path);
    auto *c = new LayerEditCommand(Op::Remove, model,
                                   tr("Remove %1").arg(LayerCatalog::layerName(path, layer.type)));
    c->m_path = path;
    c->m_layer = layer;
    return c;
}

LayerEditCommand *LayerEditCommand::move(LayerStackModel *model, const LayerPath &from,
                                         const LayerPath &toParent, int toRow)
{
    if (!model || !model->isEditable() || from.empty() || !model->indexOf(from).isValid() ||
        !model->hasBody(toParent))
        return nullptr;
    if (toParent.size() >= from.size() && std::equal(from.begin(), from.end(), toParent.begin()))
        return nullptr; // into itself
    toRow = std::clamp(toRow, 0, model->rowCount(model->indexOf(toParent)));
    if (parentOf(from) == toParent && (toRow == from.back() || toRow == from.back() + 1))
        return nullptr;
    const LayerSpec layer = model->layerAt(from);
    auto *c = new LayerEditCommand(Op::Move, model,
                                   tr("Move %1").arg(LayerCatalog::layerName(from, layer.type)));
    c->m_path = from;
    c->m_toParent = toParent;
    c->m_row = toRow;
    return c;
}

LayerEditCommand *LayerEditCommand::setParams(LayerStackModel *model, const LayerPath &path,
                                              const QJsonObject &params)
{
    if (!model || !model->isEditable() || path.empty() || !model->indexOf(path).isValid())
        return nullptr;
    const LayerSpec layer = model->layerAt(path);
    if (layer.params == params)
        return nullptr;
    auto *c = new LayerEditCommand(
        Op::SetParams, model,
        tr("Change settings of %1").arg(LayerCatalog::layerName(path, layer.type)));
    c->m_path = path;
    c->m_oldParams = layer.params;
    c->m_newParams = params;
    return c;
}

LayerEditCommand *LayerEditCommand::replace(LayerStackModel *model, const ModelSpec &spec,
                                            const QString &text)
{
    if (!model || !model->isEditable() || model->spec() == spec)
        return nullptr;
    auto *c = new LayerEditCommand(Op::Replace, model, text);
    c->m_after = spec;
    return c;
}

void LayerEditCommand::perform()
{
    LayerStackModel &model = *m_model;
    switch (m_op) {
    case Op::Insert:
        model.insertLayer(m_path, m_row, m_layer);
        m_resultPath = m_path;
        m_resultPath.push_back(m_row);
        break;
    case Op::Remove:
        model.removeLayer(m_path);
        m_resultPath = m_path;
        break;
    case Op::Move:
        m_resultPath = model.moveLayer(m_path, m_toParent, m_row);
        break;
    case Op::SetParams:
        model.setParams(m_path, m_newParams);
        m_resultPath = m_path;
        break;
    case Op::Replace:
        model.setSpec(m_after);
        break;
    }
}

void LayerEditCommand::revert()
{
    LayerStackModel &model = *m_model;
    switch (m_op) {
    case Op::Insert: {
        LayerPath inserted = m_path;
        inserted.push_back(m_row);
        model.removeLayer(inserted);
        break;
    }
    case Op::Remove:
        model.insertLayer(parentOf(m_path), m_path.back(), m_layer);
        break;
    case Op::Move: {
        if (m_resultPath.empty())
            break;
        const LayerPath origin = parentOf(m_path);
        int row = m_path.back();
        // beginMoveRows counts the target row before the move.
        if (parentOf(m_resultPath) == origin && row > m_resultPath.back())
            ++row;
        model.moveLayer(m_resultPath, origin, row);
        break;
    }
    case Op::SetParams:
        model.setParams(m_path, m_oldParams);
        break;
    case Op::Replace:
        model.setSpec(m_before);
        break;
    }
}

void LayerEditCommand::redo()
{
    if (!m_model) {
        setObsolete(true);
        return;
    }
    if (!m_done) {
        perform();
        m_after = m_model->spec();
        m_done = true;
        return;
    }
    if (m_model->spec() == m_before)
        perform();
    // The draft changed outside the stack (or the replay differs): restore the exact result.
    if (m_model->spec() != m_after)
        m_model->setSpec(m_after);
}

void LayerEditCommand::undo()
{
    if (!m_model) {
        setObsolete(true);
        return;
    }
    if (m_model->spec() == m_after)
        revert();
    if (m_model->spec() != m_before)
        m_model->setSpec(m_before);
}

} // namespace mlwb
